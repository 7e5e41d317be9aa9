-- The report's DNA-rate-by-mode chart (scripts/report/appointment_charts.py): DNA / all
-- appointments per month and appointment mode, for England (area 'England') and for each
-- region, summed before divided.
select
    appointment_month,
    appointment_mode,
    coalesce(region_name, 'England') as area,
    sum(dna_appointments) as dna_appointments,
    sum(total_appointments) as total_appointments,
    sum(dna_appointments) / sum(total_appointments) as dna_rate
from {{ ref('missed_appointments_monthly') }}
group by
    grouping sets (
        (appointment_month, appointment_mode),
        (appointment_month, appointment_mode, region_name)
    )
order by appointment_month, area, appointment_mode
