from metrics.quality import data_quality_notes

from .conftest import app, job, make_tables, tr


def notes(t):
    return {r["note"].split(" (")[0]: (r["count"], r["severity"], r["example_ids"]) for r in data_quality_notes(t).iter_rows(named=True)}


def test_each_note_found():
    t = make_tables(
        [
            app("u", "mystery"),
            app("i", "hired"),
            app("h", "hired"),
            app("c", channel=None),
            app("a", candidate=None),
            app("m", job="gone"),
        ],
        [tr("i", "new", "screening", "2024-01-02"), tr("i", "interviews", "hired", "2024-01-05")],
        [job(created="2024-02-01")],
    )
    got = notes(t)
    assert got["Unknown stage type"] == (1, "warning", "u")
    assert got["Stage change whose from-stage differs from the previous to-stage"][0] == 1
    assert got["Job created after its last hire"] == (1, "warning", "j1")
    assert got["Hired without a transition into a hired stage"] == (1, "warning", "h")
    assert got["No hiring channel"] == (1, "info", "c")
    assert got["Anonymised applications"] == (1, "info", "a")
    assert got["Application for a job missing from the jobs list"] == (1, "warning", "m")


def test_clean_data_and_empty_have_no_notes(small, empty):
    assert set(notes(small)) == {"No hiring channel"}  # a5
    assert data_quality_notes(empty).columns == ["note", "severity", "count", "example_ids"]
    assert data_quality_notes(empty).height == 0
