"""Privacy and secrets: a planted canary secret and the fake's tokens are found nowhere; the cache is private,
purgeable, free of candidate contact data; anonymised and deleted records are handled as the issue demands."""

from __future__ import annotations

import io
import json
import logging
import os
import stat
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import polars as pl
import pytest

from dashboard.__main__ import main as cli
from dashboard.demo import FakePersonio
from dashboard.exports.csv import export_all
from dashboard.people import candidate_names
from dashboard.personio import PersonioError
from dashboard.schema import SCHEMAS
from dashboard.store import Store
from dashboard.ui import state
from metrics.drilldown import DRILLDOWN_COLUMNS
from metrics.filters import Filters
from metrics.kpis import kpis
from tests.hardening.conftest import CLIENT_ID, SECRET, Truth, VClock, assert_exact, client_for, sync
from tests.hardening.ui import app_on_fake, fake_client, new_app, publish_good_snapshot, rendered_bytes

CANARY = "canary-SECRET-7f3a9"
PII_COLUMNS = {"first_name", "last_name", "candidate_name", "email", "phone", "gender", "birthday",
               "linkedin_profile", "candidate_location"}


def forms(secret: str) -> set[bytes]:
    """The ways a secret could show up in bytes: as is, URL-encoded, JSON-escaped."""
    return {v.encode() for v in {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]}}


def files_bytes(*roots: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for root in roots if root.exists() for p in root.rglob("*") if p.is_file()}


def find_leaks(secrets: set[str], blobs: dict[str, bytes]) -> list[tuple[str, str]]:
    return [(where, s) for s in secrets for where, blob in blobs.items() for f in forms(s) if f in blob]


class EchoingProxy:
    """A hostile middlebox: answers chosen requests with an error body that echoes the request's credentials."""

    def __init__(self, fake: FakePersonio) -> None:
        self.fake = fake
        self.mode: str | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        auth = request.headers.get("authorization", "")
        posted = request.content.decode("utf-8", "replace")
        echo = f"you sent {auth!r} and {posted!r}"
        path = request.url.path
        if self.mode == "token-401" and path.endswith("/auth/token"):
            return httpx.Response(401, json={"error": "invalid_client", "error_description": echo})
        if self.mode == "data-500" and "/recruiting/" in path:
            return httpx.Response(500, json={"errors": [{"title": echo, "detail": echo}],
                                             "personio_trace_id": auth})
        if self.mode == "data-403" and "/recruiting/" in path:
            return httpx.Response(403, json={"title": "Forbidden", "detail": echo}, headers={"x-request-id": auth})
        if self.mode == "data-malformed" and "/recruiting/" in path:
            return httpx.Response(200, content=f"<html>{echo}</html>".encode(),
                                  headers={"content-type": f"text/html; note={auth}"})
        return self.fake.handler(request)


