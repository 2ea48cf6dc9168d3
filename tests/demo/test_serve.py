"""The fake over real HTTP on an ephemeral port answers like the in-process handler."""

from __future__ import annotations

import httpx

from dashboard.demo import DemoCompany, FakePersonio
from dashboard.demo.serve import serve
from tests.demo.conftest import fetch_all, token


def test_serve_answers_over_a_real_socket(small_company: DemoCompany) -> None:
    fake = FakePersonio(small_company)
    server, base_url = serve(fake, port=0)
    try:
        assert base_url.startswith("http://127.0.0.1:") and not base_url.endswith(":0")
        with httpx.Client(base_url=base_url, timeout=10) as c:
            c.headers["Authorization"] = "Bearer " + token(c).json()["access_token"]
            apps = fetch_all(c, "/v2/recruiting/applications?limit=200")
            assert len(apps) == 400
            assert fake.requests[-1].query.get("cursor")  # next hrefs point back at the socket
            assert c.get("/v2/recruiting/applications/nope").status_code == 404
            assert c.get("/xml?language=en").text.startswith("<?xml")
            fake.inject(r"/jobs", status=429, retry_after=2)
            limited = c.get("/v2/recruiting/jobs")
            assert limited.status_code == 429 and limited.headers["Retry-After"] == "2"
            fake.inject(r"/jobs", raise_exc=httpx.ReadTimeout)
            try:
                c.get("/v2/recruiting/jobs")
                raised = False
            except httpx.TransportError:
                raised = True
            assert raised
    finally:
        server.shutdown()
        server.server_close()
