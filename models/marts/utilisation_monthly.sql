with

icb_months as (

    select * from {{ ref('int_icb_appointment_outcomes_pivoted') }}

),

calendar as (

    select * from {{ ref('int_calendar_days_classified') }}

),

-- every day of a month shares its season and financial year, so the first day speaks for it
month_labels as (

    select
        month_start_date,
        season,
        nhs_financial_year
    from calendar
    where day_of_month = 1

),

national_months as (

    select
        appointment_month,
        calendar_days,
        working_days,
        {{ sum_appointment_outcomes() }},
        {{ sum_registered_patients() }}
    from icb_months
    group by appointment_month, calendar_days, working_days

),

per_day as (

    select
        national_months.appointment_month,
        month_labels.season,
        month_labels.nhs_financial_year,
        national_months.total_appointments,
        national_months.attended_appointments,
        national_months.dna_appointments,
        national_months.unknown_status_appointments,
        national_months.calendar_days,
        national_months.working_days,
        national_months.reporting_icbs,
        national_months.registered_patients,
        national_months.included_practices,
        national_months.open_practices,
        {{ appointments_per_day('national_months.total_appointments') }},
        cast({{ var('daily_appointment_capacity') }} as bigint) as capacity_per_day
    from national_months
    left join month_labels
        on national_months.appointment_month = month_labels.month_start_date

),

final as (

    select
        appointment_month,
        season,
        nhs_financial_year,
        total_appointments,
        attended_appointments,
        dna_appointments,
        unknown_status_appointments,
        calendar_days,
        working_days,
        appointments_per_calendar_day,
        appointments_per_working_day,
        capacity_per_day,
        {{ safe_ratio('appointments_per_calendar_day', 'capacity_per_day') }}
            as utilisation_calendar_day,
        {{ safe_ratio('appointments_per_working_day', 'capacity_per_day') }}
            as utilisation_working_day,
        reporting_icbs,
        registered_patients,
        {{ registered_patients_rates() }}
    from per_day

)

select * from final
