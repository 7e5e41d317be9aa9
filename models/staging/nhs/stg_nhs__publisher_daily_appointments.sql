with

source as (

    select * from {{ source('nhs', 'publisher_daily') }}

),

icb_code_changes as (

    select * from {{ ref('icb_code_changes') }}

),

published_label_changes as (

    select * from {{ ref('published_label_changes') }}
    where column_name = 'time_between_book_and_appointment'

),

booking_lead_time_bands as (

    select * from {{ ref('booking_lead_time_bands') }}

),

renamed as (

    select
        -- 01MAR2026: the loader has checked that every date parses
        {{ parse_date('trim(appointment_date)', '%d%b%Y') }} as appointment_date,
        trim(icb_ons_code) as published_area_code,
        trim(sub_icb_location_code) as sub_icb_location_code,
        {{ normalise_label('appointment_status') }} as appointment_status,
        {{ hcp_type_label('hcp_type') }} as hcp_type,
        {{ normalise_label('appointment_mode') }} as appointment_mode,
        {{ normalise_label('time_between_book_and_appointment') }} as published_lead_time_band,
        {{ parse_count('count_of_appointments') }} as count_of_appointments,
        {{ lineage_columns() }}
    from source

),

recoded as (

    select
        renamed.appointment_date,
        cast(date_trunc('month', renamed.appointment_date) as date) as appointment_month,
        renamed.published_area_code,
        renamed.sub_icb_location_code,
        renamed.appointment_status,
        renamed.hcp_type,
        renamed.appointment_mode,
        renamed.count_of_appointments,
        renamed.source_file,
        renamed.source_row,
        coalesce(icb_code_changes.icb_ons_code, renamed.published_area_code) as icb_ons_code,
        coalesce(published_label_changes.warehouse_label, renamed.published_lead_time_band)
            as booking_lead_time_band
    from renamed
    left join icb_code_changes
        on renamed.published_area_code = icb_code_changes.published_area_code
    left join published_label_changes
        on renamed.published_lead_time_band = published_label_changes.published_label

),

with_band_bounds as (

    select
        recoded.appointment_date,
        recoded.appointment_month,
        recoded.icb_ons_code,
        recoded.published_area_code,
        recoded.sub_icb_location_code,
        recoded.appointment_status,
        recoded.hcp_type,
        recoded.appointment_mode,
        recoded.booking_lead_time_band,
        booking_lead_time_bands.booking_lead_time_order,
        booking_lead_time_bands.booking_lead_time_min_days,
        booking_lead_time_bands.booking_lead_time_max_days,
        recoded.count_of_appointments,
        {{ publication_month('recoded.appointment_month', 'recoded.source_file') }}
            as publication_month,
        recoded.source_file,
        recoded.source_row
    from recoded
    left join booking_lead_time_bands
        on recoded.booking_lead_time_band = booking_lead_time_bands.booking_lead_time_band

)

select * from with_band_bounds
