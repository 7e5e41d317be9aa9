{#- A staging step: the rows of relation with booking_lead_time_band, the band's label as the
    warehouse spells it, and the band's order and bounds in days. The publisher's files write a
    band label (relation's published_lead_time_band); its earlier files use labels later
    renamed, which the published_label_changes seed maps, and a label the seed does not list is
    kept as published. The booking_lead_time_bands seed gives the order and bounds (null for a
    label it does not know). published_label_changes and booking_lead_time_bands name the
    model's imports of those seeds. -#}
{% macro booking_lead_time_recoded(relation, published_label_changes, booking_lead_time_bands) -%}
    {%- set band -%}
        coalesce(
            {{ published_label_changes }}.warehouse_label,
            {{ relation }}.published_lead_time_band
        )
    {%- endset %}
    select
        {{ relation }}.*,
        {{ band }} as booking_lead_time_band,
        {{ booking_lead_time_bands }}.booking_lead_time_order,
        {{ booking_lead_time_bands }}.booking_lead_time_min_days,
        {{ booking_lead_time_bands }}.booking_lead_time_max_days
    from {{ relation }}
    left join {{ published_label_changes }}
        on
            {{ published_label_changes }}.column_name = 'time_between_book_and_appointment'
            and {{ relation }}.published_lead_time_band
            = {{ published_label_changes }}.published_label
    left join {{ booking_lead_time_bands }}
        on {{ band }} = {{ booking_lead_time_bands }}.booking_lead_time_band
{%- endmacro %}
