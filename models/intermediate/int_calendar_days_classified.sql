{#- The calendar spans the years the bank-holiday seed covers by default; a relationships test
    from every fact date proves the data fits inside it. -#}
{%- set calendar_start_date = var('calendar_start_date', '2019-01-01') -%}
{%- set calendar_end_date = var('calendar_end_date', '2023-12-31') -%}

with

bank_holidays as (

    select * from {{ ref('bank_holidays_england') }}

),

days as (

    {{ days_between(calendar_start_date, calendar_end_date, 'date_day') }}

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
