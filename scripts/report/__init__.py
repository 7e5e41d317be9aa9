"""A consumer of the published warehouse: the self-contained HTML report (write is the entry
point)."""
