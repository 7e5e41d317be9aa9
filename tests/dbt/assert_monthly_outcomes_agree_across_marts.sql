-- The national utilisation mart and the missed-appointments mart are built along different
-- paths (regions rolled up from ICBs, versus modes, HCP types and lead times summed within
-- regions); every month's attended, DNA and unknown counts must still be the same in both.
with

utilisation as (

    select * from {{ ref('utilisation_monthly') }}

),

missed as (

    select * from {{ ref('missed_appointments_monthly') }}

),

missed_months as (

    select
        appointment_month,
        sum(total_appointments) as total_appointments,
        sum(attended_appointments) as attended_appointments,
        sum(dna_appointments) as dna_appointments,
        sum(unknown_status_appointments) as unknown_status_appointments
    from missed
    group by appointment_month

)

select
    utilisation.appointment_month as utilisation_month,
    missed_months.appointment_month as missed_month,
    utilisation.total_appointments as utilisation_total,
    missed_months.total_appointments as missed_total,
    utilisation.dna_appointments as utilisation_dna,
    missed_months.dna_appointments as missed_dna
from utilisation
full outer join missed_months
    on utilisation.appointment_month = missed_months.appointment_month
where
    utilisation.appointment_month is null
    or missed_months.appointment_month is null
    or utilisation.total_appointments != missed_months.total_appointments
    or utilisation.attended_appointments != missed_months.attended_appointments
    or utilisation.dna_appointments != missed_months.dna_appointments
    or utilisation.unknown_status_appointments != missed_months.unknown_status_appointments
