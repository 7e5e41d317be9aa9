with

source as (

    select * from {{ source('nhs', 'appointments_regional') }}

),

booking_lead_time_bands as (

    select * from {{ ref('booking_lead_time_bands') }}

),

renamed as (

    select
        {{ parse_date('appointment_month', '%Y-%m') }} as appointment_month,
        trim(icb_ons_code) as icb_ons_code,
        {{ normalise_label('appointment_status') }} as appointment_status,
        {{ hcp_type_label('hcp_type') }} as hcp_type,
        {{ normalise_label('appointment_mode') }} as appointment_mode,
        {{ normalise_label('time_between_book_and_appointment') }} as booking_lead_time_band,
        {{ parse_count('count_of_appointments') }} as count_of_appointments,
        {{ lineage_columns() }}
    from source

),

with_band_bounds as (

    select
        renamed.appointment_month,
        renamed.icb_ons_code,
        renamed.appointment_status,
        renamed.hcp_type,
        renamed.appointment_mode,
        renamed.booking_lead_time_band,
        booking_lead_time_bands.booking_lead_time_order,
        booking_lead_time_bands.booking_lead_time_min_days,
        booking_lead_time_bands.booking_lead_time_max_days,
        renamed.count_of_appointments,
        -- the course's files are one extract, counted as the June 2022 publication
        {{ course_publication_month() }} as publication_month,
        renamed.source_file,
        renamed.source_row
    from renamed
    left join booking_lead_time_bands
        on renamed.booking_lead_time_band = booking_lead_time_bands.booking_lead_time_band

)

select * from with_band_bounds
