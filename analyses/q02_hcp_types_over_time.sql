-- Question: How do healthcare professional types differ over time?
-- Appointments per working day by HCP type, per quarter. The publisher warns that only GP is
-- coded consistently enough to publish on its own; every other role is Other Practice Staff.
-- A quarter's working days are those of its months with appointments (2022-Q2 is April to June),
-- and only months in which every ICB reported count: a build given the publisher's files for
-- some areas only (2019 from the 24 official Regional_CSV files) has partial national totals
-- there.
with

appointments as (

    select * from {{ ref('fct_appointments_monthly') }}

),

months as (

    select * from {{ ref('utilisation_monthly') }}

),

complete_months as (

    {{ months_every_icb_reported() }}

),

quarter_days as (

    select
        cast(date_trunc('quarter', months.appointment_month) as date) as quarter_start,
        sum(months.working_days) as working_days
    from months
    inner join complete_months
        on months.appointment_month = complete_months.appointment_month
    group by cast(date_trunc('quarter', months.appointment_month) as date)

),

quarter_types as (

    select
        cast(date_trunc('quarter', appointments.appointment_month) as date) as quarter_start,
        sum(appointments.count_of_appointments) filter (
            where appointments.hcp_type = 'GP'
        ) as gp,
        sum(appointments.count_of_appointments) filter (
            where appointments.hcp_type = 'Other Practice Staff'
        ) as other_practice_staff,
        sum(appointments.count_of_appointments) filter (
            where appointments.hcp_type = 'Unknown'
        ) as unknown_type,
        sum(appointments.count_of_appointments) as all_types
    from appointments
    inner join complete_months
        on appointments.appointment_month = complete_months.appointment_month
    group by cast(date_trunc('quarter', appointments.appointment_month) as date)

),

labelled as (

    select
        quarter_types.quarter_start,
        quarter_types.gp,
        quarter_types.other_practice_staff,
        quarter_types.unknown_type,
        quarter_types.all_types,
        quarter_days.working_days,
        year(quarter_types.quarter_start) || '-Q' || quarter(quarter_types.quarter_start)
            as calendar_quarter
    from quarter_types
    inner join quarter_days
        on quarter_types.quarter_start = quarter_days.quarter_start

)

select
    calendar_quarter,
    round(gp / working_days) as gp_per_working_day,
    round(other_practice_staff / working_days) as other_staff_per_working_day,
    round(unknown_type / working_days) as unknown_type_per_working_day,
    round(gp / all_types, 3) as gp_share,
    round(other_practice_staff / all_types, 3) as other_staff_share,
    round(unknown_type / all_types, 3) as unknown_type_share
from labelled
order by quarter_start
