-- The report's utilisation chart (scripts/report/appointment_charts.py): England's appointments
-- per working and per calendar day each month against the planning capacity. Only months in
-- which every ICB reported: a build given the publisher's files for some areas only (2019 from
-- the 24 official Regional_CSV files) has partial national totals there.
select
    appointment_month,
    total_appointments,
    appointments_per_working_day,
    appointments_per_calendar_day,
    capacity_per_day,
    utilisation_working_day,
    utilisation_calendar_day
from {{ ref('utilisation_monthly') }}
where appointment_month in ({{ months_every_icb_reported() }})
order by appointment_month
