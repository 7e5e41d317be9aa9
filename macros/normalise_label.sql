{#- Raw labels arrive with stray and doubled spaces ("15  to 21 Days"); collapse every run of
    whitespace to one space and trim, so one band or category has exactly one spelling
    everywhere downstream.
    Almost every label is already clean, and the regular expression is the dearest part of
    staging (about 1.2 s of CPU on the 817k workbook rows), so it only runs on labels that hold
    a doubled space or a whitespace character other than a space (tab, newline, form feed,
    carriage return: RE2's \s, spelt out because Java's \s on Spark also matches a vertical
    tab); clean labels only need the trim. -#}
{% macro normalise_label(column_name) -%}
    case
        when
            contains({{ column_name }}, '  ')
            or contains({{ column_name }}, chr(9))
            or contains({{ column_name }}, chr(10))
            or contains({{ column_name }}, chr(12))
            or contains({{ column_name }}, chr(13))
            then trim({{ regexp_replace_all(column_name, '[\\t\\n\\f\\r ]+', ' ') }})
        else trim({{ column_name }})
    end
{%- endmacro %}
