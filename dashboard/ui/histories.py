"""How complete the stage histories are, shown on every page whose figures need them (Funnel, Speed, ...)."""

from __future__ import annotations

from typing import Any

import streamlit as st

UNREADABLE_HEADLINE = ("**Stage histories could not be read.** Figures that need them (funnel pass-through, "
                       "durations, outcomes over time) are empty; volumes and current stages are unaffected. "
                       "Details:")


def histories_text(histories: dict[str, Any] | None) -> str | None:
    """'Stage histories: 1,200 of 10,000, newest first …' while a sync is still fetching them, else None."""
    if not histories or histories.get("complete", True):
        return None
    done, total = int(histories.get("done") or 0), int(histories.get("total") or 0)
    return (f"Stage histories: {done:,} of {total:,}, newest first. Figures that need them are incomplete "
            "until the sync ends; the next sync continues where this one stopped.")


def history_notice(status: Any) -> None:
    """An error when no stage history could be read, a caption while they are incomplete; nothing otherwise.

    The error text names field names the server sent: it is shown as plain text, never markdown."""
    if status is None:
        return
    errors = list(getattr(status, "errors", None) or [])
    if errors:
        st.error(UNREADABLE_HEADLINE, icon=":material/error:")
        for error in errors:
            st.text(error)
        return
    text = histories_text(getattr(status, "histories", None))
    if text:
        st.caption(text)
