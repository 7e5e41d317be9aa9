-- Question: How has the time between booking and appointment changed?
-- Share of each quarter's appointments by booking lead-time band: same day and next day are the
-- urgent end; more than 14 days is mostly planned reviews and repeat appointments.
with

appointments as (

    select * from {{ ref('fct_appointments_monthly') }}

),

quarters as (

    select
        cast(date_trunc('quarter', appointment_month) as date) as quarter_start,
        sum(count_of_appointments) filter (where booking_lead_time_order = 1) as same_day,
        sum(count_of_appointments) filter (where booking_lead_time_order = 2) as one_day,
        sum(count_of_appointments) filter (where booking_lead_time_order = 3) as two_to_7_days,
        sum(count_of_appointments) filter (where booking_lead_time_order = 4) as eight_to_14_days,
        sum(count_of_appointments) filter (
            where booking_lead_time_order in (5, 6, 7)
        ) as over_14_days,
        sum(count_of_appointments) filter (where booking_lead_time_order = 8) as unknown_lead_time,
        sum(count_of_appointments) as all_bands
    from appointments
    group by cast(date_trunc('quarter', appointment_month) as date)

),

labelled as (

    select
        quarter_start,
        same_day,
        one_day,
        two_to_7_days,
        eight_to_14_days,
        over_14_days,
        unknown_lead_time,
        all_bands,
        year(quarter_start) || '-Q' || quarter(quarter_start) as calendar_quarter
    from quarters

)

select
    calendar_quarter,
    all_bands as total_appointments,
    round(same_day / all_bands, 3) as same_day_share,
    round(one_day / all_bands, 3) as one_day_share,
    round(two_to_7_days / all_bands, 3) as days_2_to_7_share,
    round(eight_to_14_days / all_bands, 3) as days_8_to_14_share,
    round(over_14_days / all_bands, 3) as over_14_days_share,
    round(unknown_lead_time / all_bands, 3) as unknown_share
from labelled
order by quarter_start
