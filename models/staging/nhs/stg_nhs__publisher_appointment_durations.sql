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

icb_recoded as (

    {{ icb_code_recoded('renamed', 'icb_code_changes') }}

),

with_band_bounds as (

    select
        icb_recoded.appointment_date,
        icb_recoded.sub_icb_location_code,
        icb_recoded.sub_icb_location_ons_code,
        icb_recoded.sub_icb_location_name,
        icb_recoded.region_ons_code,
        icb_recoded.duration_band,
        duration_bands.duration_band_order,
        duration_bands.duration_min_minutes,
        duration_bands.duration_max_minutes,
        icb_recoded.count_of_appointments,
        icb_recoded.source_file,
        icb_recoded.source_row,
        cast(date_trunc('month', icb_recoded.appointment_date) as date) as appointment_month,
        icb_recoded.icb_ons_code
    from icb_recoded
    left join duration_bands
        on icb_recoded.duration_band = duration_bands.duration_band

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
