"""Pure polars metrics over `dashboard.schema.Tables` + `metrics.filters.Filters` (see docs/metrics.md)."""
