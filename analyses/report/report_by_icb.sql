-- The report's ICB chart (scripts/report/appointment_charts.py): one row per month and ICB, with
-- the ICB's region as the area its selector picks.
select
    appointment_month,
    region_name as area,
    icb_name,
    total_appointments,
    appointments_per_working_day,
    share_of_national_appointments,
    registered_patients,
    appointments_per_1000_patients
from {{ ref('utilisation_monthly_by_icb') }}
order by appointment_month, area, icb_name
