{#- Meteorological seasons, as the NHS winter-pressure reporting uses them: winter is
    December to February, so one winter spans two calendar years. -#}
{% macro season_of(date_expression) -%}
    case
        when month({{ date_expression }}) in (3, 4, 5) then 'Spring'
        when month({{ date_expression }}) in (6, 7, 8) then 'Summer'
        when month({{ date_expression }}) in (9, 10, 11) then 'Autumn'
        else 'Winter'
    end
{%- endmacro %}
