from metrics.filters import Filters
from metrics.stages import application_facts

from .conftest import app, make_tables, tr


def facts_by_id(t, f=None):
    return {r["application_id"]: r for r in application_facts(t, f or Filters()).iter_rows(named=True)}


def test_furthest_rank_and_closed_flags(small):
    facts = facts_by_id(small)
    # a1 hired (4), a2 screening (1), a3 interviews (2), a4 offer (3, skipped interviews), a5/a6 new (0)
    assert {k: v["furthest_rank"] for k, v in facts.items()} == {"a1": 4, "a2": 1, "a3": 2, "a4": 3, "a5": 0, "a6": 0}
    assert {k for k, v in facts.items() if v["is_active"]} == {"a3", "a5"}
    assert facts["a4"]["furthest_step"] == "offer"


def test_hire_and_offer_dates(small):
    facts = facts_by_id(small)
    assert facts["a1"]["hired_at"].isoformat() == "2024-01-31T00:00:00+00:00"
    assert facts["a1"]["offer_at"].isoformat() == "2024-01-20T00:00:00+00:00"
    assert facts["a4"]["offer_outcome"] == "declined"
    assert facts["a4"]["offer_decided_at"].isoformat() == "2024-01-25T00:00:00+00:00"
    assert facts["a3"]["offer_outcome"] is None
    assert facts["a5"]["stage_entered_at"].isoformat() == "2024-01-20T00:00:00+00:00"


def test_unranked_and_unknown_types_never_move_furthest():
    t = make_tables(
        [app("x", "other"), app("y", "mystery")],
        [tr("x", "new", "unassigned", "2024-01-02"), tr("x", "unassigned", "other", "2024-01-03"), tr("y", "mystery", "mystery", "2024-01-02")],
    )
    facts = facts_by_id(t)
    assert facts["x"]["furthest_rank"] == 0 and facts["y"]["furthest_rank"] == 0
    assert facts["x"]["is_active"] and facts["y"]["is_active"]  # neither hired nor an exit


def test_reopened_and_hired_then_moved_away():
    t = make_tables(
        [app("r", "screening"), app("h", "rejected")],
        [
            tr("r", "new", "rejected", "2024-01-02"),
            tr("r", "rejected", "screening", "2024-01-05"),  # reopened
            tr("h", "offer", "hired", "2024-01-02"),
            tr("h", "hired", "rejected", "2024-01-09"),  # hired, then moved away
        ],
    )
    facts = facts_by_id(t)
    assert facts["r"]["is_active"] and facts["r"]["furthest_rank"] == 1
    assert facts["h"]["furthest_rank"] == 4 and facts["h"]["is_closed"]
    assert facts["h"]["offer_outcome"] == "other"  # left offer to hired, but is no longer hired


def test_hired_with_last_of_several_hire_transitions():
    t = make_tables(
        [app("x", "hired")],
        [tr("x", "offer", "hired", "2024-01-02"), tr("x", "hired", "offer", "2024-01-03"), tr("x", "offer", "hired", "2024-01-07")],
    )
    facts = facts_by_id(t)
    assert facts["x"]["hired_at"].day == 7 and facts["x"]["offer_at"].day == 3


def test_numeric_ids_in_any_order_and_spelling_key_the_right_transitions():
    # "10" < "9" as strings but not as numbers; "010" is another application than "10"
    transitions = [  # in numeric order, like both tables of the demo company
        tr("2", "new", "offer", "2024-01-02"),
        tr("9", "new", "screening", "2024-01-02"),
        tr("10", "new", "interviews", "2024-01-02"),
        tr("404", "new", "hired", "2024-01-02"),  # unknown application
    ]
    plain = make_tables([app("2"), app("9"), app("10")], transitions)
    assert {k: v["furthest_rank"] for k, v in facts_by_id(plain).items()} == {"2": 3, "9": 1, "10": 2}
    shuffled = make_tables([app("10"), app("2"), app("9")], transitions[::-1])
    assert {k: v["furthest_rank"] for k, v in facts_by_id(shuffled).items()} == {"2": 3, "9": 1, "10": 2}
    spelled = make_tables([app("010"), app("10"), app("9")], [*transitions, tr("010", "new", "hired", "2024-01-03")])
    assert {k: v["furthest_rank"] for k, v in facts_by_id(spelled).items()} == {"010": 4, "10": 2, "9": 1}