def test_canary_secret_and_tokens_are_found_nowhere(monkeypatch, tmp_path, caplog, capfd, company):
    for name in ("", "httpx", "httpcore", "dashboard", "streamlit"):
        caplog.set_level(logging.DEBUG, logger=name or None)
    vclock = VClock()
    fake = FakePersonio(company, client_id=CLIENT_ID, client_secret=CANARY, clock=vclock.now)
    cache = tmp_path / "cache"
    out_dir = tmp_path / "export"
    messages: dict[str, bytes] = {}
    issued: set[str] = set()

    # a good sync, an export, then every error a hostile or broken server can produce
    store = Store(cache / "direct")
    proxy = EchoingProxy(fake)
    sync(fake, vclock, store, full=True, secret=CANARY, transport=httpx.MockTransport(proxy))
    export_all(store.load_tables(), out_dir)
    for mode in ("token-401", "data-500", "data-403", "data-malformed"):
        proxy.mode = mode
        with pytest.raises(PersonioError) as caught:
            sync(fake, vclock, store, full=True, secret=CANARY, transport=httpx.MockTransport(proxy),
                 max_retries=1)
        messages[mode] = f"{caught.value}\n{caught.value!r}\n{caught.value.args!r}".encode()
        assert "[redacted]" in str(caught.value) or mode in ("data-malformed",), str(caught.value)
    messages["status"] = repr(store.status()).encode()
    store.close()

    # the CLI: sync, export, and a failing sync (one line on stderr)
    env = {"PERSONIO_CLIENT_ID": CLIENT_ID, "PERSONIO_CLIENT_SECRET": CANARY,
           "PERSONIO_BASE_URL": "https://fake.personio.invalid", "RECRUITING_DASHBOARD_CACHE_DIR": str(cache)}
    monkeypatch.setattr("dashboard.source.make_client",
                        lambda source, secret, **kw: fake_client(fake, vclock, source, secret))
    for argv in (["sync"], ["export", "--out", str(out_dir / "cli")]):
        out, err = io.StringIO(), io.StringIO()
        assert cli(argv, env=env, out=out, err=err) == 0, err.getvalue()
        messages[f"cli {argv[0]}"] = (out.getvalue() + err.getvalue()).encode()
    proxy.mode = "data-500"
    monkeypatch.setattr("dashboard.source.make_client",
                        lambda source, secret, **kw: fake_client(fake, vclock, source, secret,
                                                                 transport=httpx.MockTransport(proxy)))
    out, err = io.StringIO(), io.StringIO()
    assert cli(["sync", "--full"], env=env, out=out, err=err) == 2
    assert err.getvalue().startswith("error: ") and err.getvalue().count("\n") == 1
    messages["cli error"] = (out.getvalue() + err.getvalue()).encode()

    # the app, with the secret from the environment: overview, data page, and a failed sync
    proxy.mode = None
    app_root = cache
    publish_good_snapshot(fake, vclock, app_root, CANARY)
    with app_on_fake(monkeypatch, fake, vclock, app_root, CANARY):
        monkeypatch.setattr("dashboard.ui.loaders.make_client",
                            lambda source, s, **kw: fake_client(fake, vclock, source, s,
                                                                transport=httpx.MockTransport(proxy)))
        at = new_app().run()
        messages["app overview"] = rendered_bytes(at)
        for mode in ("data-500", "token-401"):
            proxy.mode = mode
            issued |= set(fake.tokens)
            fake.tokens.clear()
            at.button(key=state.SYNC_NOW).click().run()
            assert at.error, mode
            messages[f"app {mode}"] = rendered_bytes(at)
        at.switch_page("pages/admin/data.py").run()
        messages["app data page"] = rendered_bytes(at)
        assert not at.exception

    captured = capfd.readouterr()
    tokens = issued | set(fake.tokens)
    assert len(tokens) >= 3, "the fake issued tokens"
    blobs = {str(p): b for p, b in files_bytes(cache, out_dir).items()}
    blobs.update(messages)
    blobs["logs"] = caplog.text.encode() + "\n".join(r.getMessage() for r in caplog.records).encode()
    blobs["stdout+stderr"] = (captured.out + captured.err).encode()
    assert len(blobs) > 10
    assert find_leaks({CANARY, *tokens}, blobs) == []
    assert any(f.endswith(".csv") for f in blobs) and any("cache.db" in f for f in blobs)


def test_the_typed_secret_lives_in_session_memory_only(monkeypatch, tmp_path, company):
    vclock = VClock()
    fake = FakePersonio(company, client_id=CLIENT_ID, client_secret=CANARY, clock=vclock.now)
    root = tmp_path / "cache"
    with app_on_fake(monkeypatch, fake, vclock, root, ""):
        monkeypatch.delenv("PERSONIO_CLIENT_SECRET")
        monkeypatch.delenv("PERSONIO_CLIENT_ID")
        at = new_app().run()
        at.session_state[state.SOURCE_KIND] = "personio"
        at.run()
        at.text_input(key=state.key(state.CRED_FORM_ID, where="sidebar")).input(CLIENT_ID)
        at.text_input(key=state.key(state.CRED_FORM_SECRET, where="sidebar")).input(CANARY)
        at.button(key=state.key(state.CRED_FORM_SUBMIT, where="sidebar")).click().run()
        at.switch_page("pages/admin/data.py").run()
        at.button(key=state.SYNC_NOW).click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        rendered = rendered_bytes(at)
    assert find_leaks({CANARY, *fake.tokens}, {"app": rendered, **{str(p): b for p, b in files_bytes(root).items()}}) == []


