-- Question: How long do appointments actually take, and where is the duration unknown?
-- Per NHS region, December 2021 to June 2022: the share of known-duration appointments that took
-- 10 minutes or less, the ESTIMATED mean from band midpoints, and the unknown/data-quality share.
with

distribution as (

    select * from {{ ref('duration_distribution_monthly') }}

),

regions as (

    select
        region_name,
        sum(count_of_appointments) as appointments,
        sum(count_of_appointments) filter (where is_known_duration) as known_appointments,
        sum(count_of_appointments) filter (where not is_known_duration) as unknown_appointments,
        sum(count_of_appointments) filter (
            where is_known_duration and duration_max_minutes <= 10
        ) as up_to_10_minutes,
        sum(count_of_appointments * duration_midpoint_minutes) filter (
            where is_known_duration
        ) as estimated_minutes
    from distribution
    group by region_name

)

select
    region_name,
    appointments,
    round(up_to_10_minutes / known_appointments, 3) as share_known_up_to_10_minutes,
    round(estimated_minutes / known_appointments, 1) as estimated_mean_minutes,
    round(unknown_appointments / appointments, 3) as unknown_duration_share
from regions
order by estimated_mean_minutes desc
