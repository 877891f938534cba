"""Fault injection for reliability tests; everything is off by default.

`Faults` is a plain mutable object shared with the running app, so a test can
switch a fault on between two requests. Rates draw from a seeded RNG, so a
run is repeatable; `force_next(...)` queues exact faults for the next requests.

Faults:
- `latency`: seconds added before every matching request is handled.
- `error_rate` (+ `error_status`, 500 or 503): answered with a Fintoc-shaped
  `api_error` before the request is handled (nothing changes).
- `rate_limit_rate` (+ `retry_after`): 429 `rate_limit_exceeded` with `Retry-After`.
- `drop_rate`: "commit, then drop the connection" — the request is handled and
  committed (a transfer exists, an idempotency key is stored), then the
  response is abandoned after its headers start. Over a socket (uvicorn) the
  connection is closed mid-response, so the client sees a real transport error
  (`httpx.RemoteProtocolError`). In process there is no socket to drop, so the
  app raises `ConnectionDropped`, a subclass of `httpx.RemoteProtocolError`,
  which `httpx.ASGITransport` lets through to the client: the same exception a
  client would see over the network.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

FaultKind = Literal["error", "rate_limit", "drop"]


@cache
def _connection_dropped() -> type[Exception]:
    """Made on first use: importing httpx costs the sandbox ~0.1 s at start-up."""
    import httpx

    class ConnectionDropped(httpx.RemoteProtocolError):
        """The sandbox dropped the connection on purpose, after committing."""

        def __init__(self) -> None:
            super().__init__("sandbox fault injection: connection dropped after commit")

    ConnectionDropped.__module__ = __name__
    ConnectionDropped.__qualname__ = "ConnectionDropped"
    return ConnectionDropped


def __getattr__(name: str) -> Any:
    # `from fintoc_tui.sandbox.faults import ConnectionDropped` still works (PEP 562).
    if name == "ConnectionDropped":
        return _connection_dropped()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class Faults:
    latency: float = 0.0
    error_rate: float = 0.0
    error_status: int = 503
    rate_limit_rate: float = 0.0
    retry_after: int = 1
    drop_rate: float = 0.0
    #: Only these methods are affected (e.g. {"POST"}); None = every request.
    methods: frozenset[str] | None = None
    #: Only paths starting with this prefix are affected.
    path_prefix: str = "/v2/"
    seed: int = 0
    _forced: deque[tuple[FaultKind, int | None]] = field(default_factory=deque, repr=False)
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.error_status not in (500, 503):
            raise ValueError("error_status must be 500 or 503")
        self._rng = random.Random(self.seed)

    @property
    def active(self) -> bool:
        return bool(
            self.latency
            or self.error_rate
            or self.rate_limit_rate
            or self.drop_rate
            or self._forced
        )

    def force_next(self, kind: FaultKind, count: int = 1, *, status: int | None = None) -> None:
        """Make the next `count` matching requests fail this way, whatever the rates say."""
        with self._lock:
            for _ in range(count):
                self._forced.append((kind, status))

    def clear(self) -> None:
        with self._lock:
            self._forced.clear()
        self.latency = self.error_rate = self.rate_limit_rate = self.drop_rate = 0.0

    def applies_to(self, method: str, path: str) -> bool:
        if not path.startswith(self.path_prefix):
            return False
        return self.methods is None or method.upper() in self.methods

    def draw(self) -> tuple[FaultKind, int | None] | None:
        """The fault for this request, if any (forced ones first, then by rate)."""
        with self._lock:
            if self._forced:
                return self._forced.popleft()
            roll = self._rng.random()
        if roll < self.rate_limit_rate:
            return ("rate_limit", None)
        roll -= self.rate_limit_rate
        if roll < self.error_rate:
            return ("error", self.error_status)
        roll -= self.error_rate
        if roll < self.drop_rate:
            return ("drop", None)
        return None
