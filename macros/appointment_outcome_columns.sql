{#- The appointment totals by final status, pivoted once in int_appointment_outcomes_pivoted and
    re-added with these two macros wherever a mart rolls that grain up, so every mart splits
    appointments by outcome the same way. -#}
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
