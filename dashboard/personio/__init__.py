"""Personio Recruiting API v2 client (httpx only: no polars, no streamlit)."""

from dashboard.personio.client import ClientStats, PersonioClient, RetryInfo, rfc3339
from dashboard.personio.errors import (
    AuthError,
    BadRequestError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    PersonioError,
    RateLimitError,
    ScopeError,
    ServerError,
)
from dashboard.personio.feed import parse_career_feed

__all__ = [
    "AuthError",
    "BadRequestError",
    "ClientStats",
    "MalformedResponseError",
    "NetworkError",
    "NotFoundError",
    "PersonioClient",
    "PersonioError",
    "RateLimitError",
    "RetryInfo",
    "ScopeError",
    "ServerError",
    "parse_career_feed",
    "rfc3339",
]
