-- The benchmark's check of the notebook way (scripts/bench/targets.py): appointments per month
-- as each source reports them.
select
    appointment_month,
    regional_appointments,
    national_category_appointments,
    duration_appointments
from {{ ref('source_reconciliation_monthly') }}
order by appointment_month
