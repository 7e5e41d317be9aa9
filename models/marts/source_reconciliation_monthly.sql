with

regional_appointments as (

    select * from {{ ref('int_regional_appointments_aggregated') }}

),

national_category_appointments as (

    select * from {{ ref('int_national_category_appointments_deduplicated') }}

),

appointment_durations as (

    select * from {{ ref('int_appointment_durations_deduplicated') }}

),

regional_months as (

    select
        appointment_month,
        {{ sum_as_bigint('count_of_appointments') }} as regional_appointments
    from regional_appointments
    group by appointment_month

),

national_category_months as (

    select
        appointment_month,
        {{ sum_as_bigint('count_of_appointments') }} as national_category_appointments
    from national_category_appointments
    group by appointment_month

),

duration_months as (

    select
        appointment_month,
        {{ sum_as_bigint('count_of_appointments') }} as duration_appointments
    from appointment_durations
    group by appointment_month

),

all_months as (

    select appointment_month from regional_months
    union
    select appointment_month from national_category_months
    union
    select appointment_month from duration_months

),

final as (

    select
        all_months.appointment_month,
        regional_months.regional_appointments,
        national_category_months.national_category_appointments,
        duration_months.duration_appointments,
        regional_months.regional_appointments
        - national_category_months.national_category_appointments
            as regional_minus_national_category,
        national_category_months.national_category_appointments
        - duration_months.duration_appointments
            as national_category_minus_duration,
        {{ safe_ratio(
            'duration_months.duration_appointments',
            'national_category_months.national_category_appointments'
        ) }} as duration_coverage_of_national_category
    from all_months
    left join regional_months
        on all_months.appointment_month = regional_months.appointment_month
    left join national_category_months
        on all_months.appointment_month = national_category_months.appointment_month
    left join duration_months
        on all_months.appointment_month = duration_months.appointment_month

)

select * from final
