with

regional_appointments as (

    select * from {{ ref('int_regional_appointments_aggregated') }}

),

calendar as (

    select * from {{ ref('int_calendar_days_classified') }}

),

practice_coverage as (

    select * from {{ ref('int_practice_coverage_deduplicated') }}

),

integrated_care_boards as (

    select * from {{ ref('integrated_care_boards') }}

),

nhs_regions as (

    select * from {{ ref('nhs_regions') }}

),

months as (

    select
        month_start_date,
        cast(count(*) as integer) as calendar_days,
        cast(count(*) filter (where is_working_day) as integer) as working_days
    from calendar
    group by month_start_date

),

icb_months as (

    select
        appointment_month,
        icb_ons_code,
        region_ons_code,
        {{ pivot_appointment_outcomes() }}
    from regional_appointments
    group by appointment_month, icb_ons_code, region_ons_code

),

-- the patients registered at the practices the counts cover, where coverage files were given
icb_coverage as (

    select
        appointment_month,
        icb_ons_code,
        {{ sum_as_bigint('patients_at_included_practices') }} as registered_patients,
        {{ sum_as_bigint('included_practices') }} as included_practices,
        {{ sum_as_bigint('open_practices') }} as open_practices
    from practice_coverage
    group by appointment_month, icb_ons_code

),

final as (

    select
        icb_months.appointment_month,
        icb_months.icb_ons_code,
        integrated_care_boards.icb_name,
        icb_months.region_ons_code,
        nhs_regions.region_name,
        icb_months.total_appointments,
        icb_months.attended_appointments,
        icb_months.dna_appointments,
        icb_months.unknown_status_appointments,
        months.calendar_days,
        months.working_days,
        icb_coverage.registered_patients,
        icb_coverage.included_practices,
        icb_coverage.open_practices
    from icb_months
    left join months
        on icb_months.appointment_month = months.month_start_date
    left join icb_coverage
        on
            icb_months.appointment_month = icb_coverage.appointment_month
            and icb_months.icb_ons_code = icb_coverage.icb_ons_code
    left join integrated_care_boards
        on icb_months.icb_ons_code = integrated_care_boards.icb_ons_code
    left join nhs_regions
        on icb_months.region_ons_code = nhs_regions.region_ons_code

)

select * from final
