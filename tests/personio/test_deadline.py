"""A real socket that drips its answer (headers or body) one byte at a time fails at the request deadline."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from dashboard.personio import NetworkError, PersonioClient


class DripServer:
    """Accepts connections and answers every request with `head` then one byte per `step` seconds, forever."""

    def __init__(self, head: bytes, step: float = 0.05) -> None:
        self.head, self.step = head, step
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.requests = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            self.requests += 1
            try:
                conn.sendall(self.head)
                while not self.stop.wait(self.step):  # the server's pace, not the test waiting
                    conn.sendall(b"a")
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


TOKEN_HEAD = b"HTTP/1.1 200 OK\r\nX-Slow: "  # headers that never end
BODY_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"


@pytest.mark.parametrize("head", [TOKEN_HEAD, BODY_HEAD], ids=["dripping headers", "dripping body"])
def test_a_real_dripping_server_fails_at_the_deadline_without_retries(head):
    server = DripServer(head)
    try:
        client = PersonioClient(server.url, "id", "secret-value", rate_per_second=None, request_deadline=0.6,
                                timeout=5.0)
        started = time.monotonic()
        with pytest.raises(NetworkError, match="no complete answer within 0.6 s"):
            client.check_token()
        elapsed = time.monotonic() - started
        client.close()
    finally:
        server.close()
    assert 0.6 <= elapsed < 3.0  # a per-read timeout of 5 s would never have tripped
    assert server.requests == 1
