"""An `httpx.AsyncClient` whose exchanges run in a context of their own.

httpx (through anyio) guards every connect, write and read with a timer, and
cancels it when the step is done. asyncio drops a cancelled timer early
only when it is the next one due; in the app another timer always is
(Textual's), so it stays queued until it would have fired (the read
timeout: 20 s), and it keeps the `contextvars` context it was made in. An exchange made from a
Textual worker runs in that worker's context, which names the worker, which
holds its screen: so every screen that asked for something stayed alive for
20 s after it was closed, with its widgets and the answer. Opening and
closing an account's detail a few times a minute held a dozen of them
(~1 MiB each; bench/bench_memory.py, issue 17).

Here each exchange (`send`: every get, post and request goes through it) runs
as a task with an empty context. Nothing in an exchange reads a context
variable (the API layer never imports Textual; anyio finds asyncio by the
running task), and cancelling the caller cancels the exchange: asyncio
cancels the task the caller awaits.
"""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any

import httpx


class OwnContextAsyncClient(httpx.AsyncClient):
    """`httpx.AsyncClient`, each `send` in a fresh, empty context (see the module)."""

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        exchange = super().send(request, **kwargs)
        task = asyncio.get_running_loop().create_task(exchange, context=contextvars.Context())
        return await task
