-- Question: Which appointment modes, lead times and regions miss most, and is it changing?
-- DNA rate (DNA / all appointments) by appointment mode and booking lead time, in the first
-- and the last twelve months of the data; a rate is always summed counts divided, never averaged.
with

missed as (

    select * from marts.missed_appointments_monthly

),

coverage as (

    select
        min(appointment_month) + interval 12 month as first_period_end,
        max(appointment_month) - interval 12 month as last_period_start
    from missed

),

periods as (

    select
        missed.appointment_mode,
        missed.booking_lead_time_band,
        missed.booking_lead_time_order,
        missed.dna_appointments,
        missed.total_appointments,
        case
            when missed.appointment_month < coverage.first_period_end then 'first 12 months'
            when missed.appointment_month > coverage.last_period_start then 'last 12 months'
        end as data_period
    from missed
    cross join coverage

),

rates as (

    select
        appointment_mode,
        booking_lead_time_band,
        booking_lead_time_order,
        sum(total_appointments) filter (
            where data_period = 'last 12 months'
        ) as recent_appointments,
        sum(dna_appointments) filter (where data_period = 'first 12 months')
        / sum(total_appointments) filter (where data_period = 'first 12 months') as dna_rate_first,
        sum(dna_appointments) filter (where data_period = 'last 12 months')
        / sum(total_appointments) filter (where data_period = 'last 12 months') as dna_rate_last
    from periods
    group by appointment_mode, booking_lead_time_band, booking_lead_time_order

)

select
    appointment_mode,
    booking_lead_time_band,
    recent_appointments,
    round(dna_rate_first, 4) as dna_rate_first_12_months,
    round(dna_rate_last, 4) as dna_rate_last_12_months,
    round(dna_rate_last - dna_rate_first, 4) as rate_change
from rates
where appointment_mode != 'Unknown'
order by appointment_mode asc, booking_lead_time_order asc
