with

source as (

    select * from {{ source('nhs', 'national_categories') }}

),

renamed as (

    select
        cast(appointment_date as date) as appointment_date,
        {{ parse_date('appointment_month', '%Y-%m') }} as appointment_month,
        {{ normalise_label('sub_icb_location_name') }} as sub_icb_location_name,
        trim(icb_ons_code) as icb_ons_code,
        {{ normalise_label('service_setting') }} as service_setting,
        {{ normalise_label('context_type') }} as context_type,
        {{ normalise_label('national_category') }} as national_category,
        {{ parse_count('count_of_appointments') }} as count_of_appointments,
        {{ lineage_columns() }}
    from source

),

final as (

    select
        appointment_date,
        appointment_month,
        sub_icb_location_name,
        icb_ons_code,
        service_setting,
        context_type,
        national_category,
        count_of_appointments,
        source_file,
        source_row,
        -- the workbook names the location but has no code column; the code is the name's suffix
        regexp_extract(sub_icb_location_name, ' - ([0-9A-Z]+)$', 1) as sub_icb_location_code
    from renamed

)

select * from final
