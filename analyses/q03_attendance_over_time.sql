-- Question: Has attendance changed? Attended, missed (DNA) and unknown outcomes per quarter
-- dna_rate = DNA / all appointments; dna_rate_known_outcome = DNA / (attended + DNA), which
-- leaves out appointments whose status stayed Booked (Unknown). Only months in which every ICB
-- reported count: a build given the publisher's files for some areas only (2019 from the 24
-- official Regional_CSV files) has partial national totals there.
with

all_months as (

    select * from {{ ref('utilisation_monthly') }}

),

complete_months as (

    {{ months_every_icb_reported() }}

),

months as (

    select all_months.*
    from all_months
    inner join complete_months
        on all_months.appointment_month = complete_months.appointment_month

),

quarters as (

    select
        cast(date_trunc('quarter', appointment_month) as date) as quarter_start,
        sum(total_appointments) as total_appointments,
        sum(attended_appointments) as attended_appointments,
        sum(dna_appointments) as dna_appointments,
        sum(unknown_status_appointments) as unknown_status_appointments
    from months
    group by cast(date_trunc('quarter', appointment_month) as date)

),

labelled as (

    select
        quarter_start,
        total_appointments,
        attended_appointments,
        dna_appointments,
        unknown_status_appointments,
        year(quarter_start) || '-Q' || quarter(quarter_start) as calendar_quarter
    from quarters

)

select
    calendar_quarter,
    total_appointments,
    dna_appointments,
    round(attended_appointments / total_appointments, 3) as attended_rate,
    round(dna_appointments / total_appointments, 4) as dna_rate,
    round(dna_appointments / (attended_appointments + dna_appointments), 4)
        as dna_rate_known_outcome,
    round(unknown_status_appointments / total_appointments, 3) as unknown_rate
from labelled
order by quarter_start
