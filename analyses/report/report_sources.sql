-- The report's sources table and synthetic banner (scripts/report/write.py): every raw file the
-- build read, with its checksum and whether it was synthetic.
select
    source_name,
    source_file,
    sha256,
    size_bytes,
    is_synthetic
from {{ ref('data_provenance') }}
order by source_name, source_file
