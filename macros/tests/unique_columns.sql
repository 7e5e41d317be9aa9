{#- Fails with each value that occurs more than once in any of the given columns, each column
    unique on its own: dbt's unique for several columns in one query (one test node, not one
    per column). Nulls are left to not_null. -#}
{% test unique_columns(model, columns) %}

    {{ duplicated_values(model, columns) }}

{% endtest %}

{% macro duplicated_values(relation, columns) -%}
    {%- for column in columns %}
        select
            '{{ column }}' as column_name,
            cast({{ column }} as {{ dbt.type_string() }}) as duplicated_value,
            count(*) as occurrences
        from {{ relation }}
        where {{ column }} is not null
        group by {{ column }}
        having count(*) > 1
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
