with

source as (

    select * from {{ source('nhs', 'actual_duration') }}

),

duration_bands as (

    select * from {{ ref('duration_bands') }}

),

renamed as (

    select
        {{ parse_date('appointment_date', '%d-%b-%y') }} as appointment_date,
        trim(sub_icb_location_code) as sub_icb_location_code,
        trim(sub_icb_location_ons_code) as sub_icb_location_ons_code,
        {{ normalise_label('sub_icb_location_name') }} as sub_icb_location_name,
        trim(icb_ons_code) as icb_ons_code,
        trim(region_ons_code) as region_ons_code,
        {{ normalise_label('actual_duration') }} as duration_band,
        {{ parse_count('count_of_appointments') }} as count_of_appointments,
        {{ lineage_columns() }}
    from source

),

with_band_bounds as (

    select
        renamed.appointment_date,
        cast(date_trunc('month', renamed.appointment_date) as date) as appointment_month,
        renamed.sub_icb_location_code,
        renamed.sub_icb_location_ons_code,
        renamed.sub_icb_location_name,
        renamed.icb_ons_code,
        renamed.region_ons_code,
        renamed.duration_band,
        duration_bands.duration_band_order,
        duration_bands.duration_min_minutes,
        duration_bands.duration_max_minutes,
        renamed.count_of_appointments,
        renamed.source_file,
        renamed.source_row
    from renamed
    left join duration_bands
        on renamed.duration_band = duration_bands.duration_band

)

select * from with_band_bounds
