{#- DuckDB sums BIGINT into HUGEINT, which BI drivers cannot read; every appointment total in
    the marts is cast back to BIGINT (far below its limit). With a where condition the sum is
    over the matching rows only, and 0 rather than null when none match (a month with no DNA
    has zero DNA appointments, not an unknown number). -#}
{% macro sum_as_bigint(expression, where=none) -%}
    {%- if where is none -%}
        cast(sum({{ expression }}) as bigint)
    {%- else -%}
        cast(coalesce(sum({{ expression }}) filter (where {{ where }}), 0) as bigint)
    {%- endif -%}
{%- endmacro %}
