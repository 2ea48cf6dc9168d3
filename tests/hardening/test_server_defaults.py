"""Server defaults: Streamlit, started from the project, binds 127.0.0.1, protects against XSRF, sends no usage
statistics, shows no error details, and the config says how to expose it deliberately."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".streamlit" / "config.toml"

_READ = """
import json
from streamlit import config
config.get_config_options(force_reparse=True)
keys = ["server.address", "server.enableXsrfProtection", "browser.gatherUsageStats", "client.showErrorDetails",
        "server.headless"]
print(json.dumps({k: config.get_option(k) for k in keys}))
"""


def test_config_file_sets_local_only_xsrf_and_no_telemetry():
    cfg = tomllib.loads(CONFIG.read_text())
    assert cfg["server"]["address"] == "127.0.0.1"
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["client"]["showErrorDetails"] == "none"
    assert "--server.address 0.0.0.0" in CONFIG.read_text()  # how to expose it on purpose


def test_streamlit_itself_reads_these_defaults_when_run_from_the_project(tmp_path):
    proc = subprocess.run([sys.executable, "-c", _READ], cwd=ROOT, capture_output=True, text=True,  # noqa: S603
                          timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    opts = json.loads(proc.stdout.strip().splitlines()[-1])
    assert opts == {"server.address": "127.0.0.1", "server.enableXsrfProtection": True,
                    "browser.gatherUsageStats": False, "client.showErrorDetails": "none",
                    "server.headless": True}


def test_config_allows_only_local_host_names():
    """DNS rebinding: Streamlit refuses a WebSocket whose Host is not listed (empty would accept any)."""
    cfg = tomllib.loads(CONFIG.read_text())
    assert cfg["server"]["allowedHosts"] == ["localhost", "127.0.0.1", "::1"]


def test_the_dataframe_toolbar_offers_no_csv_download_or_copy(tmp_path):
    """Streamlit's own "Download as CSV" writes formulas as they came; our CSV buttons neutralise them."""
    assert tomllib.loads(CONFIG.read_text())["client"]["disableDataExport"] is True
    read = _READ.replace('"server.headless"]', '"server.headless", "client.disableDataExport"]')
    proc = subprocess.run([sys.executable, "-c", read], cwd=ROOT, capture_output=True, text=True,  # noqa: S603
                          timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["client.disableDataExport"] is True
