{#- The months of utilisation_monthly that hold as many ICBs as the build's fullest month, as a
    query of one column, appointment_month. A build given the publisher's files for some areas
    only (2019 from the 24 official Regional_CSV files) has partial national totals in the other
    months, so a national total, a rank of months or a per-day figure keeps only these. -#}
{% macro months_every_icb_reported() -%}
    select appointment_month
    from {{ ref('utilisation_monthly') }}
    where reporting_icbs = (select max(reporting_icbs) from {{ ref('utilisation_monthly') }})
{%- endmacro %}
