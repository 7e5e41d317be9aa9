-- The report's utilisation chart (scripts/report/appointment_charts.py): England's appointments
-- per working and per calendar day each month against the planning capacity.
select
    appointment_month,
    total_appointments,
    appointments_per_working_day,
    appointments_per_calendar_day,
    capacity_per_day,
    utilisation_working_day,
    utilisation_calendar_day
from {{ ref('utilisation_monthly') }}
order by appointment_month
