with

national_category_appointments as (

    select * from {{ ref('int_national_category_appointments_deduplicated') }}

),

calendar as (

    select * from {{ ref('int_calendar_days_classified') }}

),

setting_days as (

    select
        appointment_date,
        service_setting,
        {{ sum_as_bigint('count_of_appointments') }} as count_of_appointments
    from national_category_appointments
    group by appointment_date, service_setting

),

with_day_totals as (

    select
        appointment_date,
        service_setting,
        count_of_appointments,
        sum(count_of_appointments) over (partition by appointment_date) as day_appointments
    from setting_days

),

final as (

    select
        with_day_totals.appointment_date,
        calendar.month_start_date as appointment_month,
        calendar.weekday_name,
        calendar.is_working_day,
        calendar.season,
        calendar.nhs_financial_year,
        with_day_totals.service_setting,
        with_day_totals.count_of_appointments,
        {{ safe_ratio(
            'with_day_totals.count_of_appointments', 'with_day_totals.day_appointments'
        ) }} as share_of_day_appointments
    from with_day_totals
    left join calendar
        on with_day_totals.appointment_date = calendar.date_day

)

select * from final
