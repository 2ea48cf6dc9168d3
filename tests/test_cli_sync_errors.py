"""CLI exit codes and messages for data it cannot read, usage errors and incomplete snapshots."""

import io
import subprocess
import sys
from pathlib import Path

from dashboard.__main__ import main
from tests.test_sync_robust import Stub, application

ROOT = Path(__file__).resolve().parents[1]


def run(argv, env):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, env=env, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_unknown_history_shape_makes_sync_and_export_exit_non_zero_naming_the_fields(tmp_path, monkeypatch):
    odd = [{"moved_to": {"label": "Interview"}, "when": "2025-06-02", "by": "boss@example.com"}]
    stub = Stub([application("a1"), application("a2")], {"a1": odd, "a2": odd})
    monkeypatch.setattr("dashboard.source.make_client", lambda *a, **k: stub)
    env = {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path / "cache")}
    for argv in (["sync", "--demo-size", "5"], ["export", "--demo-size", "5", "--out", str(tmp_path / "out")],
                 ["export", "--demo-size", "5", "--no-sync", "--out", str(tmp_path / "out")]):
        code, _, err = run(argv, env)
        assert code == 2, argv
        last = err.strip().splitlines()[-1]
        assert last.startswith("error: stage transitions: none of the 2 stage histories could be read")
        assert "by, moved_to, moved_to.label, when" in last
        assert "boss@example.com" not in err and "Interview" not in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_some_unreadable_histories_are_printed_as_a_warning_and_the_sync_succeeds(tmp_path, monkeypatch):
    stub = Stub([application("a1"), application("a2")], {"a2": [{"moved_to": "x"}]})
    monkeypatch.setattr("dashboard.source.make_client", lambda *a, **k: stub)
    code, _, err = run(["sync", "--demo-size", "5"], {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)})
    assert code == 0, err
    assert "note: stage transitions: the histories of 1 of 2 applications could not be read" in err


def test_usage_errors_read_as_usage_errors_when_run_as_a_module(tmp_path):
    argv = [sys.executable, "-m", "dashboard", "export", "--out", str(tmp_path), "--from", "2024-02-01", "--to",
            "2024-01-01"]
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True,  # noqa: S603 - our own module
                          env={"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
                          timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: --from must not be after --to."


def test_exported_files_and_folders_are_private(tmp_path):
    env = {"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "out"
    code, _, err = run(["export", "--demo-size", "20", "--out", str(out)], env)
    assert code == 0, err
    paths = [out, *out.rglob("*")]
    assert len(paths) > 3
    for path in paths:
        assert path.stat().st_mode & 0o077 == 0, path


def test_plain_http_to_another_host_gets_a_warning():
    from dashboard.config import insecure_base_url_warning

    assert "unencrypted" in insecure_base_url_warning("http://proxy.example.com/personio")
    for url in ("https://api.personio.de", "http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:1"):
        assert insecure_base_url_warning(url) is None, url
