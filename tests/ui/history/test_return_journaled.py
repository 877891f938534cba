"""A return moves money, so it goes the way a transfer does (issue 18): journaled with
its idempotency key before it is sent, re-sent with that key, unknown never shown as
failed, and offered again at the next start until resolved.

Driven through the transfer detail screen against the in-process sandbox; what
reached the sandbox is read from a recording transport around it.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from ui_helpers import screen_text

from fintoc_tui.journal import Journal
from fintoc_tui.money import format_amount
from fintoc_tui.ui.history.return_dialog import ReturnConfirmDialog
from fintoc_tui.ui.history.transfer_detail_screen import TransferDetailScreen
from fintoc_tui.ui.transfer.journal_recovery import JournalRecoveryScreen

SIZE = (120, 36)


class Recorder(httpx.AsyncBaseTransport):
    """Keeps every return request that reaches the sandbox (its key and body)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.returns: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v2/transfers/return":
            await request.aread()
            self.returns.append(request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def recorder(network) -> Recorder:
    network.inner = Recorder(network.inner)
    return network.inner


def returnable(store) -> dict:
    """A succeeded MXN inbound transfer of the seeded sandbox."""
    rows, _ = store.page(
        "transfers", filters={"direction": "inbound", "status": "succeeded"}, limit=300
    )
    found = [json.loads(row) for row in rows]
    return next(t for t in found if t["currency"] == "MXN")


async def open_detail(pilot, settle, transfer_id: str) -> TransferDetailScreen:
    app = pilot.app
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    app.navigator.open_transfer_detail(transfer_id)
    await settle(pilot)
    detail = app.screen
    assert isinstance(detail, TransferDetailScreen) and detail.transfer is not None
    return detail


async def confirm_return(pilot, settle) -> None:
    await pilot.press("R")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReturnConfirmDialog)
    await pilot.click("#return-confirm")
    await settle(pilot)


def note(detail: TransferDetailScreen) -> str:
    widget = detail.query_one("#detail-return")
    return str(widget.render()) if widget.has_class("-shown") else ""


async def test_a_return_is_journaled_before_it_is_sent_and_sent_with_that_key(
    make_app, settle, sandbox_store, recorder
):
    target = returnable(sandbox_store)
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(pilot, settle, target["id"])
        await confirm_return(pilot, settle)
        assert detail.transfer.status == "return_pending"
        (sent,) = recorder.returns
        with Journal() as journal:
            entry = journal.get(sent.headers["Idempotency-Key"])
        # The journaled body is exactly what went out, under the key that went out.
        assert entry is not None and entry.kind == "return"
        assert entry.body == sent.content
        assert json.loads(entry.body) == {"transfer_id": target["id"]}
        assert (entry.state, entry.transfer_id, entry.attempts) == (
            "succeeded",
            target["id"],
            1,
        )
        assert note(detail) == ""


async def test_a_dropped_answer_after_the_commit_is_unknown_and_resolves_to_one_return(
    make_app, settle, sandbox_store, sandbox_asgi, recorder
):
    target = returnable(sandbox_store)
    account_id = sandbox_store.get("transfers", target["id"])["account_number"]["account_id"]
    before = sandbox_store.balances()[account_id]
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(pilot, settle, target["id"])
        sandbox_asgi.state.faults.methods = frozenset({"POST"})
        sandbox_asgi.state.faults.force_next("drop")
        await confirm_return(pilot, settle)

        # The sandbox made the return; the app could not know: unknown, never "failed".
        assert sandbox_store.get("transfers", target["id"])["status"] == "return_pending"
        said = note(detail)
        assert said.startswith("Return outcome unknown. This is not a failure.")
        assert "The outcome is unknown:" in said and "Press R" in said
        shown = screen_text(app)
        assert "Return failed" not in shown and "Return refused" not in shown
        (first,) = recorder.returns
        key = first.headers["Idempotency-Key"]
        with Journal() as journal:
            assert journal.get(key).state == "unknown"
        assert detail.return_entry is not None
        assert detail.return_entry.idempotency_key == key

        # R asks again with the same key: the return that was made is found, not made again.
        await pilot.press("R")
        await settle(pilot)
        assert not isinstance(app.screen, ReturnConfirmDialog)
        assert [r.headers["Idempotency-Key"] for r in recorder.returns] == [key, key]
        assert recorder.returns[1].content == first.content
        with Journal() as journal:
            assert journal.get(key).state == "succeeded"
        assert detail.transfer.status == "return_pending"
        assert detail.return_entry is None and note(detail) == ""
        assert sandbox_store.balances()[account_id] == before - target["amount"]

        # The balances heard of it: the account shows the money gone exactly once.
        await pilot.press("1")
        await settle(pilot)
        table = app.screen.query_one("#accounts-table")
        cell = str(table.get_cell(account_id, "balance")).strip()
        assert cell == format_amount(before - target["amount"], "MXN")


async def test_a_return_cut_off_after_its_journal_entry_is_resolved_at_the_next_start(
    make_app, settle, sandbox_store, network
):
    target = returnable(sandbox_store)
    account_id = sandbox_store.get("transfers", target["id"])["account_number"]["account_id"]
    before = sandbox_store.balances()[account_id]
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(pilot, settle, target["id"])
        network.gate = asyncio.Event()  # the request is held before it reaches the sandbox
        await pilot.press("R")
        await pilot.pause()
        await pilot.click("#return-confirm")
        for _ in range(50):  # journaled and on its way (bounded; no sleep)
            await pilot.pause()
            if detail.return_entry is not None:
                break
        assert detail.return_entry is not None
        # The app stops here, as if killed: the return never reached the sandbox.
    network.gate = None
    assert sandbox_store.get("transfers", target["id"])["status"] == "succeeded"
    with Journal() as journal:
        (entry,) = journal.unresolved("sandbox")
    assert entry.kind == "return" and json.loads(entry.body) == {"transfer_id": target["id"]}

    # The next start offers it, and resolving makes exactly one return.
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, JournalRecoveryScreen)
        assert list(dialog.entries) == [entry.idempotency_key]
        await pilot.click("#resolve")
        await settle(pilot)
        assert dialog.outcomes == {entry.idempotency_key: f"made: {target['id']} (return_pending)"}
        await pilot.press("escape")
        await settle(pilot)
        # The accounts list heard of it (a resolution is a movement).
        cell = str(app.screen.query_one("#accounts-table").get_cell(account_id, "balance"))
        assert cell.strip() == format_amount(before - target["amount"], "MXN")
    assert sandbox_store.balances()[account_id] == before - target["amount"]
    with Journal() as journal:
        assert journal.unresolved("sandbox") == []


async def test_fintocs_refusal_says_refused_and_is_journaled_as_failed(
    make_app, settle, sandbox_store, recorder
):
    target = returnable(sandbox_store)
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(pilot, settle, target["id"])
        # Returned elsewhere meanwhile: the screen still shows it succeeded.
        await app.client.return_transfer(target["id"], idempotency_key="elsewhere-1")
        await confirm_return(pilot, settle)
        said = note(detail)
        assert said.startswith("Return refused.") and "Nothing was returned." in said
        assert "return_pending" in said  # Fintoc's own sentence names the status
        assert detail.return_entry is None
        key = recorder.returns[-1].headers["Idempotency-Key"]
        with Journal() as journal:
            assert journal.get(key).state == "failed"
