"""Personio Recruiting API v2 client (httpx only: no polars, no streamlit)."""

from dashboard.personio.client import ClientStats, PersonioClient, Probe, RetryInfo, rfc3339
from dashboard.personio.errors import (
    AuthError,
    BadRequestError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    PaginationError,
    PersonioError,
    RateLimitError,
    RedirectError,
    ResponseTooLargeError,
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
    "PaginationError",
    "PersonioClient",
    "PersonioError",
    "Probe",
    "RateLimitError",
    "RedirectError",
    "ResponseTooLargeError",
    "RetryInfo",
    "ScopeError",
    "ServerError",
    "parse_career_feed",
    "rfc3339",
]
