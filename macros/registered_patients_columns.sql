{#- Registered patients and practice coverage of a month, summed from ICB months up to a
    region or England. The appointment counts cover only the included practices, so
    registered_patients is the population they describe; it is given only when every ICB in
    the group has coverage that month (a partial sum would inflate the rate per patient). -#}
{% macro sum_registered_patients() -%}
    case
        when count(registered_patients) = count(*)
            then {{ sum_as_bigint('registered_patients') }}
    end as registered_patients,
    case
        when count(included_practices) = count(*)
            then {{ sum_as_bigint('included_practices') }}
    end as included_practices,
    case
        when count(open_practices) = count(*)
            then {{ sum_as_bigint('open_practices') }}
    end as open_practices,
    cast(count(*) as integer) as reporting_icbs
{%- endmacro %}

{#- Appointments per 1,000 registered patients, and the share of open practices included. -#}
{% macro registered_patients_rates(total_column='total_appointments') -%}
    {{ safe_ratio('1000 * ' ~ total_column, 'registered_patients') }}
    as appointments_per_1000_patients,
    {{ safe_ratio('included_practices', 'open_practices') }} as practice_coverage
{%- endmacro %}
