-- Question: How have appointment modes and the busiest months changed?
-- Each month's share of appointments by mode, and its rank by appointments per working day
-- (1 = the busiest of the months covered). Only months in which every ICB reported are shown
-- and ranked: a build given the publisher's files for some areas only (2019 from the 24 official
-- Regional_CSV files) has partial national totals there.
with

appointments as (

    select * from {{ ref('fct_appointments_monthly') }}

),

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

mode_months as (

    select
        appointment_month,
        sum(count_of_appointments) filter (where appointment_mode = 'Face-to-Face') as face_to_face,
        sum(count_of_appointments) filter (where appointment_mode = 'Telephone') as telephone,
        sum(count_of_appointments) filter (where appointment_mode = 'Video/Online') as video_online,
        sum(count_of_appointments) filter (where appointment_mode = 'Home Visit') as home_visit,
        sum(count_of_appointments) filter (where appointment_mode = 'Unknown') as unknown_mode,
        sum(count_of_appointments) as all_modes
    from appointments
    group by appointment_month

)

select
    months.appointment_month,
    months.total_appointments,
    round(months.appointments_per_working_day) as appointments_per_working_day,
    rank() over (order by months.appointments_per_working_day desc) as busiest_rank,
    round(mode_months.face_to_face / mode_months.all_modes, 3) as face_to_face_share,
    round(mode_months.telephone / mode_months.all_modes, 3) as telephone_share,
    round(mode_months.video_online / mode_months.all_modes, 3) as video_online_share,
    round(mode_months.home_visit / mode_months.all_modes, 4) as home_visit_share,
    round(mode_months.unknown_mode / mode_months.all_modes, 3) as unknown_mode_share
from months
inner join mode_months
    on months.appointment_month = mode_months.appointment_month
order by months.appointment_month
