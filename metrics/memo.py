"""Per-facts memo: frames derived from one facts frame are computed once while that frame lives.

A facts frame is never modified after `application_facts` returns it, so anything derived from it
(and the same transitions table) can be shared between metrics without changing any result."""

from __future__ import annotations

import weakref
from collections.abc import Callable

import polars as pl

_MEMO: dict[int, dict[tuple, pl.DataFrame]] = {}


def derived(facts: object, key: tuple, build: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """`build()` once per (facts object, key); forgotten when `facts` is garbage-collected.

    `facts` is any never-modified object: a facts frame, or a `Tables` snapshot."""
    slot = _MEMO.get(id(facts))
    if slot is None:
        slot = _MEMO[id(facts)] = {}
        weakref.finalize(facts, _MEMO.pop, id(facts), None)
    if key not in slot:
        slot[key] = build()
    return slot[key]
