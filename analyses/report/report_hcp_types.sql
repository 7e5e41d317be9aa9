-- The report's healthcare-professional chart (scripts/report/appointment_charts.py):
-- appointments per month and HCP type.
select
    appointment_month,
    hcp_type,
    sum(count_of_appointments) as appointments
from {{ ref('fct_appointments_monthly') }}
group by appointment_month, hcp_type
order by appointment_month, hcp_type
