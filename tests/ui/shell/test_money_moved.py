"""`app.money_moved_signal`: reports of one turn published once; a shown screen reloads at
once, a hidden one once when it is shown again (no request for what nobody sees); a
status change seen on a transfer's detail is a movement too."""

from __future__ import annotations

from datetime import timedelta

from fintoc_tui.ui.accounts.accounts_screen import AccountsScreen
from fintoc_tui.ui.history.history_screen import HistoryScreen
from fintoc_tui.ui.history.transfer_detail_screen import TransferDetailScreen
from fintoc_tui.ui.shell.money_moved import MoneyMoved

SIZE = (120, 36)


def account_lists(network) -> int:
    return network.requests.count("GET /v2/accounts")


async def test_reports_of_one_turn_are_published_once(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (transfer,) = (await app.client.list_transfers_page(limit=1)).items
        heard: list[MoneyMoved] = []
        app.money_moved_signal.subscribe(app.screen, heard.append)
        app.money_moved("sent", transfer)
        app.money_moved("status changed", transfer)
        app.money_moved("resolved")
        await settle(pilot)
        assert heard == [MoneyMoved(("sent", "status changed", "resolved"), (transfer.id,))]
        app.money_moved("simulated")
        await settle(pilot)
        assert heard[1:] == [MoneyMoved(("simulated",), ())]


async def test_a_shown_screen_reloads_at_once_and_a_hidden_one_once_when_shown(
    make_app, settle, network
):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        accounts = app.screen
        assert isinstance(accounts, AccountsScreen) and accounts.money is not None
        asked = account_lists(network)
        app.money_moved("simulated")
        await settle(pilot)
        assert accounts.money.reloads == 1 and not accounts.money.stale
        assert account_lists(network) == asked + 1

        await pilot.press("3")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen) and history.money is not None
        asked = account_lists(network)
        for cause in ("sent", "status changed", "resolved"):
            app.money_moved(cause)  # type: ignore[arg-type]
            await settle(pilot)
        # The history, shown, reloaded each time; the accounts, hidden, asked nothing.
        assert history.money.reloads == 3
        assert accounts.money.stale and accounts.money.reloads == 1
        assert account_lists(network) == asked

        await pilot.press("1")
        await settle(pilot)
        # Shown again: one reload for the three movements.
        assert accounts.money.reloads == 2 and not accounts.money.stale
        assert account_lists(network) == asked + 1
        await pilot.press("3")
        await settle(pilot)
        assert history.money.reloads == 3  # it missed nothing: no reload on showing


async def test_a_status_change_seen_on_a_detail_is_a_movement(make_app, settle, sandbox_clock):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (pending,) = (await app.client.list_transfers_page(status="pending", limit=1)).items
        heard: list[MoneyMoved] = []
        app.money_moved_signal.subscribe(app.screen, heard.append)
        await pilot.press("3")
        await settle(pilot)
        app.navigator.open_transfer_detail(pending.id)
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TransferDetailScreen)
        detail.poll()  # still pending: nothing moved
        await settle(pilot)
        assert heard == []
        sandbox_clock.advance(timedelta(days=2).total_seconds())
        detail.poll()
        await settle(pilot)
        assert detail.transfer.status != "pending"
        assert heard == [MoneyMoved(("status changed",), (pending.id,))]


async def test_a_pending_simulated_inbound_transfer_is_followed_until_it_is_credited(
    make_app, settle, sandbox_clock
):
    """Fintoc's test mode credits a simulated transfer later: the balances follow without r."""
    from fintoc_tui.api.models import SimulateReceiveTransferRequest
    from fintoc_tui.ui import messages

    app = make_app("sandbox")
    app.SETTLE_POLL_SECONDS = 0.01
    app.SETTLE_POLLS = 100_000  # the sandbox's clock, not the polls, decides here
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        account = next(a for a in app.accounts if a.currency == "MXN")
        heard: list[MoneyMoved] = []
        app.money_moved_signal.subscribe(app.screen, heard.append)
        request = SimulateReceiveTransferRequest.model_validate(
            {
                "account_number_id": account.root_account_number_id,
                "amount": 12345,
                "currency": "MXN",
            }
        )
        transfer = await app.client.simulate_receive_transfer(request)
        assert transfer.status == "pending"
        app.screen.post_message(messages.InboundTransferSimulated(transfer))
        await settle(pilot)
        await pilot.pause(0.1)
        assert heard == [MoneyMoved(("simulated",), (transfer.id,))]  # still pending
        sandbox_clock.advance(timedelta(days=2).total_seconds())
        for _ in range(50):
            await pilot.pause(0.02)
            if len(heard) > 1:
                break
        assert heard[1] == MoneyMoved(("status changed",), (transfer.id,))
        settled = await app.client.get_account(account.id)
        assert settled.available_balance == account.available_balance + 12345
