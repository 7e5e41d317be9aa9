{%- set factor = var('data_quality_change_factor') -%}

with

area_months as (

    select * from {{ ref('int_area_months_summed') }}

),

history as (

    select
        source_name,
        area_level,
        area_code,
        appointment_month,
        appointments,
        lag(appointment_month, 1) over area_history as previous_month,
        lag(appointments, 1) over area_history as previous_appointments,
        lag(appointment_month, 2) over area_history as second_previous_month,
        lag(appointments, 2) over area_history as second_previous_appointments,
        lead(appointment_month, 1) over area_history as next_month,
        lead(appointments, 1) over area_history as next_appointments,
        lead(appointment_month, 2) over area_history as second_next_month,
        lead(appointments, 2) over area_history as second_next_appointments
    from area_months
    window area_history as (
        partition by source_name, area_level, area_code order by appointment_month
    )

),

-- each month is held against two others: the months either side of it, or at either end of
-- the series the two next to it (so a dip just before the latest month does not make the
-- latest month look doubled)
compared as (

    select
        source_name,
        area_level,
        area_code,
        appointment_month,
        appointments,
        coalesce(previous_month, second_next_month) as first_compared_month,
        coalesce(previous_appointments, second_next_appointments) as first_compared_appointments,
        coalesce(next_month, second_previous_month) as second_compared_month,
        coalesce(next_appointments, second_previous_appointments) as second_compared_appointments
    from history

),

ratios as (

    select
        *,
        {{ safe_ratio('appointments', 'first_compared_appointments') }} as first_ratio,
        {{ safe_ratio('appointments', 'second_compared_appointments') }} as second_ratio
    from compared

),

-- flagged when the month halves (or doubles) against both months it is compared with (the one
-- it has, in a two-month series): out of line with the months around it, not a lasting step
-- in mid-series (areas merged, practices moved), which is out of line with one side only
directions as (

    select
        *,
        coalesce(first_ratio, second_ratio) is not null
        and coalesce(first_ratio <= 1.0 / {{ factor }}, true)
        and coalesce(second_ratio <= 1.0 / {{ factor }}, true) as has_fallen,
        coalesce(first_ratio, second_ratio) is not null
        and coalesce(first_ratio >= {{ factor }}, true)
        and coalesce(second_ratio >= {{ factor }}, true) as has_risen
    from ratios

),

-- the reference is the nearer of the two (the smaller change): the least the month moved
with_reference as (

    select
        *,
        second_ratio is null
        or (
            first_ratio is not null
            and (
                (has_fallen and first_ratio >= second_ratio)
                or (has_risen and first_ratio <= second_ratio)
            )
        ) as first_is_nearer
    from directions
    where has_fallen or has_risen

),

final as (

    select
        source_name,
        area_level,
        area_code,
        appointment_month,
        appointments as observed_appointments,
        'monthly_total_change' as check_kind,
        cast(null as date) as appointment_date,
        cast(
            case
                when first_is_nearer then first_compared_appointments
                else second_compared_appointments
            end as double
        ) as reference_appointments,
        {{ month_label(
            'case when first_is_nearer then first_compared_month else second_compared_month end'
        ) }}
        || case
            when first_ratio is null or second_ratio is null then ', the only other month'
            else
                ', the nearer of '
                || {{ month_label('least(first_compared_month, second_compared_month)') }}
                || ' and '
                || {{ month_label('greatest(first_compared_month, second_compared_month)') }}
        end as reference_basis,
        case when first_is_nearer then first_ratio else second_ratio end - 1 as relative_change,
        cast({{ factor }} as double) as threshold
    from with_reference

)

select * from final
