-- Every year dim_date spans needs its bank holidays, or its working days would be overcounted:
-- England has at least eight bank holidays a year, so a year with fewer in the seed is missing.
with

calendar as (

    select * from {{ ref('dim_date') }}

)

select
    calendar_year,
    count(*) filter (where is_bank_holiday) as bank_holidays
from calendar
group by calendar_year
having count(*) filter (where is_bank_holiday) < 8
