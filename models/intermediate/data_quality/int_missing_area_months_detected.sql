with

area_months as (

    select * from {{ ref('int_area_months_summed') }}

),

calendar as (

    select * from {{ ref('int_calendar_days_classified') }}

),

-- the months each source reported at all (its England rows)
source_months as (

    select
        source_name,
        appointment_month,
        row_number() over (
            partition by source_name order by appointment_month desc
        ) as months_before_latest
    from area_months
    where area_level = 'England'

),

source_spans as (

    select
        source_name,
        min(appointment_month) as first_month,
        max(appointment_month) as last_month
    from source_months
    group by source_name

),

calendar_months as (

    select distinct
        source_spans.source_name,
        calendar.month_start_date as appointment_month
    from source_spans
    inner join calendar
        on calendar.month_start_date between source_spans.first_month and source_spans.last_month

),

area_spans as (

    select
        source_name,
        area_level,
        area_code,
        min(appointment_month) as first_month,
        max(appointment_month) as last_month
    from area_months
    group by source_name, area_level, area_code

),

-- the months an area could have reported in: the months its source reported (for England,
-- the source as a whole: every calendar month of its span)
candidate_months as (

    select
        area_spans.source_name,
        area_spans.area_level,
        area_spans.area_code,
        area_spans.first_month,
        area_spans.last_month,
        source_months.appointment_month
    from area_spans
    inner join source_months
        on area_spans.source_name = source_months.source_name
    where area_spans.area_level != 'England'

    union all

    select
        area_spans.source_name,
        area_spans.area_level,
        area_spans.area_code,
        area_spans.first_month,
        area_spans.last_month,
        calendar_months.appointment_month
    from area_spans
    inner join calendar_months
        on area_spans.source_name = calendar_months.source_name
    where area_spans.area_level = 'England'

),

-- missing: a gap between months the area reported in, or the source's latest month when the
-- area reported in the month before it (a new publication without an area it had); an area
-- that stopped earlier for good (a reorganisation) is not flagged month after month
missing as (

    select
        candidate_months.source_name,
        candidate_months.area_level,
        candidate_months.area_code,
        candidate_months.appointment_month
    from candidate_months
    left join area_months
        on
            candidate_months.source_name = area_months.source_name
            and candidate_months.area_level = area_months.area_level
            and candidate_months.area_code = area_months.area_code
            and candidate_months.appointment_month = area_months.appointment_month
    left join source_months as latest_month
        on
            candidate_months.source_name = latest_month.source_name
            and latest_month.months_before_latest = 1
    left join source_months as month_before_latest
        on
            candidate_months.source_name = month_before_latest.source_name
            and month_before_latest.months_before_latest = 2
    where
        area_months.appointment_month is null
        and (
            candidate_months.appointment_month
            between candidate_months.first_month and candidate_months.last_month
            or (
                candidate_months.appointment_month = latest_month.appointment_month
                and candidate_months.last_month = month_before_latest.appointment_month
            )
        )

),

-- what the area reported in its last month before the missing one
last_reported as (

    select
        missing.source_name,
        missing.area_level,
        missing.area_code,
        missing.appointment_month,
        max(area_months.appointment_month) as reference_month,
        max_by(area_months.appointments, area_months.appointment_month) as reference_appointments
    from missing
    inner join area_months
        on
            missing.source_name = area_months.source_name
            and missing.area_level = area_months.area_level
            and missing.area_code = area_months.area_code
            and missing.appointment_month > area_months.appointment_month
    group by
        missing.source_name, missing.area_level, missing.area_code, missing.appointment_month

),

final as (

    select
        source_name,
        area_level,
        area_code,
        appointment_month,
        'missing_area' as check_kind,
        cast(null as date) as appointment_date,
        cast(0 as bigint) as observed_appointments,
        cast(-1 as double) as relative_change,
        cast(null as double) as threshold,
        cast(reference_appointments as double) as reference_appointments,
        {{ month_label('reference_month') }} || ', the last month it reported'
            as reference_basis
    from last_reported

)

select * from final
