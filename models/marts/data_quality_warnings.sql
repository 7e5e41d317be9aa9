with

missing_area_months as (

    select * from {{ ref('int_missing_area_months_detected') }}

),

monthly_total_changes as (

    select * from {{ ref('int_monthly_total_changes_detected') }}

),

zero_days as (

    select * from {{ ref('int_zero_days_detected') }}

),

source_disagreements as (

    select * from {{ ref('int_source_disagreements_detected') }}

),

integrated_care_boards as (

    select * from {{ ref('integrated_care_boards') }}

),

sub_icb_locations as (

    select * from {{ ref('sub_icb_locations') }}

),

{%- set warning_columns %}
        check_kind,
        source_name,
        area_level,
        area_code,
        appointment_month,
        appointment_date,
        observed_appointments,
        reference_appointments,
        reference_basis,
        relative_change,
        threshold
{%- endset %}

warnings as (

    select {{ warning_columns }}
    from missing_area_months

    union all

    select {{ warning_columns }}
    from monthly_total_changes

    union all

    select {{ warning_columns }}
    from zero_days

    union all

    select {{ warning_columns }}
    from source_disagreements

),

area_names as (

    select
        'ICB' as area_level,
        icb_ons_code as area_code,
        icb_name || ' (' || icb_ons_code || ')' as area_name
    from integrated_care_boards

    union all

    -- the location's name ends with its code already
    select
        'sub-ICB location' as area_level,
        sub_icb_location_code as area_code,
        sub_icb_location_name as area_name
    from sub_icb_locations

    union all

    select
        'England' as area_level,
        {{ england_area_code() }} as area_code,
        'England' as area_name

),

named as (

    select
        warnings.*,
        coalesce(area_names.area_name, warnings.area_code) as area_name
    from warnings
    left join area_names
        on
            warnings.area_level = area_names.area_level
            and warnings.area_code = area_names.area_code

),

-- the message's parts: "<source>: <area>, <month or day>: <what was seen> (<against what>)"
message_parts as (

    select
        *,
        case
            when area_level = 'England' then area_name
            else area_level || ' ' || area_name
        end as area_label,
        case
            when check_kind = 'zero_day' then {{ day_label('appointment_date') }}
            else {{ month_label('appointment_month') }}
        end as period_label,
        case check_kind
            when 'missing_area' then 'missing'
            when 'zero_day' then 'no appointments'
            when 'monthly_total_change'
                then {{ format_text(
                    "'%,d appointments, %+.0f%%'",
                    ['observed_appointments', '100 * relative_change']
                ) }}
            else {{ format_text(
                "'%,d appointments, %+.2f%%'",
                ['observed_appointments', '100 * relative_change']
            ) }}
        end as observation,
        case check_kind
            when 'missing_area'
                then {{ format_text(
                    "'it had %,d appointments in %s'",
                    ['cast(round(reference_appointments) as bigint)', 'reference_basis']
                ) }}
            when 'zero_day'
                then {{ format_text(
                    "'%s: %,d'",
                    ['reference_basis', 'cast(round(reference_appointments) as bigint)']
                ) }}
            else {{ format_text(
                "'against %,d in %s'",
                ['cast(round(reference_appointments) as bigint)', 'reference_basis']
            ) }}
        end as comparison,
        case
            when check_kind != 'source_disagreement' then ''
            when source_name = 'actual_duration'
                then {{ format_text("'; expected %.0f%% to 100%% of it'", ['100 * threshold']) }}
            else {{ format_text("'; expected equal within %.2f%%'", ['100 * threshold']) }}
        end as expectation
    from named

),

final as (

    select
        check_kind,
        source_name,
        area_level,
        area_code,
        area_name,
        appointment_month,
        appointment_date,
        observed_appointments,
        reference_appointments,
        reference_basis,
        relative_change,
        threshold,
        source_name || ': ' || area_label || ', ' || period_label || ': ' || observation
        || ' (' || comparison || expectation || ')' as message
    from message_parts

)

select * from final
