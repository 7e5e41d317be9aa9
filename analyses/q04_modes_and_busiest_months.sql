-- Question: How have appointment modes and the busiest months changed?
-- Each month's share of appointments by mode, and its rank by appointments per working day
-- (1 = the busiest of the months covered).
with

appointments as (

    select * from {{ ref('fct_appointments_monthly') }}

),

months as (

    select * from {{ ref('utilisation_monthly') }}

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
