-- Question: How do service settings compare, and how do they change with the seasons?
-- Average appointments per working day by service setting and season (August 2021 to June 2022).
-- SYNTHETIC source: national_categories is generated to match the published monthly totals by
-- setting, so the seasonal pattern follows the real months but the daily detail does not.
-- A season's working days are counted in the calendar (dim_date) over the months the file
-- covers, the same for every setting: a setting with no row on a day had no appointments then.
with

settings as (

    select * from {{ ref('service_setting_daily') }}

),

calendar as (

    select * from {{ ref('dim_date') }}

),

covered_months as (

    select distinct appointment_month
    from settings

),

season_days as (

    select
        calendar.season,
        count(*) as working_days
    from calendar
    inner join covered_months
        on calendar.month_start_date = covered_months.appointment_month
    where calendar.is_working_day
    group by calendar.season

),

setting_appointments as (

    select
        season,
        service_setting,
        sum(count_of_appointments) as appointments
    from settings
    where is_working_day
    group by season, service_setting

),

season_totals as (

    select
        setting_appointments.season,
        setting_appointments.service_setting,
        setting_appointments.appointments,
        season_days.working_days,
        sum(setting_appointments.appointments) over (
            partition by setting_appointments.season
        ) as season_appointments,
        case setting_appointments.season
            when 'Autumn' then 1
            when 'Winter' then 2
            when 'Spring' then 3
            else 4
        end as season_order
    from setting_appointments
    inner join season_days
        on setting_appointments.season = season_days.season

)

select
    season,
    service_setting,
    working_days,
    round(appointments / working_days) as appointments_per_working_day,
    round(appointments / season_appointments, 4) as share_of_season
from season_totals
order by season_order asc, appointments desc
