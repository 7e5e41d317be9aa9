{#- Appointments per day of the month two ways: over every calendar day, and over working days
    only (general practice is mostly closed at weekends and on bank holidays, so the working-day
    figure is the one to hold against a per-day capacity). -#}
{% macro appointments_per_day(total_column='total_appointments') -%}
    {{ safe_ratio(total_column, 'calendar_days') }} as appointments_per_calendar_day,
    {{ safe_ratio(total_column, 'working_days') }} as appointments_per_working_day
{%- endmacro %}
