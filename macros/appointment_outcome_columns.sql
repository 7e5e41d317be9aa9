{#- Appointment totals by final status, side by side: pivot_appointment_outcomes splits the
    rows of one status each into columns, sum_appointment_outcomes re-adds those columns when a
    mart rolls its grain up, so every mart splits appointments by outcome the same way. -#}
{% macro pivot_appointment_outcomes(
    status_column='appointment_status', count_column='count_of_appointments'
) -%}
    {{ sum_as_bigint(count_column) }} as total_appointments,
    {{ sum_as_bigint(count_column, where=status_column ~ " = 'Attended'") }} as attended_appointments,
    {{ sum_as_bigint(count_column, where=status_column ~ " = 'DNA'") }} as dna_appointments,
    {{ sum_as_bigint(count_column, where=status_column ~ " = 'Unknown'") }}
    as unknown_status_appointments
{%- endmacro %}

{% macro sum_appointment_outcomes() -%}
    {{ sum_as_bigint('total_appointments') }} as total_appointments,
    {{ sum_as_bigint('attended_appointments') }} as attended_appointments,
    {{ sum_as_bigint('dna_appointments') }} as dna_appointments,
    {{ sum_as_bigint('unknown_status_appointments') }} as unknown_status_appointments
{%- endmacro %}
