-- Two files of one publication covering the same ICB and month would be counted twice: the
-- build stops and names both files (the loader already refuses this within the publisher's
-- files; this catches it across the course's and the publisher's, and across re-coded areas).
with

regional_appointments as (

    select * from {{ ref('int_regional_appointments_unioned') }}

)

select
    publication_month,
    icb_ons_code,
    appointment_month,
    {{ sorted_distinct_text('source_file', ' and ') }} as files
from regional_appointments
group by publication_month, icb_ons_code, appointment_month
having count(distinct source_file) > 1
