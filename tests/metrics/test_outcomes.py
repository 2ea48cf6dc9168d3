from datetime import date

from metrics.filters import Filters
from metrics.outcomes import (
    declined_offers,
    declined_offers_by,
    offer_acceptance,
    offer_outcomes,
    rejections_by_stage,
)

from .conftest import app, make_tables, tr


def test_offer_acceptance_by_hand(small):
    # a1 offer -> hired (accepted), a4 offer -> rejected (declined): 1 / 2
    result = offer_acceptance(small, Filters())
    assert {k: result[k] for k in ("accepted", "declined", "withdrew", "pending", "rate")} == {
        "accepted": 1, "declined": 1, "withdrew": 0, "pending": 0, "rate": 0.5,
    }
    assert result["rate_lo"] < 0.5 < result["rate_hi"]
    assert offer_outcomes(small, Filters())["application_id"].sort().to_list() == ["a1", "a4"]


def test_pending_and_withdrew_and_nothing_decided():
    t = make_tables(
        [app("p", "offer"), app("w", "withdrawn")],
        [tr("p", "interviews", "offer", "2024-01-02"), tr("w", "offer", "withdrawn", "2024-01-04")],
    )
    result = offer_acceptance(t, Filters())
    assert (result["pending"], result["withdrew"], result["rate"]) == (1, 1, 0.0)
    only_pending = make_tables([app("p", "offer")])
    assert offer_acceptance(only_pending, Filters())["rate"] is None


def test_declined_offers_listing_and_groupings(small):
    assert declined_offers(small, Filters())["application_id"].to_list() == ["a4"]
    assert declined_offers_by(small, Filters(), "month").rows() == [(date(2024, 1, 1), 1, 0, 1)]
    assert declined_offers_by(small, Filters(), "job").rows() == [("j2", "Sales Rep", 1, 0, 1)]
    assert declined_offers_by(small, Filters(), "channel").rows() == [("Referral", 1, 0, 1)]


def test_rejections_by_stage(small):
    rows = {r["from_stage_type"]: r for r in rejections_by_stage(small, Filters()).iter_rows(named=True)}
    # a2 screening -> rejected (reached screening 4), a4 offer -> rejected (reached offer 2)
    assert (rows["screening"]["count"], rows["screening"]["reached"], rows["screening"]["rate"]) == (1, 4, 0.25)
    assert (rows["offer"]["count"], rows["offer"]["rate"]) == (1, 0.5)
    withdrawn = rejections_by_stage(small, Filters(), "withdrawn")
    assert withdrawn.rows() == [("new", "New", 1, 6, 1 / 6)]  # a6 from new; 6 reached new


def test_rejected_without_transition_is_unknown():
    t = make_tables([app("x", "rejected"), app("y", "rejected")], [tr("y", "new", "rejected", "2024-01-02")])
    rows = rejections_by_stage(t, Filters()).rows()
    assert rows == [("new", "New", 1, 2, 0.5), ("Unknown", "Unknown", 1, None, None)]
