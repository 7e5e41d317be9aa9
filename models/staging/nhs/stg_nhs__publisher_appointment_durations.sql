with

source as (

    select * from {{ source('nhs', 'publisher_actual_duration') }}

),

icb_code_changes as (

    select * from {{ ref('icb_code_changes') }}

),

duration_bands as (

    select * from {{ ref('duration_bands') }}

),

renamed as (

    select
        -- 01DEC2021: the loader has checked that every date parses
        {{ parse_date('trim(appointment_date)', '%d%b%Y') }} as appointment_date,
        trim(sub_icb_location_code) as sub_icb_location_code,
        trim(sub_icb_location_ons_code) as sub_icb_location_ons_code,
        {{ normalise_label('sub_icb_location_name') }} as sub_icb_location_name,
        trim(icb_ons_code) as published_area_code,
        trim(region_ons_code) as region_ons_code,
        {{ normalise_label('actual_duration') }} as duration_band,
        {{ parse_count('count_of_appointments') }} as count_of_appointments,
        {{ lineage_columns() }}
    from source

),

with_band_bounds as (

    select
        renamed.appointment_date,
        renamed.sub_icb_location_code,
        renamed.sub_icb_location_ons_code,
        renamed.sub_icb_location_name,
        renamed.region_ons_code,
        renamed.duration_band,
        duration_bands.duration_band_order,
        duration_bands.duration_min_minutes,
        duration_bands.duration_max_minutes,
        renamed.count_of_appointments,
        renamed.source_file,
        renamed.source_row,
        cast(date_trunc('month', renamed.appointment_date) as date) as appointment_month,
        coalesce(icb_code_changes.icb_ons_code, renamed.published_area_code) as icb_ons_code
    from renamed
    left join icb_code_changes
        on renamed.published_area_code = icb_code_changes.published_area_code
    left join duration_bands
        on renamed.duration_band = duration_bands.duration_band

),

final as (

    select
        appointment_date,
        appointment_month,
        sub_icb_location_code,
        sub_icb_location_ons_code,
        sub_icb_location_name,
        icb_ons_code,
        region_ons_code,
        duration_band,
        duration_band_order,
        duration_min_minutes,
        duration_max_minutes,
        count_of_appointments,
        {{ publication_month('appointment_month') }} as publication_month,
        source_file,
        source_row
    from with_band_bounds

)

select * from final