def test_cache_directories_are_0700_and_files_0600(fake, vclock, tmp_path):
    old = os.umask(0o022)  # a typical laptop umask: the store must not rely on it
    try:
        store = Store(tmp_path / "root" / "company")
        sync(fake, vclock, store, full=True)
        fake.inject("/stage-transitions$", 503, times=None)
        fake.touch_applications(["2000001"])
        with pytest.raises(PersonioError):
            sync(fake, vclock, store)  # a failed sync writes the work area and the attempt
        store.load_tables()
        store.close()
    finally:
        os.umask(old)
    paths = [tmp_path / "root" / "company", *(tmp_path / "root" / "company").rglob("*")]
    assert len(paths) > 2
    for p in paths:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), (p, oct(mode))


def test_cli_purge_removes_every_cached_byte(fake, vclock, tmp_path, monkeypatch):
    root = tmp_path / "cache"
    for name in ("a", "b"):
        s = Store(root / name)
        sync(fake, vclock, s, full=True)
        s.close()
    (tmp_path / "mine.txt").write_text("not ours")
    err = io.StringIO()
    assert cli(["purge", "--yes"], env={"RECRUITING_DASHBOARD_CACHE_DIR": str(root)}, out=io.StringIO(),
               err=err) == 0
    assert not root.exists() or not any(root.rglob("*"))
    assert (tmp_path / "mine.txt").exists()  # only what the dashboard created
    assert "Deleted 2 cached companies" in err.getvalue()


def test_data_page_purge_removes_every_cached_byte(monkeypatch, tmp_path, company):
    vclock = VClock()
    fake = FakePersonio(company, client_id=CLIENT_ID, client_secret=SECRET, clock=vclock.now)
    root = tmp_path / "cache"
    source = publish_good_snapshot(fake, vclock, root, SECRET)
    store_dir = root / source.key
    before = files_bytes(store_dir)
    assert any(company.jobs["job_name"][0].encode() in b for b in before.values())  # the needle is findable
    with app_on_fake(monkeypatch, fake, vclock, root, SECRET):
        at = new_app().run()
        at.switch_page("pages/admin/data.py").run()
        at.button(key=state.PURGE_ASK).click().run()
        at.button(key=state.PURGE_CONFIRM).click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("Not synced yet" in s.value for s in at.success)
    # whatever the app re-opened afterwards is an empty store: no snapshot, no records
    reopened = Store(store_dir)
    assert reopened.status().snapshot_id is None and reopened.load_tables() is None
    assert reopened.work_transitions() == {}
    reopened.close()
    after = files_bytes(store_dir)
    needles = [company.jobs["job_name"][0].encode(), *(a.encode() for a in company.applications["application_id"])]
    assert [str(p) for p, b in after.items() for n in needles if n in b] == []


def test_candidate_contact_data_never_reaches_tables_cache_or_exports(fake, vclock, store, company, tmp_path):
    sync(fake, vclock, store, full=True)
    tables = store.load_tables()
    for name in SCHEMAS:
        assert not PII_COLUMNS & set(getattr(tables, name).columns), name
    assert tables.candidates.columns == ["candidate_id", "created_at", "updated_at"]
    assert not PII_COLUMNS & set(DRILLDOWN_COLUMNS)  # drill-downs (and their CSV) carry no contact data
    out = tmp_path / "export"
    export_all(tables, out, Filters())
    details = company.candidate_details
    needles = set(details["email"].to_list()) | set(details["phone"].drop_nulls().to_list())
    needles |= {f"{f} {last}" for f, last in details.select("first_name", "last_name").iter_rows()}
    needles |= {f'"{last}"' for last in details["last_name"].to_list()}  # a stored last_name value
    blobs = files_bytes(store.path, out)
    leaks = [(str(p), n) for p, b in blobs.items() for n in needles if n.encode() in b]
    assert leaks == []


