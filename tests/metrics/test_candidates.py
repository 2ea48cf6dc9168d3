from metrics.candidates import applications_per_candidate, applications_per_candidate_summary
from metrics.filters import Filters

from .conftest import app, make_tables


def test_distribution_and_summary(small):
    # c-a1 has a1 + a6; c-a2..c-a5 one each -> {1: 4, 2: 1}, mean 6/5, share with >1 = 1/5
    assert applications_per_candidate(small, Filters()).rows() == [(1, 4, 0.8), (2, 1, 0.2)]
    assert applications_per_candidate_summary(small, Filters()) == {
        "candidates": 5, "mean": 1.2, "share_multi": 0.2, "anonymised_excluded": 0,
    }


def test_anonymised_excluded_and_counted():
    t = make_tables([app("x", candidate=None), app("y", candidate=None), app("z")])
    assert applications_per_candidate_summary(t, Filters()) == {"candidates": 1, "mean": 1.0, "share_multi": 0.0, "anonymised_excluded": 2}
    assert applications_per_candidate_summary(make_tables([app("x", candidate=None)]), Filters())["mean"] is None


def test_numeric_candidate_ids_counted_per_spelling():
    # "10" twice, "9", "2" once; "010" is another candidate than "10"; one anonymised
    apps = [app("a", candidate="10"), app("b", candidate="9"), app("c", candidate="10"), app("d", candidate="2"), app("e", candidate=None)]
    t = make_tables(apps)
    assert applications_per_candidate(t, Filters()).rows() == [(1, 2, 2 / 3), (2, 1, 1 / 3)]
    spelled = make_tables([*apps, app("f", candidate="010")])
    assert applications_per_candidate(spelled, Filters()).rows() == [(1, 3, 0.75), (2, 1, 0.25)]
    assert applications_per_candidate_summary(spelled, Filters())["anonymised_excluded"] == 1
