-- Question: How do service settings compare, and how do they change with the seasons?
-- Average appointments per working day by service setting and season (August 2021 to June 2022).
-- SYNTHETIC source: national_categories is generated to match the published monthly totals by
-- setting, so the seasonal pattern follows the real months but the daily detail does not.
with

settings as (

    select * from {{ ref('service_setting_daily') }}

),

working_days as (

    select
        season,
        service_setting,
        count(*) as working_days,
        sum(count_of_appointments) as appointments
    from settings
    where is_working_day
    group by season, service_setting

),

season_totals as (

    select
        season,
        service_setting,
        appointments,
        working_days,
        sum(appointments) over (partition by season) as season_appointments,
        case season
            when 'Autumn' then 1
            when 'Winter' then 2
            when 'Spring' then 3
            else 4
        end as season_order
    from working_days

)

select
    season,
    service_setting,
    working_days,
    round(appointments / working_days) as appointments_per_working_day,
    round(appointments / season_appointments, 4) as share_of_season
from season_totals
order by season_order asc, appointments desc
