with

source as (

    select * from {{ source('nhs', 'publisher_daily') }}

),

icb_code_changes as (

    select * from {{ ref('icb_code_changes') }}

),

published_label_changes as (

    select * from {{ ref('published_label_changes') }}

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

icb_recoded as (

    {{ icb_code_recoded('renamed', 'icb_code_changes') }}

),

lead_time_recoded as (

    {{ booking_lead_time_recoded(
        'icb_recoded', 'published_label_changes', 'booking_lead_time_bands'
    ) }}

),

with_month as (

    select
        lead_time_recoded.*,
        cast(date_trunc('month', lead_time_recoded.appointment_date) as date) as appointment_month
    from lead_time_recoded

),

final as (

    select
        appointment_date,
        appointment_month,
        icb_ons_code,
        published_area_code,
        sub_icb_location_code,
        appointment_status,
        hcp_type,
        appointment_mode,
        booking_lead_time_band,
        booking_lead_time_order,
        booking_lead_time_min_days,
        booking_lead_time_max_days,
        count_of_appointments,
        {{ publication_month('appointment_month') }} as publication_month,
        source_file,
        source_row
    from with_month

)

select * from final
