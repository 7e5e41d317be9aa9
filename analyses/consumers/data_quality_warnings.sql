-- The data-quality warnings of this build, one line each, in the order the build summary and
-- a --strict build list them (check, source, month, day, area).
select
    check_kind,
    source_name,
    area_code,
    appointment_month,
    appointment_date,
    message
from {{ ref('data_quality_warnings') }}
order by check_kind, source_name, appointment_month, appointment_date, area_code
