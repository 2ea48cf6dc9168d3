"""Settings: env vars, secrets and overrides layered; the secret never printed; cache location."""

from pathlib import Path

import pytest

from dashboard.config import (
    DEFAULT_BASE_URL,
    ConfigError,
    Secret,
    default_cache_root,
    load_settings,
)


def test_no_credentials_means_demo():
    s = load_settings(env={})
    assert s.is_demo
    assert s.base_url == DEFAULT_BASE_URL
    assert s.client_id == ""


def test_env_vars_are_read():
    env = {
        "PERSONIO_CLIENT_ID": "cid",
        "PERSONIO_CLIENT_SECRET": "top-secret",
        "PERSONIO_BASE_URL": "http://127.0.0.1:9999/",
        "PERSONIO_COMPANY_HOST": "acme",
        "PERSONIO_RATE_PER_SECOND": "2.5",
        "RECRUITING_DASHBOARD_CACHE_DIR": "/tmp/somewhere",
    }
    s = load_settings(env=env)
    assert not s.is_demo
    assert s.client_id == "cid"
    assert s.client_secret.get() == "top-secret"
    assert s.base_url == "http://127.0.0.1:9999"
    assert s.career_site_url == "https://acme.jobs.personio.de"
    assert s.rate_per_second == 2.5
    assert s.cache_root == Path("/tmp/somewhere")


def test_secrets_then_overrides_win_over_env():
    env = {"PERSONIO_CLIENT_ID": "env-id", "PERSONIO_CLIENT_SECRET": "env-secret"}
    s = load_settings(env=env, secrets={"client_id": "sec-id"}, overrides={"PERSONIO_CLIENT_SECRET": "ui-secret"})
    assert s.client_id == "sec-id"
    assert s.client_secret.get() == "ui-secret"


def test_empty_override_does_not_erase_env_value():
    s = load_settings(env={"PERSONIO_CLIENT_ID": "env-id"}, overrides={"client_id": ""})
    assert s.client_id == "env-id"


def test_secret_never_shows_in_repr_or_str():
    s = load_settings(env={"PERSONIO_CLIENT_ID": "cid", "PERSONIO_CLIENT_SECRET": "hunter2"})
    assert "hunter2" not in repr(s)
    assert "hunter2" not in str(s)
    assert str(Secret("hunter2")) == "***"
    assert "hunter2" not in repr(Secret("hunter2"))
    assert f"{Secret('hunter2')}" == "***"


@pytest.mark.parametrize("bad", ["abc", "0", "-1"])
def test_bad_rate_is_a_clear_error(bad):
    with pytest.raises(ConfigError, match="PERSONIO_RATE_PER_SECOND"):
        load_settings(env={"PERSONIO_RATE_PER_SECOND": bad})


def test_bad_base_url_is_a_clear_error():
    with pytest.raises(ConfigError, match="Base URL"):
        load_settings(env={"PERSONIO_BASE_URL": "api.personio.de"})


def test_default_cache_root_is_user_cache_dir_unless_overridden(tmp_path):
    import platformdirs

    assert default_cache_root({}) == Path(platformdirs.user_cache_dir("personio-recruiting-dashboard"))
    assert default_cache_root({"RECRUITING_DASHBOARD_CACHE_DIR": str(tmp_path)}) == tmp_path


def test_full_career_site_url_kept():
    s = load_settings(env={"PERSONIO_COMPANY_HOST": "https://careers.example.com/"})
    assert s.career_site_url == "https://careers.example.com"
