-- Question: Should the NHS increase staff levels? Appointments per day against capacity
-- Capacity is NHS England's planning figure of 1.2 million appointments a day. Per working day
-- (Monday to Friday, not bank holidays) is the fair comparison, as practices are mostly shut at
-- weekends; utilisation_working_day at or above 1 means a typical working day used the whole
-- planning capacity, and months_at_or_over_capacity counts such months in each financial year.
-- Only months that hold as many ICBs as the build's fullest month count: a build given the
-- publisher's files for some areas only (2019 from the 24 official Regional_CSV files) has
-- partial national totals there.
with

all_months as (

    select * from {{ ref('utilisation_monthly') }}

),

complete_months as (

    {{ months_every_icb_reported() }}

),

months as (

    select all_months.*
    from all_months
    inner join complete_months
        on all_months.appointment_month = complete_months.appointment_month

),

by_financial_year as (

    select
        nhs_financial_year,
        min(appointment_month) as first_month,
        max(appointment_month) as last_month,
        count(*) as months_covered,
        count(*) filter (where utilisation_working_day >= 1) as months_at_or_over_capacity,
        sum(total_appointments) as total_appointments,
        sum(total_appointments) / sum(working_days) as appointments_per_working_day,
        sum(total_appointments) / sum(calendar_days) as appointments_per_calendar_day,
        max(utilisation_working_day) as peak_utilisation_working_day,
        max(capacity_per_day) as capacity_per_day
    from months
    group by nhs_financial_year

)

select
    nhs_financial_year,
    months_covered,
    months_at_or_over_capacity,
    total_appointments,
    round(appointments_per_working_day) as appointments_per_working_day,
    round(appointments_per_calendar_day) as appointments_per_calendar_day,
    round(appointments_per_working_day / capacity_per_day, 3) as utilisation_working_day,
    round(appointments_per_calendar_day / capacity_per_day, 3) as utilisation_calendar_day,
    round(peak_utilisation_working_day, 3) as peak_utilisation_working_day
from by_financial_year
order by nhs_financial_year
