with

icb_months as (

    select * from {{ ref('int_icb_appointment_outcomes_pivoted') }}

),

final as (

    select
        appointment_month,
        icb_ons_code,
        icb_name,
        region_ons_code,
        region_name,
        total_appointments,
        attended_appointments,
        dna_appointments,
        unknown_status_appointments,
        calendar_days,
        working_days,
        {{ appointments_per_day() }},
        {{ safe_ratio(
            'total_appointments',
            'sum(total_appointments) over (partition by appointment_month)'
        ) }} as share_of_national_appointments,
        registered_patients,
        {{ registered_patients_rates() }}
    from icb_months

)

select * from final
