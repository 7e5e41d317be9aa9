-- The raw sources this build recorded as synthetic (generated, not published by the NHS), for
-- the banners of the build summary, the answers and the report.
select distinct source_name
from {{ ref('data_provenance') }}
where is_synthetic
order by source_name
