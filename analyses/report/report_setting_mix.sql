-- The report's service-setting mix charts (scripts/report/mix_charts.py): appointments per
-- month (with its season) and service setting.
select
    appointment_month,
    season,
    service_setting as category,
    sum(count_of_appointments) as appointments
from {{ ref('service_setting_daily') }}
group by appointment_month, season, service_setting
order by appointment_month, season, category
