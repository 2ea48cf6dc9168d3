"""Small display reshapes of metric frames (no new numbers: only joins and renames for tables)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl


def stage_counts_side_by_side(now: pl.DataFrame, then: pl.DataFrame, then_label: str) -> pl.DataFrame:
    """Applications per named stage now and at an earlier date: stage_type, stage_name, now, <then_label>, in the
    inputs' (pipeline) order."""
    def per_stage(df: pl.DataFrame, name: str) -> pl.DataFrame:
        return df.group_by("stage_type", "stage_name").agg(pl.col("count").sum().cast(pl.Int64).alias(name))

    out = per_stage(now, "now").join(per_stage(then, then_label), on=["stage_type", "stage_name"], how="full",
                                     coalesce=True)
    # the charts' pipeline order: first as listed now, then stages only listed then, in their order
    keys = ["stage_type", "stage_name"]
    order = pl.concat([now.select(keys), then.select(keys)]).with_row_index("_i").group_by(keys).agg(pl.col("_i").min())
    return (out.with_columns(pl.col("now", then_label).fill_null(0))
            .join(order, on=keys, how="left")
            .sort("_i")
            .drop("_i"))


def kpi_table(tiles: Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    """The KPI tiles as a table: key, label, value, previous, delta, unit, n."""
    rows = [{k: t.get(k) for k in ("key", "label", "value", "previous", "delta", "unit", "n")} for t in tiles]
    schema = {"key": pl.String, "label": pl.String, "value": pl.Float64, "previous": pl.Float64,
              "delta": pl.Float64, "unit": pl.String, "n": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
