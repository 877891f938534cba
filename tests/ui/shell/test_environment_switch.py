"""Switching environment closes what was opened for the old one, and never cuts off a transfer."""

from __future__ import annotations

import asyncio

from ui_helpers import open_confirm

from fintoc_tui.ui.accounts.account_detail_screen import AccountDetailScreen
from fintoc_tui.ui.accounts.accounts_screen import AccountsScreen
from fintoc_tui.ui.transfer.confirm_screen import TransferConfirmScreen
from fintoc_tui.ui.transfer.form_screen import TransferFormScreen
from fintoc_tui.ui.transfer.result_screen import TransferResultScreen


async def test_an_open_account_closes_when_the_environment_changes(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountDetailScreen)
        app.request_environment("test")
        await settle(pilot)
        assert app.environment.name == "test"
        assert isinstance(app.screen, AccountsScreen)
        assert not any(isinstance(s, AccountDetailScreen) for s in app.screen_stack)


async def test_a_draft_confirmed_for_one_environment_is_not_left_sendable_in_another(
    make_app, settle
):
    app = make_app("sandbox")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_confirm(pilot, settle)
        await pilot.press("e")
        await settle(pilot)
        app.request_environment("test")
        await settle(pilot)
        await pilot.press("escape", "t")  # leave any focused field, then the transfer mode
        await settle(pilot)
        assert isinstance(app.screen, TransferFormScreen)
        assert not any(isinstance(s, TransferConfirmScreen) for s in app.screen_stack)
        # Nothing typed is lost: the form still holds the counterparty and amount.
        assert "012180000000000015" in app.screen.query_one("#clabe Input").value.replace(" ", "")


async def test_no_switch_while_a_transfer_is_being_sent(make_app, settle, network):
    app = make_app("sandbox")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_confirm(pilot, settle)
        network.gate = asyncio.Event()  # the POST /v2/transfers is held in flight
        await pilot.click("#send")
        for _ in range(20):
            await pilot.pause()
            if app.money_in_flight():
                break
        assert app.money_in_flight()
        app.request_environment("test")
        await pilot.pause()
        assert app.environment.name == "sandbox"
        assert app.client is not None
        assert any("being sent" in n.message for n in app._notifications)
        network.gate.set()
        await settle(pilot)
        assert isinstance(app.screen, TransferResultScreen)
        assert app.screen.transfer is not None and app.screen.transfer.id.startswith("tr")


async def test_an_answer_that_lands_in_another_mode_waits_for_its_screen(make_app, settle, network):
    app = make_app("sandbox")
    async with app.run_test(size=(120, 36)) as pilot:
        confirm = await open_confirm(pilot, settle)
        network.gate = asyncio.Event()
        await pilot.click("#send")
        await pilot.pause()
        await pilot.press("escape", "3")  # to the history while the request is out
        await pilot.pause()
        network.gate.set()
        await settle(pilot)
        assert app.current_mode == "history"
        assert type(app.screen).__name__ == "HistoryScreen"  # not replaced by the result
        assert any("Transfer sent" in n.message for n in app._notifications)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, TransferResultScreen)
        assert app.screen.transfer is not None
        assert confirm not in app.screen_stack


async def test_a_dropped_clients_accounts_never_reach_the_transfer_form(make_app, settle, network):
    app = make_app("sandbox")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        network.gate = asyncio.Event()  # the form's GET /v2/accounts is held in flight
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TransferFormScreen)
        app.request_environment("test")  # no test key: no client, no accounts
        await pilot.pause()
        network.gate.set()  # the sandbox's answer arrives after the switch
        await settle(pilot)
        assert app.environment.name == "test"
        assert form.accounts == []
