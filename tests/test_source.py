"""Source: which company, a stable secret-free cache key, labels, the demo client and the store."""

from pathlib import Path

from dashboard.config import load_settings
from dashboard.source import DEMO_BASE_URL, Source, demo_source, open_store, source_from_settings


def test_no_credentials_gives_the_demo_company():
    src = source_from_settings(load_settings(env={}))
    assert src.kind == "demo"
    assert src.base_url == DEMO_BASE_URL
    assert src.label == "Demo company (generated data)"
    assert (src.demo_size, src.demo_seed) == (10000, 7)


def test_credentials_give_the_personio_company():
    env = {"PERSONIO_CLIENT_ID": "cid", "PERSONIO_CLIENT_SECRET": "s3cr3t-value",
           "PERSONIO_BASE_URL": "https://api.personio.de", "PERSONIO_COMPANY_HOST": "acme"}
    src = source_from_settings(load_settings(env=env))
    assert src == Source(kind="personio", base_url="https://api.personio.de", client_id="cid",
                         career_site_url="https://acme.jobs.personio.de")
    assert src.label == "Personio: api.personio.de"
    assert "s3cr3t-value" not in repr(src)


def test_key_is_stable_short_and_distinguishes_companies():
    a = Source(kind="personio", base_url="https://api.personio.de", client_id="one")
    assert a.key == Source(kind="personio", base_url="https://api.personio.de/", client_id="one").key
    assert a.key != Source(kind="personio", base_url="https://api.personio.de", client_id="two").key
    assert a.key != Source(kind="personio", base_url="http://127.0.0.1:8080", client_id="one").key
    assert demo_source(300).key != demo_source(3000).key
    assert demo_source(300).key == demo_source(300).key
    assert a.key.startswith("personio-") and len(a.key) == len("personio-") + 16
    assert a.key.replace("-", "").isalnum()


def test_key_never_depends_on_the_secret():
    base = {"PERSONIO_CLIENT_ID": "cid", "PERSONIO_BASE_URL": "https://api.personio.de"}
    k1 = source_from_settings(load_settings(env={**base, "PERSONIO_CLIENT_SECRET": "first"})).key
    k2 = source_from_settings(load_settings(env={**base, "PERSONIO_CLIENT_SECRET": "second"})).key
    assert k1 == k2


def test_open_store_puts_each_company_in_its_own_folder(tmp_path):
    src = demo_source(300)
    store = open_store(src, tmp_path)
    assert store.path == Path(tmp_path) / src.key
    assert store.path.is_dir()
    store.close()


def test_a_configured_scope_reaches_the_client_and_none_is_sent_otherwise():
    from dashboard.config import load_settings
    from dashboard.source import make_client, source_from_settings

    env = {"PERSONIO_CLIENT_ID": "cid", "PERSONIO_CLIENT_SECRET": "secret-value"}
    plain = source_from_settings(load_settings(env=env))
    scoped = source_from_settings(load_settings(env={**env, "PERSONIO_SCOPE": "personio:recruiting:read"}))
    assert make_client(plain, "secret-value").scope is None
    assert make_client(scoped, "secret-value").scope == "personio:recruiting:read"
    assert plain.key == scoped.key  # the scope does not change which cache the company uses


def test_only_the_real_api_publishes_snapshots_before_a_first_sync_ends():
    from dashboard.source import Source, demo_source
    from dashboard.sync import PUBLISH_EVERY

    assert demo_source().publish_every is None
    assert Source("personio", "https://api.personio.de", "id").publish_every == PUBLISH_EVERY
