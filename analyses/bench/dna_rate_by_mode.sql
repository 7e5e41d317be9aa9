-- The benchmark's check of the notebook way (scripts/bench/targets.py): the DNA rate per month
-- and appointment mode, over every region.
select
    appointment_month,
    appointment_mode,
    sum(dna_appointments) / sum(total_appointments) as dna_rate
from {{ ref('missed_appointments_monthly') }}
group by appointment_month, appointment_mode
order by appointment_month, appointment_mode
