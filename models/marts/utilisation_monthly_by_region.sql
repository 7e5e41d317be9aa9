with

icb_utilisation as (

    select * from {{ ref('utilisation_monthly_by_icb') }}

),

region_months as (

    select
        appointment_month,
        region_ons_code,
        region_name,
        calendar_days,
        working_days,
        {{ sum_appointment_outcomes() }}
    from icb_utilisation
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
        ) }} as share_of_national_appointments
    from region_months

)

select * from final
