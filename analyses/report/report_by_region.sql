-- The report's charts by NHS region (scripts/report/appointment_charts.py): one row per month
-- and region.
select
    appointment_month,
    region_name,
    total_appointments,
    appointments_per_working_day,
    share_of_national_appointments,
    registered_patients,
    appointments_per_1000_patients
from {{ ref('utilisation_monthly_by_region') }}
order by appointment_month, region_name
