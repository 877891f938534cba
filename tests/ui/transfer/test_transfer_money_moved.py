"""The transfer screens tell the truth without `r`.

The result screen follows a transfer until its status cannot change (or, after
`succeeded`, a bounded while with a note), says in its title what happened,
and each change it sees moves the balances everywhere. The unknown panel uses
the error's own sentence. The form's source balance (and its over-balance
check) and the confirm screen's balance line are the ones of now.

Against the in-process sandbox on a ManualClock: a status changes only when a
test advances the clock; the result screen's timer tick is called directly.
"""

from __future__ import annotations

import httpx
from textual.widgets import Input, Select
from ui_helpers import open_confirm, screen_text

from fintoc_tui.money import format_amount
from fintoc_tui.sandbox.app import DEFAULT_SETTLE_AFTER
from fintoc_tui.sandbox.magic import MAGIC_COUNTERPARTIES
from fintoc_tui.testing.intermediary import Intermediary, html
from fintoc_tui.ui.accounts.accounts_screen import AccountsScreen
from fintoc_tui.ui.history.simulate_dialog import SimulateInboundDialog
from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.confirm_screen import TransferConfirmScreen
from fintoc_tui.ui.transfer.form_screen import TransferFormScreen
from fintoc_tui.ui.transfer.result_screen import TransferResultScreen

SIZE = (120, 36)


def magic(outcome: str) -> str:
    return next(
        m.account_number
        for m in MAGIC_COUNTERPARTIES
        if m.currency == "MXN" and m.outcome == outcome
    )


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def balance_cell(app, account_id: str) -> str:
    screen = app.screen
    assert isinstance(screen, AccountsScreen)
    return str(screen.query_one("#accounts-table").get_cell(account_id, "balance")).strip()


async def send(pilot, settle, *, clabe: str, amount: str = "590.13") -> TransferResultScreen:
    confirm = await open_confirm(pilot, settle, clabe=clabe, amount=amount)
    await pilot.press("ctrl+s")
    await settle(pilot)
    result = pilot.app.screen
    assert isinstance(result, TransferResultScreen), confirm
    return result


async def tick(pilot, settle, result: TransferResultScreen) -> None:
    """One beat of the result screen's timer."""
    result._tick()
    await settle(pilot)


# -- following a transfer --------------------------------------------------------------------------


async def test_a_returned_transfer_is_followed_past_succeeded_and_the_balance_follows(
    make_app, settle, sandbox_clock, sandbox_store
):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        result = await send(pilot, settle, clabe=magic("returned"))
        account_id = result.draft.account.id
        before = result.draft.account.available_balance
        assert result.transfer.status == "pending" and result.following
        assert text(result, "#result-title").startswith("Transfer sent")

        sandbox_clock.advance(DEFAULT_SETTLE_AFTER + 1)
        await tick(pilot, settle, result)
        assert result.transfer.status == "succeeded"
        assert result.following  # a success can still be returned
        assert text(result, "#result-title").startswith("Transfer succeeded")
        assert text(result, "#result-status") == "succeeded  (watching for a return)"
        assert text(result, "#result-watch").startswith("Watching for a return for 60 s")

        await pilot.press("1")
        await settle(pilot)
        assert balance_cell(app, account_id) == format_amount(before - 59013, "MXN")
        await pilot.press("2")
        await settle(pilot)
        assert app.screen is result

        sandbox_clock.advance(DEFAULT_SETTLE_AFTER + 1)
        await tick(pilot, settle, result)
        assert result.transfer.status == "returned"
        assert result.status_changes == [("pending", "succeeded"), ("succeeded", "returned")]
        assert not result.following  # returned cannot change anymore
        assert text(result, "#result-title").startswith("Transfer returned")
        assert text(result, "#result-watch") == ""
        assert "status: succeeded → returned" in text(result, "#status-log")

        # The status change moved the money back, and the accounts heard of it.
        await pilot.press("1")
        await settle(pilot)
        assert sandbox_store.balances()[account_id] == before
        assert balance_cell(app, account_id) == format_amount(before, "MXN")


