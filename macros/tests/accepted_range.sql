{#- Fails with every row whose value is outside [min_value, max_value]; either bound may be
    omitted. Nulls are left to not_null tests. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}

{%- set lower_bound = min_value if min_value is not none else 'null' -%}
{%- set upper_bound = max_value if max_value is not none else 'null' -%}

    select *
    from {{ model }}
    where
        {{ column_name }} < coalesce({{ lower_bound }}, {{ column_name }})
        or {{ column_name }} > coalesce({{ upper_bound }}, {{ column_name }})

{% endtest %}
