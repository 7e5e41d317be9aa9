with

regional_appointments as (

    select * from {{ ref('int_regional_appointments_aggregated') }}

),

appointment_durations as (

    select * from {{ ref('int_appointment_durations_deduplicated') }}

),

national_category_appointments as (

    select * from {{ ref('int_national_category_appointments_deduplicated') }}

),

-- each source at its finest area: appointments_regional has lost its sub-ICB column
area_rows as (

    select
        'appointments_regional' as source_name,
        'ICB' as area_level,
        icb_ons_code as area_code,
        appointment_month,
        count_of_appointments
    from regional_appointments

    union all

    select
        'actual_duration' as source_name,
        'sub-ICB location' as area_level,
        sub_icb_location_code as area_code,
        appointment_month,
        count_of_appointments
    from appointment_durations

    union all

    select
        'national_categories' as source_name,
        'sub-ICB location' as area_level,
        sub_icb_location_code as area_code,
        appointment_month,
        count_of_appointments
    from national_category_appointments

),

area_months as (

    select
        source_name,
        area_level,
        area_code,
        appointment_month,
        {{ sum_as_bigint('count_of_appointments') }} as appointments
    from area_rows
    group by source_name, area_level, area_code, appointment_month

),

england_months as (

    select
        source_name,
        'England' as area_level,
        {{ england_area_code() }} as area_code,
        appointment_month,
        {{ sum_as_bigint('appointments') }} as appointments
    from area_months
    group by source_name, appointment_month

),

final as (

    select * from area_months
    union all
    select * from england_months

)

select * from final