async def test_watching_a_success_for_a_return_stops_after_a_bounded_while_and_says_so(
    make_app, settle, sandbox_clock
):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        result = await send(pilot, settle, clabe=magic("succeeded"))
        sandbox_clock.advance(DEFAULT_SETTLE_AFTER + 1)
        await tick(pilot, settle, result)
        assert result.transfer.status == "succeeded" and result.following
        assert result.watch_left == result.return_watch_polls == 20
        assert "Watching for a return for 60 s after it succeeded" in screen_text(app)
        result.watch_left = 2  # the last two beats of the window
        await tick(pilot, settle, result)
        assert result.following and result.watch_left == 1
        await tick(pilot, settle, result)
        assert not result.following
        assert text(result, "#result-status") == "succeeded"
        assert text(result, "#result-watch").startswith("Stopped watching for a return.")
        assert "Stopped watching for a return." in screen_text(app)  # shown, not just set
        # A check by hand still works, and does not restart the watch.
        await pilot.press("r")
        await settle(pilot)
        assert not result.following


async def test_the_title_says_failed_or_rejected_not_sent(make_app, settle, sandbox_clock):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        for outcome, title in (("failed", "Transfer failed"), ("rejected", "Transfer rejected")):
            result = await send(pilot, settle, clabe=magic(outcome), amount="10.00")
            sandbox_clock.advance(DEFAULT_SETTLE_AFTER + 1)
            await tick(pilot, settle, result)
            assert result.transfer.status == outcome
            shown = text(result, "#result-title")
            assert shown.startswith(title) and "Transfer sent" not in shown
            assert not result.following
            await pilot.press("n")
            await settle(pilot)


async def test_the_unknown_panel_says_what_the_error_says(make_app, settle, sandbox_asgi, network):
    proxy = Intermediary(sandbox_asgi)
    network.inner = httpx.ASGITransport(app=proxy)
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The sandbox makes the transfer; a proxy answers in its place with an HTML page.
        proxy.script(html(504, passes_on=True))
        result = await send(pilot, settle, clabe=magic("succeeded"))
        assert result.transfer is None
        panel = text(result, "#unknown-text")
        assert panel.startswith("This is not a failure. The outcome is unknown:")
        assert "The answer did not come from Fintoc" in panel
        assert "The connection broke" not in screen_text(app)
        assert text(result, "#result-title").startswith("Outcome unknown")


# -- balances on the form and the confirm screen ---------------------------------------------------


async def test_the_form_shows_the_balance_after_a_send_and_checks_against_it(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        result = await send(pilot, settle, clabe=magic("succeeded"))
        now = result.draft.account.available_balance - 59013
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TransferFormScreen)
        assert form.account is not None and form.account.available_balance == now
        assert text(form, "#source-note").startswith(f"{format_amount(now, 'MXN')} available")
        amount = form.query_one(AmountInput)
        amount.value = format_amount(now + 1, "MXN", with_code=False).lstrip("$")
        await pilot.pause()
        assert amount.error == f"More than the balance ({format_amount(now, 'MXN')})"
        amount.value = format_amount(now, "MXN", with_code=False).lstrip("$")
        await pilot.pause()
        assert amount.error is None and amount.minor == now


async def simulate_into(pilot, settle, account_id: str, amount: str) -> None:
    """History, `i`: an inbound transfer to `account_id`'s root number."""
    app = pilot.app
    numbers = await app.client.list_account_numbers(account_id=account_id)
    root = next(n for n in numbers if n.is_root)
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, SimulateInboundDialog)
    dialog.query_one("#simulate-number", Select).value = root.id
    dialog.query_one("#simulate-amount", Input).value = amount
    await pilot.click("#simulate-send")
    await settle(pilot)


async def test_the_confirm_screen_shows_the_balance_of_now(make_app, settle, sandbox_clock):
    from fintoc_tui.sandbox.app import DEFAULT_SETTLE_AFTER

    app = make_app("sandbox")
    app.SETTLE_POLL_SECONDS = 0.01
    async with app.run_test(size=SIZE) as pilot:
        confirm = await open_confirm(pilot, settle, amount="61.23")
        account = confirm.draft.account
        balance = account.available_balance
        assert f"balance {format_amount(balance, 'MXN')}" in text(confirm, "#confirm-from")
        # Money arrives while the person looks elsewhere; back on confirm, the line is true.
        await simulate_into(pilot, settle, account.id, "12.34")
        # Fintoc's test mode credits it one settle delay later; the app follows it.
        sandbox_clock.advance(DEFAULT_SETTLE_AFTER + 1)
        for _ in range(100):
            await pilot.pause(0.02)
            if not app._settling:
                break
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, TransferConfirmScreen) and app.screen is confirm
        line = text(confirm, "#confirm-from")
        assert f"balance {format_amount(balance + 1234, 'MXN')}" in line
        assert "less than this transfer" not in line
