"""Serve a sandbox app with uvicorn in a background thread, on loopback.

For the app's `--sandbox` mode and end-to-end tests: `start()` returns once the
socket is listening, `base_url` says where, `stop()` shuts it down. Off the main
thread uvicorn installs no signal handlers (it checks), so this is safe inside
a test runner or a TUI.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time

import uvicorn
from starlette.types import ASGIApp


class NonLoopbackError(ValueError):
    """Refusing to bind an address other than loopback without being told to."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(host: str, *, allow_non_loopback: bool = False) -> None:
    if not allow_non_loopback and not is_loopback(host):
        raise NonLoopbackError(
            f"refusing to bind {host}: the sandbox has no real security and is meant for "
            "this machine only; pass --allow-non-loopback if you really mean it"
        )


class _QuietDrops(logging.Filter):
    """Injected connection drops are on purpose; keep them out of the error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None:
            return True
        from fintoc_tui.sandbox.faults import ConnectionDropped

        return not isinstance(exc, ConnectionDropped)


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted
    # sockets whose proto says TCP, and without it Nagle plus delayed ACKs add
    # ~40 ms to every response that uvicorn writes in two parts.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


class SandboxServer:
    """uvicorn serving `app` from a daemon thread; usable as a context manager."""

    def __init__(
        self,
        app: ASGIApp,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        allow_non_loopback: bool = False,
        log_level: str = "warning",
        access_log: bool = False,
    ) -> None:
        check_host(host, allow_non_loopback=allow_non_loopback)
        self.app = app
        self.host = host
        self._socket = bind_socket(host, port)
        self.port = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            log_level=log_level,
            access_log=access_log,
            lifespan="off",
            # Named outright so uvicorn never probes for uvloop, httptools or a
            # websockets library while the app waits for the sandbox to listen.
            loop="asyncio",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        self._filter = _QuietDrops()

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, timeout: float = 10.0) -> SandboxServer:
        logging.getLogger("uvicorn.error").addFilter(self._filter)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        # uvicorn has no "started" callback; poll its flag (a few ms at most).
        deadline = time.monotonic() + timeout
        while not self._server.started and self._thread.is_alive():
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the sandbox server did not start within {timeout} s")
            time.sleep(0.005)
        if not self._server.started:
            raise RuntimeError("the sandbox server stopped while starting; see its log")
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self._socket.close()
        logging.getLogger("uvicorn.error").removeFilter(self._filter)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
