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

icb_recoded as (

    {{ icb_code_recoded('renamed', 'icb_code_changes') }}

),

final as (

    select
        appointment_month,
        sub_icb_location_code,
        region_ons_code,
        included_practices,
        open_practices,
        patients_at_included_practices,
        patients_at_open_practices,
        source_file,
        source_row,
        icb_ons_code,
        {{ publication_month('appointment_month') }} as publication_month
    from icb_recoded

)

select * from final
