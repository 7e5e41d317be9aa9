{#- The publisher spells it "Other Practice staff"; the metadata says "Other Practice Staff".
    One spelling downstream, whichever file the row came from. -#}
{% macro hcp_type_label(column_name) -%}
    case
        when lower({{ normalise_label(column_name) }}) = 'other practice staff'
            then 'Other Practice Staff'
        else {{ normalise_label(column_name) }}
    end
{%- endmacro %}
