"""`python -m dashboard doctor` against the demo fake over real HTTP, and what it says for each failure."""

from __future__ import annotations

import io
import json
import socket
from datetime import UTC, datetime

import pytest

from dashboard.__main__ import main
from dashboard.demo import DemoCompany, FakePersonio, generate_company
from dashboard.demo.serve import serve
from dashboard.doctor import field_types, scrub

END = datetime(2025, 6, 1, tzinfo=UTC)
SECRET = "doctor-secret-4f9a2c"  # noqa: S105 - the fake's test credential


@pytest.fixture(scope="module")
def company() -> DemoCompany:
    return generate_company(80, seed=9, end=END)


class Served:
    """A fake Personio on a free local port."""

    def __init__(self, company: DemoCompany, **options) -> None:
        self.fake = FakePersonio(company, client_id="doc-id", client_secret=SECRET, **options)
        self.server, self.url = serve(self.fake)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def served(company):
    made: list[Served] = []

    def start(**options) -> Served:
        made.append(Served(company, **options))
        return made[-1]

    yield start
    for s in made:
        s.close()


def _doctor(url: str, secret: str = SECRET, feed: bool = True) -> tuple[int, str, str]:
    env = {"PERSONIO_CLIENT_ID": "doc-id", "PERSONIO_CLIENT_SECRET": secret,
           "RECRUITING_DASHBOARD_CACHE_DIR": "/nonexistent-doctor-cache"}
    if feed:
        env["PERSONIO_COMPANY_HOST"] = url
    out, err = io.StringIO(), io.StringIO()
    code = main(["doctor", "--base-url", url], env=env, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_doctor_against_the_demo_fake_over_http_is_ok_and_prints_no_value(served, company):
    s = served()
    code, out, err = _doctor(s.url)
    assert code == 0, out + err
    for endpoint in ("token (POST /v2/auth/token): OK, HTTP 200",
                     "GET /v2/recruiting/applications: OK, HTTP 200",
                     "GET /v2/recruiting/candidates: OK, HTTP 200",
                     "GET /v2/recruiting/jobs: OK, HTTP 200",
                     "GET /v2/recruiting/categories: OK, HTTP 200",
                     "GET /v2/recruiting/applications/{id}/stage-transitions: OK, HTTP 200",
                     "career-site feed (GET /xml): OK, HTTP 200"):
        assert endpoint in out
    assert "80 items on the first page" in out  # 80 applications, one page of 200
    assert "parser: read 80 of 80 records" in out
    assert "current_stage.type: string" in out and "created_at: string" in out
    assert out.rstrip().endswith("Result: OK, the dashboard can read this account.")
    # nothing that identifies anyone or grants access
    assert SECRET not in out and "fake_" not in out and "@" not in out
    names = set(company.candidate_details["first_name"]) | set(company.candidate_details["last_name"])
    words = set(out.replace(",", " ").replace(":", " ").split())
    assert not names & words
    requested = [r.path for r in s.fake.requests]
    assert requested[0] == "/v2/auth/token" and len(requested) == 7


def test_doctor_sends_only_documented_parameters(served):
    s = served()
    assert _doctor(s.url)[0] == 0
    queries = {r.path.rsplit("/", 1)[-1]: set(r.query) for r in s.fake.requests}
    assert queries["categories"] == set() and queries["stage-transitions"] == set()
    assert queries["applications"] == {"limit"}


def test_wrong_credentials_say_so(served):
    code, out, err = _doctor(served().url, secret="wrong-secret-123")
    assert code == 1
    assert "wrong credentials (HTTP 401)" in err and "wrong credentials (HTTP 401)" in out
    assert "wrong-secret-123" not in out + err


def test_missing_scope_says_so(served):
    code, out, err = _doctor(served(scopes=()).url)
    assert code == 1
    assert "missing scope (HTTP 403)" in err


def test_wrong_base_path_is_a_404(served):
    code, out, err = _doctor(served().url + "/not-personio", feed=False)
    assert code == 1
    assert "not found (HTTP 404)" in err


def test_unreachable_host_says_so():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out, err = _doctor(f"http://127.0.0.1:{port}", feed=False)
    assert code == 1
    assert "unreachable host" in err


def test_unknown_stage_transition_shape_names_the_fields_not_the_values(served):
    s = served()
    body = {"_data": [{"moved_to": {"label": "Jane Roe"}, "when_ms": 1717000000000}]}
    s.fake.inject(r"/stage-transitions$", status=200, body=json.dumps(body).encode(), times=None)
    code, out, err = _doctor(s.url)
    assert code == 1
    assert "stage-transitions" in err and "unknown shape" in err
    assert "moved_to" in out and "when_ms" in out
    assert "Jane" not in out + err and "1717000000000" not in out + err


def test_unreadable_applications_are_an_unknown_shape(served):
    s = served()
    s.fake.inject(r"/applications$", status=200, body=json.dumps({"_data": [{"uuid": "x"}]}).encode(), times=None)
    code, out, err = _doctor(s.url, feed=False)
    assert code == 1
    assert "GET /v2/recruiting/applications: unknown shape" in err


def test_field_types_name_types_never_values():
    lines = field_types([{"id": "1", "n": 2, "ok": True, "x": None, "o": {"a": "secret@example.com"},
                          "l": [{"b": 1}]}, {"id": 3}])
    assert lines == ["id: number|string", "l: list", "l[]: object", "l[].b: number", "n: number", "o: object",
                     "o.a: string", "ok: boolean", "x: null"]


def test_scrub_removes_emails_and_secrets():
    assert scrub("mail jane.doe@example.com key abcd1234", ("abcd1234",)) == "mail [e-mail] key [redacted]"
