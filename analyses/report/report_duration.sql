-- The report's duration chart (scripts/report/mix_charts.py): appointments per actual-duration
-- band over the whole period, for England (area 'England') and for each region, with the band's
-- share of all appointments and of those with a known duration.
with

by_area as (

    select
        duration_band,
        duration_band_order,
        is_known_duration,
        coalesce(region_name, 'England') as area,
        sum(count_of_appointments) as appointments
    from {{ ref('duration_distribution_monthly') }}
    group by grouping sets (
        (duration_band, duration_band_order, is_known_duration),
        (duration_band, duration_band_order, is_known_duration, region_name)
    )

),

final as (

    select
        area,
        duration_band,
        duration_band_order,
        is_known_duration,
        appointments,
        appointments / sum(appointments) over (partition by area) as share_of_all,
        case
            when is_known_duration
                then appointments / sum(
                    case when is_known_duration then appointments end
                ) over (partition by area)
        end as share_of_known
    from by_area

)

select * from final
order by area, duration_band_order
