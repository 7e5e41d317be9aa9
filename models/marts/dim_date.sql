with

calendar_days as (

    select * from {{ ref('int_calendar_days_classified') }}

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
        is_working_day
    from calendar_days

)

select * from final
