with

appointment_durations as (

    select * from {{ ref('int_appointment_durations_deduplicated') }}

),

final as (

    select
        appointment_date,
        appointment_month,
        sub_icb_location_code,
        icb_ons_code,
        region_ons_code,
        duration_band,
        duration_band_order,
        duration_min_minutes,
        duration_max_minutes,
        count_of_appointments
    from appointment_durations

)

select * from final
