"""CLI: sync/export/purge/where on the demo company (in-process) and on the fake's real HTTP server."""

import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

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
