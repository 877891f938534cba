"""The whole transfer path against the in-process sandbox, driven with Pilot.

Time moves only when a test advances the sandbox's ManualClock; waits are on
workers (`settle`), never sleeps.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button, Select

from fintoc_tui.sandbox.app import DEFAULT_SETTLE_AFTER
from fintoc_tui.sandbox.magic import MAGIC_COUNTERPARTIES
from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.confirm_screen import TransferConfirmScreen
from fintoc_tui.ui.transfer.form_screen import TransferFormScreen
from fintoc_tui.ui.transfer.journal_recovery import JournalRecoveryScreen
from fintoc_tui.ui.transfer.magic_picker import MagicPicker
from fintoc_tui.ui.transfer.result_screen import TransferResultScreen


@pytest.fixture
def flow_app(make_app):
    return make_app


async def open_form(pilot, settle, currency: str = "MXN") -> TransferFormScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, TransferFormScreen)
    account = next(a for a in form.accounts if a.currency == currency)
    form.query_one("#source-account", Select).value = account.id
    await pilot.pause()
    assert form.account is not None and form.account.currency == currency
    return form


async def type_into(pilot, selector: str, text: str) -> None:
    await pilot.click(selector)
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def sandbox_transfers(app) -> list[Any]:
    return await app.client.list_transfers()


async def outbound_ids(app) -> set[str]:
    page = [t async for t in app.client.iter_transfers(direction="outbound")]
    return {t.id for t in page}


async def test_type_confirm_and_watch_pending_become_succeeded(flow_app, settle, sandbox_clock):
    app = flow_app()
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, settle)
        before = await outbound_ids(app)
        await type_into(pilot, "#clabe Input", "012180000000000015")
        await type_into(pilot, "#amount-text", "1234.56")
        assert form.query_one(AmountInput).minor == 123456
        assert not form.reasons
        await pilot.click("#review")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, TransferConfirmScreen)
        assert confirm.draft.request.amount == 123456
        await pilot.click("#send")
        await settle(pilot)
        result = app.screen
        assert isinstance(result, TransferResultScreen), (
            confirm.busy,
            confirm.entry,
            str(confirm.query_one("#confirm-status").content),
        )
        assert result.transfer.status == "pending"
        sandbox_clock.advance(DEFAULT_SETTLE_AFTER + 1)
        await pilot.press("r")
        await settle(pilot)
        assert result.transfer.status == "succeeded"
        assert result.status_changes == [("pending", "succeeded")]
        after = await outbound_ids(app)
        assert after - before == {result.transfer.id}
        await pilot.press("v")
        await settle(pilot)
        assert app.current_mode == "history"


async def review_and_send(pilot, settle) -> Any:
    """From a filled form: Review, then Send; returns the screen shown afterwards."""
    app = pilot.app
    app.screen.action_review()
    await settle(pilot)
    assert isinstance(app.screen, TransferConfirmScreen), app.screen.reasons
    await pilot.press("ctrl+s")
    await settle(pilot)
    return app.screen


AMOUNT_FOR = {"MXN": "10.00", "CLP": "1.000"}


@pytest.mark.parametrize("currency", ["MXN", "CLP"])
async def test_each_magic_counterparty_reaches_its_outcome(
    flow_app, settle, sandbox_clock, currency
):
    app = flow_app()
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, settle, currency)
        seen: dict[str, list[tuple[str, str]]] = {}
        for magic in [m for m in MAGIC_COUNTERPARTIES if m.currency == currency]:
            before = await outbound_ids(app)
            form.query_one(MagicPicker).pick(magic.account_number)
            form.query_one(AmountInput).value = AMOUNT_FOR[currency]
            await pilot.pause()
            screen = await review_and_send(pilot, settle)
            assert isinstance(screen, TransferResultScreen)
            assert screen.transfer.status == "pending"
            assert (await outbound_ids(app)) - before == {screen.transfer.id}
            sandbox_clock.advance(DEFAULT_SETTLE_AFTER + 1)
            await pilot.press("r")
            await settle(pilot)
            if magic.outcome == "returned":
                sandbox_clock.advance(DEFAULT_SETTLE_AFTER + 1)
                await pilot.press("r")
                await settle(pilot)
            seen[magic.outcome] = screen.status_changes
            await pilot.press("n")
            await settle(pilot)
            assert app.screen is form
            assert form.query_one(AmountInput).value == ""
    assert seen == {
        "succeeded": [("pending", "succeeded")],
        "failed": [("pending", "failed")],
        "rejected": [("pending", "rejected")],
        "returned": [("pending", "succeeded"), ("succeeded", "returned")],
    }


async def test_fintocs_rejected_test_clabe_is_sent_then_shown_rejected_with_the_money_back(
    flow_app, settle, sandbox_clock
):
    """`012969100000000013` is a transfer that is made and then rejected, not a refusal (§8)."""
    app = flow_app()
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, settle)
        balance = form.account.available_balance
        form.query_one(MagicPicker).pick("012969100000000013")
        form.query_one(AmountInput).value = "10.00"
        await pilot.pause()
        result = await review_and_send(pilot, settle)
        assert isinstance(result, TransferResultScreen) and result.transfer.status == "pending"
        sandbox_clock.advance(DEFAULT_SETTLE_AFTER + 1)
        await pilot.press("r")
        await settle(pilot)
        assert result.status_changes == [("pending", "rejected")]
        status = str(result.query_one("#result-status").content)
        title = str(result.query_one("#result-title").content)
        assert status.startswith("rejected")
        assert "refused it; the amount was given back" in title
        accounts = {a.id: a for a in await app.client.list_accounts()}
        assert accounts[form.account.id].available_balance == balance


async def test_connection_dropped_after_commit_tells_the_truth_and_makes_one_transfer(
    flow_app, settle, sandbox_asgi
):
    app = flow_app()
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, settle)
        before = await outbound_ids(app)
        form.query_one(ClabeInput).value = "012180000000000015"
        form.query_one(AmountInput).value = "250.00"
        await pilot.pause()
        sandbox_asgi.state.faults.methods = frozenset({"POST"})
        sandbox_asgi.state.faults.force_next("drop")
        result = await review_and_send(pilot, settle)
        assert isinstance(result, TransferResultScreen)
        assert result.transfer is None
        title = str(result.query_one("#result-title").content)
        assert title.startswith("Outcome unknown")
        text = (title + str(result.query_one("#unknown-text").content)).lower()
        assert "transfer failed" not in text and "may or may not" in text
        assert str(result.query_one("#result-status").content) == "unknown"
        made = (await outbound_ids(app)) - before
        assert len(made) == 1  # the sandbox committed before it dropped the answer
        assert result.query_one("#retry", Button).display
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert result.transfer is not None and {result.transfer.id} == made
        assert (await outbound_ids(app)) - before == made
        assert str(result.query_one("#result-status").content).startswith("pending")


async def test_a_double_confirm_sends_once(flow_app, settle):
    app = flow_app()
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, settle)
        before = await outbound_ids(app)
        form.query_one(ClabeInput).value = "012180000000000015"
        form.query_one(AmountInput).value = "99.00"
        await pilot.pause()
        form.action_review()
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, TransferConfirmScreen)
        confirm.action_send()
        confirm.action_send()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TransferResultScreen)
        assert len((await outbound_ids(app)) - before) == 1


async def test_cancel_goes_back_with_every_field_kept(flow_app, settle):
    app = flow_app()
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, settle)
        form.query_one(ClabeInput).value = "012180000000000015"
        form.query_one("#mx-holder-name").value = "Proveedora Éxito"
        form.query_one(AmountInput).value = "1,000.50"
        form.query_one("#comment").value = "Factura 42"
        form.query_one("#reference-id").value = "1234567"
        await pilot.pause()
        form.action_review()
        await settle(pilot)
        assert isinstance(app.screen, TransferConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one(ClabeInput).value == "012180000000000015"
        assert form.query_one("#mx-holder-name").value == "Proveedora Éxito"
        assert form.query_one(AmountInput).minor == 100050
        assert form.query_one("#comment").value == "Factura 42"
        assert form.query_one("#reference-id").value == "1234567"
        assert form.build_request().amount == 100050


async def test_unsigned_transfer_says_what_to_fix(
    flow_app, settle, credentials, sandbox_secret_key
):
    credentials.set_secret_key("test", sandbox_secret_key, "session")
    app = flow_app("test")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, settle)
        form.query_one(ClabeInput).value = "012180000000000015"
        form.query_one(AmountInput).value = "5.00"
        await pilot.pause()
        confirm = await review_and_send(pilot, settle)
        assert isinstance(confirm, TransferConfirmScreen)
        status = str(confirm.query_one("#confirm-status").content)
        assert status.startswith("Not sent: Fintoc refused the credentials.")
        assert "JWS private key" in status
        assert confirm.query_one("#send", Button).disabled


async def test_unresolved_entries_are_offered_at_the_next_start_and_resolved(
    flow_app, settle, sandbox_asgi
):
    app = flow_app()
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, settle)
        before = await outbound_ids(app)
        form.query_one(ClabeInput).value = "012180000000000015"
        form.query_one(AmountInput).value = "77.00"
        await pilot.pause()
        sandbox_asgi.state.faults.methods = frozenset({"POST"})
        sandbox_asgi.state.faults.force_next("drop")
        result = await review_and_send(pilot, settle)
        assert result.transfer is None
        made = (await outbound_ids(app)) - before
    # The next start: the same FINTOC_TUI_HOME, so the same journal.
    app = flow_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        # Offered as soon as the app connects, before any transfer screen opens.
        assert app.current_mode == "accounts"
        dialog = app.screen
        assert isinstance(dialog, JournalRecoveryScreen)
        assert len(dialog.entries) == 1
        await pilot.click("#resolve")
        await settle(pilot)
        (outcome,) = dialog.outcomes.values()
        (made_id,) = made
        assert outcome == f"made: {made_id} (pending)"
        assert (await outbound_ids(app)) - before == made
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, JournalRecoveryScreen)
        await pilot.press("t")
        await settle(pilot)
        # Offered once per environment: the form does not offer it again.
        assert isinstance(app.screen, TransferFormScreen)
        # Resolved entries are not offered again.
        from fintoc_tui.journal import Journal

        with Journal() as journal:
            assert journal.unresolved("sandbox") == []
