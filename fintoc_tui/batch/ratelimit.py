"""Fintoc allows 10 transfer requests per second: a token bucket under the HTTP client.

The bucket sits in the transport (`RateLimitedTransport`), below the client's
retry loop, so every attempt that goes on the wire takes a token, retries
included. A `429` answer holds the whole bucket for its `Retry-After`, so no
other row goes out while Fintoc is asking us to wait.

Hand-written rather than taken from aiolimiter or pyrate-limiter: the part
that matters here — a hold for `Retry-After` shared by every sender, and a
burst of 1 so that no one-second window ever sees more than `rate` requests —
is not what those libraries model, and the whole thing is a few lines.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx

__all__ = ["TRANSFER_RATE_LIMIT", "RateLimitedTransport", "TokenBucket", "is_transfer_request"]

#: "The default rate limit is 10 Transfer requests per second per client."
TRANSFER_RATE_LIMIT = 10.0
_EPSILON = 1e-6


class TokenBucket:
    """`rate` tokens per second, at most `capacity` saved up; `hold(s)` pauses everyone.

    With `capacity=1` requests are spaced `1/rate` apart: any one-second
    window holds at most `rate` of them.
    """

    def __init__(
        self,
        rate: float = TRANSFER_RATE_LIMIT,
        capacity: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be more than 0")
        self.rate = rate
        self.capacity = max(1.0, capacity)
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._stamp = clock()
        self._held_until = 0.0
        self._lock = asyncio.Lock()

    def hold(self, seconds: float) -> None:
        """Nobody gets a token for `seconds` (a 429's `Retry-After`); the bucket starts empty."""
        until = self._clock() + max(0.0, seconds)
        if until > self._held_until:
            self._held_until = until
            self._tokens = 0.0

    async def acquire(self) -> None:
        """Wait for a token (first come, first served)."""
        async with self._lock:
            while True:
                now = self._clock()
                if now < self._held_until:
                    await self._sleep(self._held_until - now)
                    self._stamp = self._held_until
                    continue
                self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                wait = (1.0 - self._tokens) / self.rate
                if wait <= _EPSILON:  # clocks tick in microseconds
                    self._tokens = max(0.0, self._tokens - 1.0)
                    return
                await self._sleep(wait)


def is_transfer_request(request: httpx.Request) -> bool:
    """`POST /v2/transfers`: what Fintoc's transfer rate limit counts."""
    return request.method == "POST" and request.url.path == "/v2/transfers"


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds (a number or an HTTP date), or None: the client's own reading."""
    from fintoc_tui.api.client import _parse_retry_after

    return _parse_retry_after(value, time.time())


class RateLimitedTransport(httpx.AsyncBaseTransport):
    """Takes a token before each limited request; holds the bucket on a 429."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        bucket: TokenBucket,
        *,
        limited: Callable[[httpx.Request], bool] = is_transfer_request,
        on_send: Callable[[httpx.Request], None] | None = None,
    ) -> None:
        self.inner = inner
        self.bucket = bucket
        self.limited = limited
        self.on_send = on_send
        self.rate_limited = 0
        """How many 429s came back (for the progress line and the bench)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self.limited(request):
            return await self.inner.handle_async_request(request)
        await self.bucket.acquire()
        if self.on_send is not None:
            self.on_send(request)
        response = await self.inner.handle_async_request(request)
        if response.status_code == 429:
            self.rate_limited += 1
            self.bucket.hold(retry_after_seconds(response.headers.get("Retry-After")) or 1.0)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()
