{#- The course's cleaned file and the publisher's own files in one grain. A month of an ICB may
    be published several times (each publication re-issues a rolling window of past months,
    revised); is_latest_publication marks the rows of the latest publication that covers it. -#}
with

course_appointments as (

    select * from {{ ref('stg_nhs__regional_appointments') }}

),

publisher_appointments as (

    select * from {{ ref('stg_nhs__publisher_regional_appointments') }}

),

unioned as (

    select
        appointment_month,
        icb_ons_code,
        appointment_status,
        hcp_type,
        appointment_mode,
        booking_lead_time_band,
        booking_lead_time_order,
        booking_lead_time_min_days,
        booking_lead_time_max_days,
        count_of_appointments,
        publication_month,
        'course' as source_layout,
        source_file,
        source_row
    from course_appointments

    union all

    select
        appointment_month,
        icb_ons_code,
        appointment_status,
        hcp_type,
        appointment_mode,
        booking_lead_time_band,
        booking_lead_time_order,
        booking_lead_time_min_days,
        booking_lead_time_max_days,
        count_of_appointments,
        publication_month,
        'publisher' as source_layout,
        source_file,
        source_row
    from publisher_appointments

),

flagged as (

    select
        appointment_month,
        icb_ons_code,
        appointment_status,
        hcp_type,
        appointment_mode,
        booking_lead_time_band,
        booking_lead_time_order,
        booking_lead_time_min_days,
        booking_lead_time_max_days,
        count_of_appointments,
        publication_month,
        source_layout,
        source_file,
        source_row,
        publication_month = max(publication_month) over (
            partition by appointment_month, icb_ons_code
        ) as is_latest_publication
    from unioned

)

select * from flagged
