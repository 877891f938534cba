"""The accounts list and an account's detail show the balance of now after money moves,
with no `r`: a transfer sent from the transfer screen is on them when they are shown.

Each test sends through the real screens to the in-process sandbox; the figures
expected are the sandbox's own (`sandbox_store.balances()`), in minor units.
"""

from __future__ import annotations

from textual.widgets import DataTable
from ui_helpers import open_confirm

from fintoc_tui.money import format_amount
from fintoc_tui.ui.accounts.account_detail_screen import AccountDetailScreen
from fintoc_tui.ui.accounts.accounts_screen import AccountsScreen
from fintoc_tui.ui.transfer.result_screen import TransferResultScreen

SIZE = (120, 36)
AMOUNT = 59013  # $590.13


def balance_cell(screen: AccountsScreen, account_id: str) -> str:
    table: DataTable[object] = screen.query_one("#accounts-table", DataTable)
    return str(table.get_cell(account_id, "balance")).strip()


def accounts_requests(network) -> int:
    return sum(1 for r in network.requests if r == "GET /v2/accounts")


async def send(pilot, settle) -> TransferResultScreen:
    """The first MXN account, a CLABE, $590.13: review, send; the result screen."""
    await open_confirm(pilot, settle, amount="590.13")
    await pilot.press("ctrl+s")
    await settle(pilot)
    result = pilot.app.screen
    assert isinstance(result, TransferResultScreen), result
    assert result.transfer is not None and result.transfer.amount == AMOUNT
    return result


def first_mxn(app) -> str:
    return next(a.id for a in app.accounts if a.currency == "MXN")


async def test_the_accounts_list_shows_the_balance_after_a_send_without_r(
    make_app, settle, sandbox_store, network
):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        account_id = first_mxn(app)
        before = sandbox_store.balances()[account_id]
        assert balance_cell(screen, account_id) == format_amount(before, "MXN")

        await send(pilot, settle)
        assert sandbox_store.balances()[account_id] == before - AMOUNT
        # Hidden, the list asked nothing: it only remembers that money moved.
        asked = accounts_requests(network)
        assert screen.money is not None and screen.money.stale

        await pilot.press("1")
        await settle(pilot)
        assert app.screen is screen
        assert balance_cell(screen, account_id) == format_amount(before - AMOUNT, "MXN")
        # One list, once shown: no reload storm.
        assert accounts_requests(network) == asked + 1
        assert screen.money.reloads == 1
        assert str(screen.query_one("#accounts-title").render()) == "Accounts"
        totals = str(screen.query_one("#accounts-totals").render())
        mxn_total = sum(
            balance
            for key, balance in sandbox_store.balances().items()
            if sandbox_store.get("accounts", key)["currency"] == "MXN"
        )
        assert format_amount(mxn_total, "MXN") in totals


async def test_a_failed_reload_keeps_the_rows_and_says_they_may_be_old(
    make_app, settle, sandbox_store, network
):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        account_id = first_mxn(app)
        before = sandbox_store.balances()[account_id]
        await send(pilot, settle)
        network.offline = True
        await pilot.press("1")
        await settle(pilot)
        # The table stays (what was known), and the title says it may be out of date.
        assert screen.query_one("ContentSwitcher").current == "accounts-view"
        assert balance_cell(screen, account_id) == format_amount(before, "MXN")
        title = str(screen.query_one("#accounts-title").render())
        assert "balances may be out of date" in title and "Press r" in title
        network.offline = False
        await pilot.press("r")
        await settle(pilot)
        assert balance_cell(screen, account_id) == format_amount(before - AMOUNT, "MXN")
        assert str(screen.query_one("#accounts-title").render()) == "Accounts"


async def test_an_open_account_shows_its_new_balance_and_the_movement(
    make_app, settle, sandbox_store
):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        account_id = first_mxn(app)
        before = sandbox_store.balances()[account_id]
        app.screen.open_account(account_id)
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, AccountDetailScreen)
        assert format_amount(before, "MXN") in str(detail.query_one("#detail-title").render())

        result = await send(pilot, settle)
        await pilot.press("1")
        await settle(pilot)
        assert app.screen is detail
        header = str(detail.query_one("#detail-title").render())
        assert f"Available {format_amount(before - AMOUNT, 'MXN')}" in header
        movements: DataTable[object] = detail.query_one("#detail-movements", DataTable)
        top = [str(cell).strip() for cell in movements.get_row_at(0)]
        assert top[3] == format_amount(-AMOUNT, "MXN", signed=True)
        assert top[4] == format_amount(before - AMOUNT, "MXN")
        assert result.transfer is not None
        # The list underneath reloads once it is shown again.
        await pilot.press("escape")
        await settle(pilot)
        assert balance_cell(app.screen, account_id) == format_amount(before - AMOUNT, "MXN")
