with

icb_months as (

    select * from {{ ref('int_icb_appointment_outcomes_pivoted') }}

),

region_months as (

    select
        appointment_month,
        region_ons_code,
        region_name,
        calendar_days,
        working_days,
        {{ sum_appointment_outcomes() }},
        {{ sum_registered_patients() }}
    from icb_months
    group by appointment_month, region_ons_code, region_name, calendar_days, working_days

),

final as (

    select
        appointment_month,
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
        reporting_icbs,
        registered_patients,
        {{ registered_patients_rates() }}
    from region_months

)

select * from final
