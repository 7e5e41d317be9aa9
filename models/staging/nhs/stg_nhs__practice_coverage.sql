with

source as (

    select * from {{ source('nhs', 'practice_coverage') }}

),

icb_code_changes as (

    select * from {{ ref('icb_code_changes') }}

),

renamed as (

    select
        -- 01AUG2020: the loader has checked that every month parses and is a first day
        {{ parse_date('trim(appointment_month)', '%d%b%Y') }} as appointment_month,
        trim(sub_icb_location_code) as sub_icb_location_code,
        trim(icb_ons_code) as published_area_code,
        trim(region_ons_code) as region_ons_code,
        cast(included_practices as integer) as included_practices,
        cast(open_practices as integer) as open_practices,
        {{ parse_count('patients_at_included_practices') }} as patients_at_included_practices,
        {{ parse_count('patients_at_open_practices') }} as patients_at_open_practices,
        {{ lineage_columns() }}
    from source

),

final as (

    select
        renamed.appointment_month,
        renamed.sub_icb_location_code,
        renamed.region_ons_code,
        renamed.included_practices,
        renamed.open_practices,
        renamed.patients_at_included_practices,
        renamed.patients_at_open_practices,
        renamed.source_file,
        renamed.source_row,
        coalesce(icb_code_changes.icb_ons_code, renamed.published_area_code) as icb_ons_code,
        {{ publication_month('renamed.appointment_month', 'renamed.source_file') }}
            as publication_month
    from renamed
    left join icb_code_changes
        on renamed.published_area_code = icb_code_changes.published_area_code

)

select * from final
