-- Without the vars, dim_date spans every whole year the data's months reach
-- (int_calendar_days_classified), so every fact date is in it by construction and this test is
-- not built. When calendar_start_date and calendar_end_date fix the range instead, it fails
-- with every fact date that falls outside the calendar (a join to dim_date would drop it).
{{ config(enabled=(
    var('calendar_start_date', none) is not none
    and var('calendar_end_date', none) is not none
)) }}

with

calendar as (

    select * from {{ ref('dim_date') }}

),

appointments_monthly as (

    select * from {{ ref('fct_appointments_monthly') }}

),

appointment_duration_daily as (

    select * from {{ ref('fct_appointment_duration_daily') }}

),

national_category_daily as (

    select * from {{ ref('fct_national_category_daily') }}

),

fact_dates as (

    select distinct
        'fct_appointments_monthly' as fact,
        appointment_month as fact_date
    from appointments_monthly
    union all
    select distinct
        'fct_appointment_duration_daily' as fact,
        appointment_date as fact_date
    from appointment_duration_daily
    union all
    select distinct
        'fct_national_category_daily' as fact,
        appointment_date as fact_date
    from national_category_daily

)

select
    fact_dates.fact,
    fact_dates.fact_date
from fact_dates
left join calendar
    on fact_dates.fact_date = calendar.date_day
where calendar.date_day is null
