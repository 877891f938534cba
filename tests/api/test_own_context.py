"""Each HTTP exchange runs in a context of its own (`api/own_context.py`).

A cancelled timer stays in asyncio's queue until it would have fired, and
holds the context it was made in: with a plain `httpx.AsyncClient`, whatever
the caller's context names (a Textual worker, and through it its screen)
stays alive for the read timeout after the answer. These run over a real
loopback socket, since that is where httpx arms its timers, with another
timer due first, as in the app (Textual's own): asyncio drops a cancelled
timer early only when it is the next one due.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import weakref

import httpx

from fintoc_tui.api.own_context import OwnContextAsyncClient

CALLER: contextvars.ContextVar[object] = contextvars.ContextVar("caller")


class Caller:
    """Stands for a worker: named by the caller's context, nothing else holds it."""


async def _held_after_answer(client: httpx.AsyncClient, url: str) -> bool:
    sooner = asyncio.get_running_loop().call_later(10, lambda: None)
    try:
        return await _ask_and_drop(client, url)
    finally:
        sooner.cancel()


async def _ask_and_drop(client: httpx.AsyncClient, url: str) -> bool:
    caller = Caller()
    alive = weakref.ref(caller)

    async def ask(who: Caller) -> int:
        CALLER.set(who)
        response = await client.get(url)
        return response.status_code

    asking = ask(caller)
    status = await asyncio.get_running_loop().create_task(asking, context=contextvars.Context())
    del asking
    assert status == 401  # the sandbox wants a key: an answer all the same
    del caller
    for _ in range(3):  # let the loop run what the answer scheduled
        await asyncio.sleep(0)
    gc.collect()
    return alive() is not None


async def test_a_plain_client_keeps_the_callers_context_until_its_timeout(live_sandbox):
    server, _ = live_sandbox
    async with httpx.AsyncClient(timeout=httpx.Timeout(20.0)) as plain:
        assert await _held_after_answer(plain, f"{server.base_url}/v2/accounts")


async def test_the_clients_exchanges_let_the_caller_go_at_once(live_sandbox):
    server, _ = live_sandbox
    async with OwnContextAsyncClient(timeout=httpx.Timeout(20.0)) as own:
        assert not await _held_after_answer(own, f"{server.base_url}/v2/accounts")


async def test_cancelling_the_caller_cancels_the_exchange():
    closed = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # never answers; returns when the client hangs up
        closed.set()
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server, OwnContextAsyncClient() as own:
        caller = asyncio.create_task(own.get(f"http://127.0.0.1:{port}/"))
        await asyncio.sleep(0.2)
        caller.cancel()
        await asyncio.wait_for(closed.wait(), timeout=5)
        assert caller.cancelled()
