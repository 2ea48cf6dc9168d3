"""Serve a FakePersonio over real HTTP (stdlib ThreadingHTTPServer) so CLI runs can be tested against a socket."""

from __future__ import annotations

import argparse
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from dashboard.demo.fake import FakePersonio
from dashboard.demo.generator import generate_company


def _handler_class(fake: FakePersonio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """Translates each HTTP request to an httpx.Request for the fake and writes its response back."""

        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
            request = httpx.Request(self.command, f"http://{host}{self.path}",
                                    headers=[(k, v) for k, v in self.headers.items()], content=body)
            try:
                response = fake.handler(request)
            except httpx.TransportError:
                # An injected timeout or connection error: drop the connection without an answer.
                self.close_connection = True
                return
            content = response.content
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815 - http.server's naming

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
            """Quiet: the fake keeps its own request log."""

    return Handler


def serve(fake: FakePersonio, host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start serving `fake` on host:port (0 = a free port) in a daemon thread; returns (server, base URL).

    Stop it with `server.shutdown(); server.server_close()`."""
    server = ThreadingHTTPServer((host, port), _handler_class(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="fake-personio", daemon=True)
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    return server, f"http://{bound_host}:{bound_port}"


def main(argv: list[str] | None = None) -> None:
    """`python -m dashboard.demo.serve [--port 8765]`: serve the demo company until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.demo.serve", description=main.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--size", type=int, default=3000, help="applications in the demo company")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    fake = FakePersonio(generate_company(args.size, seed=args.seed))
    server, base_url = serve(fake, args.host, args.port)
    print(f"Fake Personio serving the demo company at {base_url}")
    print(f"  client id: {fake.client_id}   client secret: {fake.client_secret}")
    print(f"  career-site feed: {base_url}/xml?language=en")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
