"""Settings from environment variables, Streamlit secrets and sidebar overrides; the cache location.

Precedence, lowest first: environment variables, `secrets` (e.g. `st.secrets`), `overrides` (e.g. the
sidebar). Without a client id and secret the dashboard runs on the built-in demo company.
The client secret is wrapped in `Secret` so that it never shows up in a repr, a log line or a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

APP_NAME = "personio-recruiting-dashboard"
DEFAULT_BASE_URL = "https://api.personio.de"
DEFAULT_RATE_PER_SECOND = 4.0

ENV_CLIENT_ID = "PERSONIO_CLIENT_ID"
ENV_CLIENT_SECRET = "PERSONIO_CLIENT_SECRET"
ENV_BASE_URL = "PERSONIO_BASE_URL"
ENV_COMPANY_HOST = "PERSONIO_COMPANY_HOST"
ENV_RATE = "PERSONIO_RATE_PER_SECOND"
ENV_SCOPE = "PERSONIO_SCOPE"  # sent with the token request only when set
ENV_CACHE_DIR = "RECRUITING_DASHBOARD_CACHE_DIR"

# Keys accepted in `secrets` / `overrides` (lower case), mapped to the environment variable they replace.
_KEYS = {
    "client_id": ENV_CLIENT_ID,
    "client_secret": ENV_CLIENT_SECRET,
    "base_url": ENV_BASE_URL,
    "company_host": ENV_COMPANY_HOST,
    "rate_per_second": ENV_RATE,
    "scope": ENV_SCOPE,
    "cache_dir": ENV_CACHE_DIR,
}


class ConfigError(ValueError):
    """A setting has a value the dashboard cannot use (message is safe to show)."""


class Secret:
    """A string that prints as *** everywhere; `.get()` returns the value for the one place that needs it."""

    __slots__ = ("_value",)

    def __init__(self, value: str = "") -> None:
        self._value = value

    def get(self) -> str:
        """The secret value itself."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('***')" if self._value else "Secret('')"

    def __str__(self) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))


def default_cache_root(env: Mapping[str, str] | None = None) -> Path:
    """Where synced data lives: $RECRUITING_DASHBOARD_CACHE_DIR, else the per-user cache directory."""
    env = os.environ if env is None else env
    override = (env.get(ENV_CACHE_DIR) or "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME))


def career_site_url_for(company_host: str | None) -> str | None:
    """The career-site base URL for a company host ("acme" → https://acme.jobs.personio.de)."""
    host = (company_host or "").strip().rstrip("/")
    if not host:
        return None
    if "://" in host:
        return host
    if "." not in host:
        host = f"{host}.jobs.personio.de"
    return f"https://{host}"


@dataclass(frozen=True)
class Settings:
    """Everything needed to pick a company source and a cache; the secret stays wrapped."""

    base_url: str = DEFAULT_BASE_URL
    client_id: str = ""
    client_secret: Secret = field(default_factory=Secret)
    company_host: str | None = None
    rate_per_second: float = DEFAULT_RATE_PER_SECOND
    cache_root: Path = field(default_factory=default_cache_root)
    scope: str | None = None  # OAuth scope for the token request; None: send none (the credential's own)

    @property
    def career_site_url(self) -> str | None:
        """Career-site base URL derived from `company_host` (None when not configured)."""
        return career_site_url_for(self.company_host)

    @property
    def is_demo(self) -> bool:
        """True when no complete credentials are configured."""
        return not (self.client_id and self.client_secret)


def _pick(env: Mapping[str, Any], secrets: Mapping[str, Any] | None, overrides: Mapping[str, Any] | None,
          key: str) -> Any:
    """The value for `key` from the highest-precedence layer that sets it (empty strings do not count)."""
    value: Any = env.get(_KEYS[key])
    for layer in (secrets, overrides):
        if not layer:
            continue
        for name in (key, _KEYS[key]):
            if name in layer and layer[name] not in (None, ""):
                value = layer[name]
    if isinstance(value, Secret):
        value = value.get()
    return value.strip() if isinstance(value, str) else value


def _normalise_base_url(raw: str) -> str:
    url = raw.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"Base URL must be an http(s) URL, got {raw!r}")
    return url


def load_settings(env: Mapping[str, str] = os.environ, secrets: Mapping[str, Any] | None = None,
                  overrides: Mapping[str, Any] | None = None) -> Settings:
    """Settings from env vars, then `secrets`, then `overrides` (later layers win)."""
    base_url = _pick(env, secrets, overrides, "base_url") or DEFAULT_BASE_URL
    rate_raw = _pick(env, secrets, overrides, "rate_per_second")
    rate = DEFAULT_RATE_PER_SECOND
    if rate_raw not in (None, ""):
        try:
            rate = float(rate_raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{ENV_RATE} must be a number, got {rate_raw!r}") from None
        if not rate > 0:
            raise ConfigError(f"{ENV_RATE} must be positive, got {rate_raw!r}")
    cache_dir = _pick(env, secrets, overrides, "cache_dir")
    return Settings(
        base_url=_normalise_base_url(str(base_url)),
        client_id=str(_pick(env, secrets, overrides, "client_id") or ""),
        client_secret=Secret(str(_pick(env, secrets, overrides, "client_secret") or "")),
        company_host=_pick(env, secrets, overrides, "company_host") or None,
        rate_per_second=rate,
        cache_root=Path(str(cache_dir)).expanduser() if cache_dir else default_cache_root(env),
        scope=str(_pick(env, secrets, overrides, "scope") or "") or None,
    )


_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def insecure_base_url_warning(base_url: str) -> str | None:
    """A warning when the API base URL is plain http:// to a host other than this computer (token in clear)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(base_url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() != "http" or host in _LOCAL_HOSTS or host.endswith(".localhost") \
            or host.startswith("127."):
        return None
    return (f"The Personio base URL uses plain http:// to {host}: the client secret and access token travel "
            "unencrypted. Use https:// unless this is a proxy on a network you trust.")
