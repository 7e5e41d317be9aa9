with

regional_appointments as (

    select * from {{ ref('int_regional_appointments_aggregated') }}

),

final as (

    select
        appointment_month,
        icb_ons_code,
        region_ons_code,
        appointment_status,
        hcp_type,
        appointment_mode,
        booking_lead_time_band,
        booking_lead_time_order,
        booking_lead_time_min_days,
        booking_lead_time_max_days,
        count_of_appointments
    from regional_appointments

)

select * from final
