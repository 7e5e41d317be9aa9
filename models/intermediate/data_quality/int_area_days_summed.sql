with

appointment_durations as (

    select * from {{ ref('int_appointment_durations_deduplicated') }}

),

national_category_appointments as (

    select * from {{ ref('int_national_category_appointments_deduplicated') }}

),

calendar as (

    select * from {{ ref('int_calendar_days_classified') }}

),

location_rows as (

    select
        'actual_duration' as source_name,
        sub_icb_location_code as area_code,
        appointment_date,
        appointment_month,
        count_of_appointments
    from appointment_durations

    union all

    select
        'national_categories' as source_name,
        sub_icb_location_code as area_code,
        appointment_date,
        appointment_month,
        count_of_appointments
    from national_category_appointments

),

location_days as (

    select
        source_name,
        'sub-ICB location' as area_level,
        area_code,
        appointment_date,
        appointment_month,
        {{ sum_as_bigint('count_of_appointments') }} as appointments
    from location_rows
    group by source_name, area_code, appointment_date, appointment_month

),

england_days as (

    select
        source_name,
        'England' as area_level,
        {{ england_area_code() }} as area_code,
        appointment_date,
        appointment_month,
        {{ sum_as_bigint('appointments') }} as appointments
    from location_days
    group by source_name, appointment_date, appointment_month

),

reported_days as (

    select * from location_days
    union all
    select * from england_days

),

source_spans as (

    select
        source_name,
        min(appointment_date) as first_date,
        max(appointment_date) as last_date
    from england_days
    group by source_name

),

-- every day of each month an area reported in, within the source's span: the days it could
-- have reported (a whole month missing is a missing area, not thirty zero days)
area_months as (

    select distinct
        source_name,
        area_level,
        area_code,
        appointment_month
    from reported_days

),

expected_days as (

    select
        area_months.source_name,
        area_months.area_level,
        area_months.area_code,
        calendar.date_day as appointment_date,
        area_months.appointment_month,
        calendar.is_working_day
    from area_months
    inner join source_spans
        on area_months.source_name = source_spans.source_name
    inner join calendar
        on
            area_months.appointment_month = calendar.month_start_date
            and calendar.date_day between source_spans.first_date and source_spans.last_date

),

final as (

    select
        expected_days.source_name,
        expected_days.area_level,
        expected_days.area_code,
        expected_days.appointment_date,
        expected_days.appointment_month,
        expected_days.is_working_day,
        coalesce(reported_days.appointments, 0) as appointments
    from expected_days
    left join reported_days
        on
            expected_days.source_name = reported_days.source_name
            and expected_days.area_level = reported_days.area_level
            and expected_days.area_code = reported_days.area_code
            and expected_days.appointment_date = reported_days.appointment_date

)

select * from final
