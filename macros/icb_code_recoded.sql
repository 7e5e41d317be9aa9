{#- A staging step: the rows of relation with icb_ons_code, the ICB's current ONS code. The
    publisher's files write an area code (relation's published_area_code); its earlier files
    write the STP code an ICB had before 1 July 2022, which the icb_code_changes seed maps to
    the ICB's code, and a code the seed does not list is kept as published. icb_code_changes
    names the model's import of that seed. -#}
{% macro icb_code_recoded(relation, icb_code_changes) -%}
    select
        {{ relation }}.*,
        coalesce({{ icb_code_changes }}.icb_ons_code, {{ relation }}.published_area_code)
            as icb_ons_code
    from {{ relation }}
    left join {{ icb_code_changes }}
        on {{ relation }}.published_area_code = {{ icb_code_changes }}.published_area_code
{%- endmacro %}
