-- The benchmark's check of the notebook way (scripts/bench/targets.py): appointments per month
-- and actual duration band, over every region.
select
    appointment_month,
    duration_band,
    sum(count_of_appointments) as appointments
from {{ ref('duration_distribution_monthly') }}
group by appointment_month, duration_band
order by appointment_month, duration_band