def test_anonymised_applications_are_counted_without_candidate_details(fake, vclock, store, company):
    sync(fake, vclock, store, full=True)
    anon = company.applications.filter(pl.col("is_anonymized"))
    assert anon.height > 0
    apps = store.load_tables().applications
    stored = apps.filter(pl.col("is_anonymized"))
    assert sorted(stored["application_id"]) == sorted(anon["application_id"])
    assert stored["candidate_id"].null_count() == stored.height
    assert kpis(store.load_tables(), Filters())["applications"] == company.applications.height
    _meta, raw = store.load_raw()
    for app_id in anon["application_id"]:
        assert raw.applications[app_id].get("candidate") in (None, {})


def test_records_deleted_in_personio_vanish_locally_after_a_full_sync(fake, vclock, store, company):
    sync(fake, vclock, store, full=True)
    gone_app = company.applications.filter(pl.col("candidate_id").is_not_null())["application_id"][0]
    multi = company.applications.group_by("candidate_id").len().filter(pl.col("len") >= 1)
    gone_cand = [c for c in multi["candidate_id"].drop_nulls().to_list()
                 if c != company.applications.filter(pl.col("application_id") == gone_app)["candidate_id"][0]][0]
    fake.delete_application(gone_app)
    fake.delete_candidate(gone_cand)
    vclock.advance(3600)
    sync(fake, vclock, store)  # incremental: Personio has no deletion feed, so nothing vanishes yet
    sync(fake, vclock, store, full=True)
    truth = Truth.of(company, without_apps={gone_app}, without_candidates={gone_cand})
    assert_exact(store, truth)
    _meta, raw = store.load_raw()
    gone_apps = {gone_app, *company.applications.filter(pl.col("candidate_id") == gone_cand)["application_id"]}
    assert not gone_apps & set(raw.applications) and not gone_apps & set(raw.transitions)
    assert gone_cand not in raw.candidates
    # and not in any byte of the cache (no old generation, no work area, no free page holding them)
    store.close()
    blobs = files_bytes(store.path)
    needles = [f'"{gone_cand}"'.encode(), gone_cand.encode()]
    assert [str(p) for p, b in blobs.items() for n in needles if n in b] == []


def test_client_used_for_privacy_checks_is_the_real_one(fake, vclock):
    assert type(client_for(fake, vclock)).__module__ == "dashboard.personio.client"


def test_live_candidate_names_leave_no_trace_and_their_errors_leak_no_secret(tmp_path, caplog, company):
    """The drill-down's names path (dashboard.people over the real client): names stay in memory; a hostile
    error answer on /candidates/{id} that echoes the credentials yields a redacted error, not the secret."""
    for name in ("", "httpx", "httpcore", "dashboard"):
        caplog.set_level(logging.DEBUG, logger=name or None)
    vclock = VClock()
    fake = FakePersonio(company, client_id=CLIENT_ID, client_secret=CANARY, clock=vclock.now)
    store = Store(tmp_path / "cache")
    sync(fake, vclock, store, full=True, secret=CANARY)
    ids = store.load_tables().candidates["candidate_id"].head(5).to_list()
    store.close()
    before = files_bytes(store.path)
    details = company.candidate_details.filter(pl.col("candidate_id").is_in(ids))
    expected = {c: f"{f} {last}" for c, f, last in details.select("candidate_id", "first_name", "last_name").iter_rows()}

    proxy = EchoingProxy(fake)
    client = client_for(fake, vclock, secret=CANARY, transport=httpx.MockTransport(proxy), max_retries=1)
    try:
        assert candidate_names(client, ids) == expected
        proxy.mode = "data-500"
        with pytest.raises(PersonioError) as caught:
            candidate_names(client, ids)
    finally:
        client.close()

    assert files_bytes(store.path) == before  # fetching names wrote nothing to the cache
    message = f"{caught.value}\n{caught.value!r}\n{caught.value.args!r}".encode()
    blobs = {"error": message, "logs": caplog.text.encode(), **{str(p): b for p, b in before.items()}}
    assert find_leaks({CANARY, *fake.tokens}, blobs) == []
    names_on_disk = [n for n in expected.values() if any(n.encode() in b for b in before.values())]
    assert names_on_disk == []
