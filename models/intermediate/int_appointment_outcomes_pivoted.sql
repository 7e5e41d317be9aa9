with

regional_appointments as (

    select * from {{ ref('int_regional_appointments_aggregated') }}

),

pivoted as (

    select
        appointment_month,
        icb_ons_code,
        region_ons_code,
        hcp_type,
        appointment_mode,
        booking_lead_time_band,
        booking_lead_time_order,
        {{ pivot_appointment_outcomes() }}
    from regional_appointments
    group by
        appointment_month,
        icb_ons_code,
        region_ons_code,
        hcp_type,
        appointment_mode,
        booking_lead_time_band,
        booking_lead_time_order

)

select * from pivoted
