with

source as (

    select * from {{ source('nhs', 'publisher_national_categories') }}

),

icb_code_changes as (

    select * from {{ ref('icb_code_changes') }}

),

renamed as (

    select
        -- 31DEC2024: the loader has checked that every date parses
        {{ parse_date('trim(appointment_date)', '%d%b%Y') }} as appointment_date,
        trim(sub_icb_location_code) as sub_icb_location_code,
        {{ normalise_label('sub_icb_location_name') }} as sub_icb_location_name,
        trim(icb_ons_code) as published_area_code,
        {{ normalise_label('service_setting') }} as service_setting,
        {{ normalise_label('context_type') }} as context_type,
        {{ normalise_label('national_category') }} as national_category,
        {{ parse_count('count_of_appointments') }} as count_of_appointments,
        {{ lineage_columns() }}
    from source

),

icb_recoded as (

    {{ icb_code_recoded('renamed', 'icb_code_changes') }}

),

with_month as (

    select
        icb_recoded.*,
        cast(date_trunc('month', icb_recoded.appointment_date) as date) as appointment_month
    from icb_recoded

),

final as (

    select
        appointment_date,
        appointment_month,
        sub_icb_location_code,
        sub_icb_location_name,
        icb_ons_code,
        service_setting,
        context_type,
        national_category,
        count_of_appointments,
        {{ publication_month('appointment_month') }} as publication_month,
        source_file,
        source_row
    from with_month

)

select * from final
