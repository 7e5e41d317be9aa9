-- The report's healthcare-professional chart (scripts/report/appointment_charts.py):
-- appointments per month and HCP type, in the months in which every ICB reported (England's
-- totals are partial in the others).
select
    appointment_month,
    hcp_type,
    sum(count_of_appointments) as appointments
from {{ ref('fct_appointments_monthly') }}
where appointment_month in ({{ months_every_icb_reported() }})
group by appointment_month, hcp_type
order by appointment_month, hcp_type
