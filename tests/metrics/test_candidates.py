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
