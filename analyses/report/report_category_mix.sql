-- The report's national-category mix charts (scripts/report/mix_charts.py): appointments per
-- month (with its season) and national category, the eight largest categories over the whole
-- period by name and the rest summed as 'Other categories'.
with

categories as (

    select * from {{ ref('national_category_monthly') }}

),

calendar as (

    select * from {{ ref('dim_date') }}

),

ranked as (

    select
        national_category,
        rank() over (
            order by sum(count_of_appointments) desc, national_category
        ) as size_rank
    from categories
    group by national_category

),

labelled as (

    select
        categories.appointment_month,
        calendar.season,
        categories.count_of_appointments,
        case
            when ranked.size_rank <= 8 then categories.national_category
            else 'Other categories'
        end as category
    from categories
    inner join ranked on categories.national_category = ranked.national_category
    inner join calendar on categories.appointment_month = calendar.date_day

)

select
    appointment_month,
    season,
    category,
    sum(count_of_appointments) as appointments
from labelled
group by appointment_month, season, category
order by appointment_month, category
