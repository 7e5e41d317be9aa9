-- Question: Which appointment modes, lead times and regions miss most, and is it changing?
-- DNA rate (DNA / all appointments) for each mode, booking lead time, region and HCP type, in
-- the first and in the last twelve months of the data, highest recent rate first within each
-- breakdown. A rate is always summed counts divided, never an average of rates.
with

missed as (

    select * from {{ ref('missed_appointments_monthly') }}

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
        missed.region_name,
        missed.hcp_type,
        missed.dna_appointments,
        missed.total_appointments,
        case
            when missed.appointment_month < coverage.first_period_end then 'first'
            when missed.appointment_month > coverage.last_period_start then 'last'
        end as data_period
    from missed
    cross join coverage

),

rates as (

    select
        case
            when grouping(appointment_mode) = 0 then 'appointment mode'
            when grouping(booking_lead_time_band) = 0 then 'booking lead time'
            when grouping(region_name) = 0 then 'region'
            else 'HCP type'
        end as breakdown,
        coalesce(
            appointment_mode, booking_lead_time_band, region_name, hcp_type
        ) as breakdown_value,
        sum(total_appointments) filter (where data_period = 'last') as recent_appointments,
        sum(dna_appointments) filter (where data_period = 'first')
        / sum(total_appointments) filter (where data_period = 'first') as dna_rate_first,
        sum(dna_appointments) filter (where data_period = 'last')
        / sum(total_appointments) filter (where data_period = 'last') as dna_rate_last
    from periods
    group by grouping sets (
        (appointment_mode), (booking_lead_time_band), (region_name), (hcp_type)
    )

)

select
    breakdown,
    breakdown_value,
    recent_appointments,
    round(dna_rate_first, 4) as dna_rate_first_12_months,
    round(dna_rate_last, 4) as dna_rate_last_12_months,
    round(dna_rate_last - dna_rate_first, 4) as rate_change
from rates
order by breakdown asc, dna_rate_last desc
