with

-- for each month and ICB, the figures of the latest publication that covers it
regional_appointments as (

    select * from {{ ref('int_regional_appointments_unioned') }}
    where is_latest_publication

),

integrated_care_boards as (

    select * from {{ ref('integrated_care_boards') }}

),

-- the publisher dropped the sub-ICB column, so one natural key spans several raw rows
aggregated as (

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
        publication_month,
        {{ sum_as_bigint('count_of_appointments') }} as count_of_appointments,
        count(*) as source_rows
    from regional_appointments
    group by all

),

with_region as (

    select
        aggregated.appointment_month,
        aggregated.icb_ons_code,
        integrated_care_boards.region_ons_code,
        aggregated.appointment_status,
        aggregated.hcp_type,
        aggregated.appointment_mode,
        aggregated.booking_lead_time_band,
        aggregated.booking_lead_time_order,
        aggregated.booking_lead_time_min_days,
        aggregated.booking_lead_time_max_days,
        aggregated.publication_month,
        aggregated.count_of_appointments,
        aggregated.source_rows
    from aggregated
    left join integrated_care_boards
        on aggregated.icb_ons_code = integrated_care_boards.icb_ons_code

)

select * from with_region
