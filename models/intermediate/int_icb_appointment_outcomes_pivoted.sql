with

regional_appointments as (

    select * from {{ ref('int_regional_appointments_aggregated') }}

),

calendar as (

    select * from {{ ref('int_calendar_days_classified') }}

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
        months.working_days
    from icb_months
    left join months
        on icb_months.appointment_month = months.month_start_date
    left join integrated_care_boards
        on icb_months.icb_ons_code = integrated_care_boards.icb_ons_code
    left join nhs_regions
        on icb_months.region_ons_code = nhs_regions.region_ons_code

)

select * from final
