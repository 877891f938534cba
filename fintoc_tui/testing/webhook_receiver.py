"""A real webhook receiver on a loopback port (stdlib `http.server` in a thread), for tests.

The standard library's server is enough: it only has to answer POSTs with
chosen statuses and keep what arrived, and it starts in milliseconds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """Answers each POST with the next of `statuses` (the last one repeats) and keeps what came."""

    def __init__(
        self, statuses: Iterable[int] = (200,), *, hold: threading.Event | None = None
    ) -> None:
        """`hold`: when given, each answer waits until it is set (a receiver that hangs)."""
        self.statuses = list(statuses)
        self.hold = hold
        self.received: list[Received] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                with receiver._arrived:
                    index = len(receiver.received)
                    receiver.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    status = receiver.statuses[min(index, len(receiver.statuses) - 1)]
                    receiver._arrived.notify_all()
                if receiver.hold is not None:
                    receiver.hold.wait(60)
                self.send_response(status)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/webhooks/fintoc"

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """Block until `count` requests arrived (a generous bound, not a timed assertion)."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.received) >= count, timeout)
            return list(self.received)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
