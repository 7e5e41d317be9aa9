with

practice_coverage as (

    select * from {{ ref('int_practice_coverage_deduplicated') }}

),

sub_icb_locations as (

    select * from {{ ref('sub_icb_locations') }}

),

final as (

    select
        practice_coverage.appointment_month,
        practice_coverage.sub_icb_location_code,
        sub_icb_locations.sub_icb_location_name,
        practice_coverage.icb_ons_code,
        practice_coverage.included_practices,
        practice_coverage.open_practices,
        practice_coverage.patients_at_included_practices,
        practice_coverage.patients_at_open_practices,
        {{ safe_ratio(
            'practice_coverage.included_practices', 'practice_coverage.open_practices'
        ) }} as practice_coverage,
        {{ safe_ratio(
            'practice_coverage.patients_at_included_practices',
            'practice_coverage.patients_at_open_practices'
        ) }} as patient_coverage,
        practice_coverage.publication_month,
        practice_coverage.source_file
    from practice_coverage
    left join sub_icb_locations
        on practice_coverage.sub_icb_location_code = sub_icb_locations.sub_icb_location_code

)

select * from final
