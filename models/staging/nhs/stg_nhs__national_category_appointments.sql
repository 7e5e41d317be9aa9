with

source as (

    select * from {{ source('nhs', 'national_categories') }}

),

renamed as (

    select
        cast(appointment_date as date) as appointment_date,
        {{ parse_date('appointment_month', '%Y-%m') }} as appointment_month,
        -- the workbook names the location but has no code column; the code is the name's suffix
        regexp_extract(
            {{ normalise_label('sub_icb_location_name') }}, ' - ([0-9A-Z]+)$', 1
        ) as sub_icb_location_code,
        {{ normalise_label('sub_icb_location_name') }} as sub_icb_location_name,
        trim(icb_ons_code) as icb_ons_code,
        {{ normalise_label('service_setting') }} as service_setting,
        {{ normalise_label('context_type') }} as context_type,
        {{ normalise_label('national_category') }} as national_category,
        {{ parse_count('count_of_appointments') }} as count_of_appointments,
        {{ lineage_columns() }}
    from source

)

select * from renamed
