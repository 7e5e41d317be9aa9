with

appointment_durations as (

    select * from {{ ref('int_appointment_durations_deduplicated') }}

),

duration_bands as (

    select * from {{ ref('duration_bands') }}

),

nhs_regions as (

    select * from {{ ref('nhs_regions') }}

),

band_months as (

    select
        appointment_month,
        region_ons_code,
        duration_band,
        {{ sum_as_bigint('count_of_appointments') }} as count_of_appointments
    from appointment_durations
    group by appointment_month, region_ons_code, duration_band

),

with_band_attributes as (

    select
        band_months.appointment_month,
        band_months.region_ons_code,
        band_months.duration_band,
        duration_bands.duration_band_order,
        duration_bands.duration_min_minutes,
        duration_bands.duration_max_minutes,
        duration_bands.duration_midpoint_minutes,
        duration_bands.is_known_duration,
        band_months.count_of_appointments,
        -- null outside the known bands, so the window sums below skip the Unknown band
        case
            when duration_bands.is_known_duration then band_months.count_of_appointments
        end as known_duration_appointments,
        case
            when not duration_bands.is_known_duration then band_months.count_of_appointments
            else 0
        end as unknown_duration_appointments
    from band_months
    inner join duration_bands
        on band_months.duration_band = duration_bands.duration_band

),

with_group_totals as (

    select
        appointment_month,
        region_ons_code,
        duration_band,
        duration_band_order,
        duration_min_minutes,
        duration_max_minutes,
        duration_midpoint_minutes,
        is_known_duration,
        count_of_appointments,
        known_duration_appointments,
        sum(count_of_appointments) over month_region as month_region_appointments,
        sum(known_duration_appointments) over month_region as month_region_known_appointments,
        sum(unknown_duration_appointments) over month_region
            as month_region_unknown_appointments,
        sum(known_duration_appointments) over (
            partition by appointment_month, region_ons_code
            order by duration_band_order
            rows between unbounded preceding and current row
        ) as cumulative_known_appointments,
        -- the midpoint stands in for every appointment of its band: an estimate, not a mean
        sum(known_duration_appointments * duration_midpoint_minutes) over month_region
            as month_region_estimated_minutes
    from with_band_attributes
    window month_region as (partition by appointment_month, region_ons_code)

),

final as (

    select
        with_group_totals.appointment_month,
        with_group_totals.region_ons_code,
        nhs_regions.region_name,
        with_group_totals.duration_band,
        with_group_totals.duration_band_order,
        with_group_totals.duration_min_minutes,
        with_group_totals.duration_max_minutes,
        with_group_totals.duration_midpoint_minutes,
        with_group_totals.is_known_duration,
        with_group_totals.count_of_appointments,
        {{ safe_ratio(
            'with_group_totals.count_of_appointments',
            'with_group_totals.month_region_appointments'
        ) }} as share_of_all_appointments,
        {{ safe_ratio(
            'with_group_totals.known_duration_appointments',
            'with_group_totals.month_region_known_appointments'
        ) }} as share_of_known_duration,
        case
            when with_group_totals.is_known_duration
                then {{ safe_ratio(
                    'with_group_totals.cumulative_known_appointments',
                    'with_group_totals.month_region_known_appointments'
                ) }}
        end as cumulative_share_of_known_duration,
        {{ safe_ratio(
            'with_group_totals.month_region_unknown_appointments',
            'with_group_totals.month_region_appointments'
        ) }} as unknown_duration_share,
        {{ safe_ratio(
            'with_group_totals.month_region_estimated_minutes',
            'with_group_totals.month_region_known_appointments'
        ) }} as estimated_mean_duration_minutes
    from with_group_totals
    left join nhs_regions
        on with_group_totals.region_ons_code = nhs_regions.region_ons_code

)

select * from final
