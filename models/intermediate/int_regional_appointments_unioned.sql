{#- The course's cleaned file and the publisher's own files (monthly Regional_CSV files, and
    daily files by sub-ICB location summed to the month) in one grain. A month of an ICB may
    be published several times (each publication re-issues a rolling window of past months,
    revised); is_latest_publication marks the rows of the latest publication that covers it.
    Where one publication gives a month and ICB both monthly and daily (the same appointments,
    from two of its archives), the monthly figures are used. -#}
with

course_appointments as (

    select * from {{ ref('stg_nhs__regional_appointments') }}

),

publisher_appointments as (

    select * from {{ ref('stg_nhs__publisher_regional_appointments') }}

),

publisher_daily_appointments as (

    select * from {{ ref('stg_nhs__publisher_daily_appointments') }}

),

-- one row per daily file, month and cell, lineage pointing at the first line it sums
daily_summed_to_months as (

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
        {{ sum_as_bigint('count_of_appointments') }} as count_of_appointments,
        publication_month,
        source_file,
        min(source_row) as source_row
    from publisher_daily_appointments
    group by
        appointment_month,
        icb_ons_code,
        appointment_status,
        hcp_type,
        appointment_mode,
        booking_lead_time_band,
        booking_lead_time_order,
        booking_lead_time_min_days,
        booking_lead_time_max_days,
        publication_month,
        source_file

),

daily_not_given_monthly as (

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
        source_file,
        source_row
    from daily_summed_to_months
    where not exists (
        select 1
        from publisher_appointments
        where
            publisher_appointments.publication_month = daily_summed_to_months.publication_month
            and publisher_appointments.appointment_month = daily_summed_to_months.appointment_month
            and publisher_appointments.icb_ons_code = daily_summed_to_months.icb_ons_code
    )

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
        'publisher_daily' as source_layout,
        source_file,
        source_row
    from daily_not_given_monthly

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
        {{ is_latest_publication(['appointment_month', 'icb_ons_code']) }}
            as is_latest_publication
    from unioned

)

select * from flagged
