with

area_days as (

    select * from {{ ref('int_area_days_summed') }}

),

-- an area's mean per reported day in the month, working days and other days apart
month_means as (

    select
        source_name,
        area_level,
        area_code,
        appointment_month,
        is_working_day,
        avg(appointments) filter (where appointments > 0) as mean_appointments
    from area_days
    group by source_name, area_level, area_code, appointment_month, is_working_day

),

england_zero_days as (

    select
        source_name,
        appointment_date
    from area_days
    where area_level = 'England' and appointments = 0

),

-- England on any day (it has appointments even on Christmas Day); a location on working days
-- only (many have none at weekends), and not on a day England has none (one warning for it)
zero_days as (

    select area_days.*
    from area_days
    left join england_zero_days
        on
            area_days.source_name = england_zero_days.source_name
            and area_days.appointment_date = england_zero_days.appointment_date
    where
        area_days.appointments = 0
        and (
            area_days.area_level = 'England'
            or (area_days.is_working_day and england_zero_days.appointment_date is null)
        )

),

final as (

    select
        zero_days.source_name,
        zero_days.area_level,
        zero_days.area_code,
        zero_days.appointment_month,
        zero_days.appointment_date,
        zero_days.appointments as observed_appointments,
        month_means.mean_appointments as reference_appointments,
        'zero_day' as check_kind,
        cast(-1 as double) as relative_change,
        cast(null as double) as threshold,
        case
            when zero_days.is_working_day then 'mean per working day reported in '
            else 'mean per weekend or bank-holiday day reported in '
        end || {{ month_label('zero_days.appointment_month') }} as reference_basis
    from zero_days
    left join month_means
        on
            zero_days.source_name = month_means.source_name
            and zero_days.area_level = month_means.area_level
            and zero_days.area_code = month_means.area_code
            and zero_days.appointment_month = month_means.appointment_month
            and zero_days.is_working_day = month_means.is_working_day

)

select * from final
