"""CLI: sync/export/purge/where on the demo company (in-process) and on the fake's real HTTP server."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from dashboard.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
SECRET = "cli-test-secret-9f3b"


def run(argv, env):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, env=env, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_where_prints_the_cache_root(tmp_path):
    code, out, _ = run(["where"], {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)})
    assert code == 0
    assert out.strip() == str(tmp_path)


def test_base_url_without_credentials_is_a_one_line_error(tmp_path):
    code, out, err = run(["sync", "--base-url", "http://127.0.0.1:1"], {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)})
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert "PERSONIO_CLIENT_ID" in err
    assert "Traceback" not in err


def test_purge_needs_yes_when_not_interactive(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    env = {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path / "cache")}
    assert run(["sync", "--demo-size", "40"], env)[0] == 0
    code, _, err = run(["purge"], env)
    assert code == 2 and "--yes" in err
    assert (tmp_path / "cache").exists()
    code, _, err = run(["purge", "--yes"], env)
    assert code == 0
    assert not (tmp_path / "cache").exists()


def test_sync_then_incremental_sync_on_the_demo(tmp_path):
    env = {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)}
    code, _, err = run(["sync", "--demo-size", "60"], env)
    assert code == 0, err
    assert "full sync: 60 applications, 60 transition lists" in err
    code, _, err = run(["sync", "--demo-size", "60"], env)
    assert code == 0, err
    assert "incremental sync:" in err and ", 0 transition lists" in err


def test_export_against_the_demo_in_process(tmp_path):
    env = {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path / "cache")}
    out_dir = tmp_path / "out"
    code, out, err = run(["export", "--out", str(out_dir), "--demo-size", "80", "--from", "2000-01-01",
                          "--to", "2100-12-31"], env)
    assert code == 0, err
    apps = (out_dir / "tables" / "applications.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(apps) == 1 + 80
    kpis = json.loads((out_dir / "kpis.json").read_text())
    assert kpis["applications"] == 80
    assert (out_dir / "funnel.csv").exists()


def test_export_no_sync_without_cache_is_a_clear_error(tmp_path):
    env = {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)}
    code, _, err = run(["export", "--out", str(tmp_path / "o"), "--no-sync", "--demo-size", "50"], env)
    assert code == 2
    assert "run without --no-sync" in err


def test_from_after_to_is_rejected(tmp_path):
    env = {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)}
    code, _, err = run(["export", "--out", str(tmp_path / "o"), "--from", "2025-02-01", "--to", "2025-01-01"], env)
    assert code == 2 and "--from" in err


@pytest.fixture
def http_fake():
    from dashboard.demo import FakePersonio, generate_company
    from dashboard.demo.serve import serve

    fake = FakePersonio(generate_company(120, seed=5))
    server, base_url = serve(fake)
    try:
        yield fake, base_url
    finally:
        server.shutdown()
        server.server_close()


def _subprocess(args, env, timeout=120):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("PERSONIO_", "RECRUITING_"))}
    full_env.update(env)
    full_env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "dashboard", *args], env=full_env, cwd=ROOT,  # noqa: S603
                          capture_output=True, text=True, timeout=timeout)


def test_export_against_the_real_http_fake_with_env_credentials(http_fake, tmp_path):
    fake, base_url = http_fake
    env = {"PERSONIO_CLIENT_ID": fake.client_id, "PERSONIO_CLIENT_SECRET": fake.client_secret,
           "PERSONIO_COMPANY_HOST": base_url, "PERSONIO_RATE_PER_SECOND": "1000",
           "RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path / "cache")}
    out_dir = tmp_path / "out"
    proc = _subprocess(["export", "--out", str(out_dir), "--base-url", base_url], env)
    assert proc.returncode == 0, proc.stderr
    assert fake.client_secret not in proc.stderr + proc.stdout
    assert "full sync: 120 applications, 120 transition lists" in proc.stderr
    assert fake.count("transitions") == 120 and fake.count("feed") == 1
    apps = (out_dir / "tables" / "applications.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(apps) == 121
    jobs = pl.read_csv(out_dir / "tables" / "jobs.csv")
    assert jobs.height == fake.company.jobs.height
    assert json.loads((out_dir / "kpis.json").read_text())["applications"] == 120
    stores = [p for p in (tmp_path / "cache").iterdir() if p.is_dir()]
    assert len(stores) == 1 and stores[0].name.startswith("personio-")

    # a second run syncs incrementally: no transitions again
    proc = _subprocess(["sync", "--base-url", base_url], env)
    assert proc.returncode == 0, proc.stderr
    assert "incremental sync:" in proc.stderr and ", 0 transition lists" in proc.stderr
    assert fake.count("transitions") == 120


def test_wrong_secret_against_the_real_http_fake_is_one_line_exit_2(http_fake, tmp_path):
    _, base_url = http_fake
    wrong = "not-the-secret-5150"
    env = {"PERSONIO_CLIENT_ID": "demo", "PERSONIO_CLIENT_SECRET": wrong,
           "RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)}
    proc = _subprocess(["sync", "--base-url", base_url], env)
    assert proc.returncode == 2
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1 and "401" in errors[0]
    assert "Traceback" not in proc.stderr
    assert wrong not in proc.stderr + proc.stdout


def test_where_in_a_subprocess_honours_the_env(tmp_path):
    proc = _subprocess(["where"], {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)})
    assert proc.returncode == 0
    assert proc.stdout.strip() == str(tmp_path)


def test_cli_default_demo_size_is_the_sources():
    from dashboard import __main__ as cli
    from dashboard import source

    assert cli.DEMO_SIZE == source.DEMO_SIZE


def test_export_review_writes_the_html_pack_and_the_deck_for_the_range(tmp_path, monkeypatch):
    import io as _io

    from pptx import Presentation

    monkeypatch.setenv("DASHBOARD_CHROMIUM", str(tmp_path / "no-chromium"))  # slides without images: fast
    env = {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path / "cache")}
    out_dir = tmp_path / "out"
    code, _out, err = run(["export", "--out", str(out_dir), "--demo-size", "80", "--from", "2000-01-01",
                           "--to", "2100-12-31", "--review"], env)
    assert code == 0, err
    html = (out_dir / "review.html").read_text(encoding="utf-8")
    assert "1 Jan 2000 – 31 Dec 2100" in html and '<div class="tile">' in html
    deck = Presentation(_io.BytesIO((out_dir / "review.pptx").read_bytes()))
    first = "\n".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "1 Jan 2000 – 31 Dec 2100" in first
    assert len(deck.slides) == 2 + 16  # title, headline numbers, one per chart of the whole dashboard
    assert "no image" in err


def test_the_demo_first_sync_publishes_one_snapshot_at_the_end(tmp_path, monkeypatch):
    # the demo answers at once: snapshots on the way would only re-parse it (the real API publishes early)
    import dashboard.sync

    reports = []
    real = dashboard.sync.run_sync
    monkeypatch.setattr(dashboard.sync, "run_sync", lambda *a, **kw: reports.append(real(*a, **kw)) or reports[-1])
    code, _, err = run(["sync", "--demo-size", "60"], {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)})
    assert code == 0, err
    assert [r.snapshots for r in reports] == [1]
