"""Consumers of the published warehouse, through the dbt graph: the answers to the NHS questions
(compiled analyses) and the dbt docs site."""
