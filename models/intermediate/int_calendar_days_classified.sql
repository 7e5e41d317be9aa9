{#- The calendar spans whole years, from the first to the last year any raw file's months
    reach (the course's files, the publisher's, coverage, durations, national categories), so
    it follows the data instead of a fixed range: every date of the data is inside it by
    construction. assert_bank_holidays_cover_the_calendar checks that the bank-holiday seed
    covers every year it spans. The vars calendar_start_date and calendar_end_date, when both
    are set, fix the range instead (the unit tests, the benchmark's 10x run), and then
    assert_fixed_calendar_covers_the_facts checks that the facts' dates fall inside it. -#}
{%- set calendar_start_date = var('calendar_start_date', none) -%}
{%- set calendar_end_date = var('calendar_end_date', none) -%}
{%- if calendar_start_date and calendar_end_date -%}
    {%- set first_day = "date '" ~ calendar_start_date ~ "'" -%}
    {%- set last_day = "date '" ~ calendar_end_date ~ "'" -%}
    {%- set bounds_from = "" -%}
{%- else -%}
    {%- set first_day = "cast(date_trunc('year', min(appointment_month)) as date)" -%}
    {%- set last_day = "cast(date_trunc('year', max(appointment_month)) as date) + interval 1 year"
        ~ " - interval 1 day" -%}
    {%- set bounds_from = "from data_months" -%}
{%- endif %}

with

bank_holidays as (

    select * from {{ ref('bank_holidays_england') }}

),

regional_appointments as (

    select * from {{ ref('int_regional_appointments_unioned') }}

),

appointment_durations as (

    select * from {{ ref('int_appointment_durations_deduplicated') }}

),

national_category_appointments as (

    select * from {{ ref('int_national_category_appointments_deduplicated') }}

),

practice_coverage as (

    select * from {{ ref('stg_nhs__practice_coverage') }}

),

-- with the vars set (unit tests) the bounds do not read it
data_months as ( -- noqa: ST03

    select appointment_month from regional_appointments
    union all
    select appointment_month from appointment_durations
    union all
    select appointment_month from national_category_appointments
    union all
    select appointment_month from practice_coverage

),

calendar_bounds as (

    -- without the vars, min and max of no months at all still give one (null) row
    select
        {{ first_day }} as first_day,
        cast({{ last_day }} as date) as last_day
    {{ bounds_from }}

),

days as (

    {{ days_in_bounds('calendar_bounds') }}

),

described as (

    select
        days.date_day,
        bank_holidays.holiday_name as bank_holiday_name,
        cast(date_trunc('month', days.date_day) as date) as month_start_date,
        cast(year(days.date_day) as integer) as calendar_year,
        cast(month(days.date_day) as integer) as month_of_year,
        {{ month_name('days.date_day') }} as month_name,
        cast(day(days.date_day) as integer) as day_of_month,
        {{ iso_day_of_week('days.date_day') }} as iso_day_of_week,
        {{ weekday_name('days.date_day') }} as weekday_name,
        {{ iso_day_of_week('days.date_day') }} in (6, 7) as is_weekend,
        bank_holidays.holiday_date is not null as is_bank_holiday,
        {{ season_of('days.date_day') }} as season,
        {{ nhs_financial_year('days.date_day') }} as nhs_financial_year
    from days
    left join bank_holidays
        on days.date_day = bank_holidays.holiday_date

),

final as (

    select
        date_day,
        month_start_date,
        calendar_year,
        month_of_year,
        month_name,
        day_of_month,
        iso_day_of_week,
        weekday_name,
        is_weekend,
        is_bank_holiday,
        bank_holiday_name,
        season,
        nhs_financial_year,
        not is_weekend and not is_bank_holiday as is_working_day
    from described

)

select * from final
