with

regional_appointments as (

    select * from {{ ref('int_regional_appointments_aggregated') }}

),

nhs_regions as (

    select * from {{ ref('nhs_regions') }}

),

-- ICBs are rolled up to regions: seven regions keep the mart small enough to scan by eye
region_months as (

    select
        appointment_month,
        region_ons_code,
        appointment_mode,
        hcp_type,
        booking_lead_time_band,
        booking_lead_time_order,
        {{ pivot_appointment_outcomes() }}
    from regional_appointments
    group by
        appointment_month,
        region_ons_code,
        appointment_mode,
        hcp_type,
        booking_lead_time_band,
        booking_lead_time_order

),

final as (

    select
        region_months.appointment_month,
        region_months.region_ons_code,
        nhs_regions.region_name,
        region_months.appointment_mode,
        region_months.hcp_type,
        region_months.booking_lead_time_band,
        region_months.booking_lead_time_order,
        region_months.total_appointments,
        region_months.attended_appointments,
        region_months.dna_appointments,
        region_months.unknown_status_appointments,
        region_months.attended_appointments + region_months.dna_appointments
            as known_outcome_appointments,
        {{ safe_ratio('region_months.dna_appointments', 'region_months.total_appointments') }}
            as dna_rate,
        {{ safe_ratio(
            'region_months.dna_appointments',
            'region_months.attended_appointments + region_months.dna_appointments'
        ) }} as dna_rate_known_outcome
    from region_months
    left join nhs_regions
        on region_months.region_ons_code = nhs_regions.region_ons_code

)

select * from final
