"""Candidate names are fetched on request, only for the ids asked, and capped."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from dashboard.demo.fake import FakePersonio
from dashboard.demo.generator import generate_company
from dashboard.people import candidate_names, display_name
from dashboard.personio.client import PersonioClient


def _client(fake: FakePersonio) -> PersonioClient:
    return PersonioClient("https://fake.test", "demo", "demo-secret", transport=fake.transport(), rate_per_second=None)


def test_names_come_from_the_candidate_endpoint_for_the_ids_asked_only():
    company = generate_company(40, seed=3, end=datetime(2026, 1, 1, tzinfo=UTC))
    fake = FakePersonio(company)
    ids = company.candidates["candidate_id"].head(3).to_list()
    details = company.candidate_details.filter(pl.col("candidate_id").is_in(ids))
    expected = {r["candidate_id"]: f"{r['first_name']} {r['last_name']}" for r in details.iter_rows(named=True)}
    with _client(fake) as client:
        names = candidate_names(client, [*ids, None, ids[0]])
    assert names == expected
    assert sum(1 for _m, path, _q in fake.requests if "/candidates/" in path) == 3


def test_names_are_capped_and_anonymised_applications_have_none():
    class Recorder:
        def __init__(self) -> None:
            self.asked: list[str] = []

        def candidate(self, candidate_id: str) -> dict:
            self.asked.append(candidate_id)
            return {"first_name": "Ada", "last_name": None}

    rec = Recorder()
    assert candidate_names(rec, ["a", None, "b", "c"], limit=2) == {"a": "Ada", "b": "Ada"}
    assert rec.asked == ["a", "b"]
    assert display_name({"first_name": " Jo ", "last_name": "Doe"}) == "Jo Doe"
