"""Discard (never sent): offered only for journal entries that cannot have reached Fintoc."""

from __future__ import annotations

from textual.widgets import Button
from ui_helpers import open_confirm

from fintoc_tui.api.models import TransferRequest
from fintoc_tui.journal import Journal
from fintoc_tui.ui.transfer.journal_recovery import JournalRecoveryScreen

SIZE = (120, 36)


async def outbound_amounts(app) -> list[int]:
    return [t.amount async for t in app.client.iter_transfers(direction="outbound")]


async def test_confirm_offers_discard_after_a_connect_error(make_app, settle, network):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        confirm = await open_confirm(pilot, settle)
        form = app.screen_stack[-2]
        discard = confirm.query_one("#discard", Button)
        assert not discard.display or discard.has_class("-hidden")
        network.offline = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is confirm
        assert not discard.has_class("-hidden")
        key = confirm.entry.idempotency_key
        await pilot.click("#discard")
        await settle(pilot)
        assert app.screen is form
        network.offline = False
        with Journal() as journal:
            entry = journal.get(key)
            assert entry.state == "failed" and entry.error_code == "discarded"
            assert journal.unresolved("sandbox") == []
        assert 6123 not in await outbound_amounts(app)


def _journal_entry(account_id: str, amount: int, *, attempts: int, connect_only: bool) -> str:
    """An unresolved entry as a previous run left it; returns its key."""
    request = TransferRequest.model_validate(
        {
            "account_id": account_id,
            "amount": amount,
            "currency": "MXN",
            "counterparty": {"account_number": "012180000000000015"},
        }
    )
    key = f"key-{amount}"
    with Journal() as journal:
        journal.record_intent(
            environment="sandbox", kind="transfer", idempotency_key=key, body=request.to_body()
        )
        for _ in range(attempts):
            journal.record_attempt(key)
        if connect_only:
            journal._update(key, "error_code = ?, error_message = ?", (f"not_sent:{attempts}", "x"))
    return key


async def test_recovery_discards_only_never_sent_entries(make_app, settle, sandbox_store):
    probe = make_app("sandbox", remember=False)
    async with probe.run_test(size=SIZE) as pilot:
        await settle(pilot)
        account_id = next(a.id for a in probe.accounts if a.currency == "MXN")
    never = _journal_entry(account_id, 4101, attempts=1, connect_only=True)
    maybe = _journal_entry(account_id, 4102, attempts=1, connect_only=False)
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, JournalRecoveryScreen)
        assert set(dialog.entries) == {never, maybe}
        table = dialog.query_one("#recovery-table")
        # First row: the never-sent one (oldest first).
        assert str(table.get_cell(never, "outcome")) == "never sent"
        assert not dialog.query_one("#discard", Button).disabled
        await pilot.press("d")
        await settle(pilot)
        assert dialog.outcomes[never] == "discarded: never sent"
        await pilot.press("down")
        await pilot.pause()
        assert dialog.query_one("#discard", Button).disabled
        await pilot.press("d")
        await settle(pilot)
        assert maybe not in dialog.outcomes
        with Journal() as journal:
            assert [e.idempotency_key for e in journal.unresolved("sandbox")] == [maybe]
        await pilot.press("enter")
        await settle(pilot)
        assert dialog.outcomes[maybe].startswith("made:")
        amounts = await outbound_amounts(app)
        assert amounts.count(4102) == 1 and 4101 not in amounts
