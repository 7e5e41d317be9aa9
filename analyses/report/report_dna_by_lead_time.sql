-- The report's DNA-rate-by-lead-time chart (scripts/report/appointment_charts.py): DNA / all
-- appointments per month and booking lead-time band, for England (area 'England') and for each
-- region, summed before divided.
select
    appointment_month,
    booking_lead_time_band,
    booking_lead_time_order,
    coalesce(region_name, 'England') as area,
    sum(dna_appointments) as dna_appointments,
    sum(total_appointments) as total_appointments,
    sum(dna_appointments) / sum(total_appointments) as dna_rate
from {{ ref('missed_appointments_monthly') }}
group by
    grouping sets (
        (appointment_month, booking_lead_time_band, booking_lead_time_order),
        (appointment_month, booking_lead_time_band, booking_lead_time_order, region_name)
    )
order by appointment_month, area, booking_lead_time_order
