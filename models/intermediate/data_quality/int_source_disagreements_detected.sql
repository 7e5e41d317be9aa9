{%- set tolerance = var('data_quality_reconciliation_tolerance') -%}
{%- set min_coverage = var('data_quality_min_duration_coverage') -%}

with

area_months as (

    select * from {{ ref('int_area_months_summed') }}

),

england_months as (

    select
        appointment_month,
        max(appointments) filter (
            where source_name = 'appointments_regional'
        ) as regional_appointments,
        max(appointments) filter (
            where source_name = 'national_categories'
        ) as national_category_appointments,
        max(appointments) filter (where source_name = 'actual_duration') as duration_appointments
    from area_months
    where area_level = 'England'
    group by appointment_month

),

-- the regional and national-category files count the same appointments
regional_against_national_categories as (

    select
        'appointments_regional' as source_name,
        appointment_month,
        regional_appointments as observed_appointments,
        national_category_appointments as reference_appointments,
        {{ safe_ratio('regional_appointments', 'national_category_appointments') }} - 1
            as relative_change,
        cast({{ tolerance }} as double) as threshold
    from england_months
    where
        regional_appointments is not null
        and national_category_appointments is not null

),

-- actual_duration counts the appointments with a recorded duration: a large share, never more
durations_against_national_categories as (

    select
        'actual_duration' as source_name,
        appointment_month,
        duration_appointments as observed_appointments,
        national_category_appointments as reference_appointments,
        {{ safe_ratio('duration_appointments', 'national_category_appointments') }} - 1
            as relative_change,
        cast({{ min_coverage }} as double) as threshold
    from england_months
    where
        duration_appointments is not null
        and national_category_appointments is not null

),

disagreements as (

    select * from regional_against_national_categories
    where abs(relative_change) > threshold

    union all

    select * from durations_against_national_categories
    where relative_change > 0 or relative_change + 1 < threshold

),

final as (

    select
        source_name,
        appointment_month,
        observed_appointments,
        threshold,
        'source_disagreement' as check_kind,
        'England' as area_level,
        {{ england_area_code() }} as area_code,
        cast(null as date) as appointment_date,
        cast(reference_appointments as double) as reference_appointments,
        'national_categories, ' || {{ month_label('appointment_month') }} as reference_basis,
        relative_change
    from disagreements

)

select * from final
