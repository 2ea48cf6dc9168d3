"""A figure builder that raises returns a figure saying so (never an exception up to the page)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import polars as pl

import dashboard.figures as figures
from dashboard.figures.guard import FAILED, failed_figure, failure_message, guarded, is_failed


def test_a_raising_builder_returns_a_failed_figure_naming_only_the_error_type() -> None:
    @guarded
    def broken_chart(df: pl.DataFrame) -> None:
        raise ValueError("secret job name <b>x</b>")

    fig = broken_chart(pl.DataFrame())
    assert is_failed(fig) and fig.layout.meta == FAILED
    text = fig.layout.annotations[0].text
    assert text == failure_message(ValueError()) and "ValueError" in text
    assert "secret" not in text  # the exception's text may hold data: never shown


def test_a_working_builder_is_unchanged() -> None:
    from dashboard.figures.funnel import funnel_chart

    assert not is_failed(funnel_chart(pl.DataFrame()))
    assert not is_failed(failed_figure("x", KeyError()).update_layout(meta=None))


def test_every_public_chart_builder_is_guarded() -> None:
    unguarded = []
    for info in pkgutil.iter_modules(figures.__path__):
        module = importlib.import_module(f"dashboard.figures.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_chart") and fn.__module__ == module.__name__ and name != "time_distribution_chart":
                if not hasattr(fn, "__wrapped__"):
                    unguarded.append(f"{info.name}.{name}")
    assert unguarded == []
