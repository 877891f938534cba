"""The accounts and account detail screens against the seeded sandbox, plus snapshots."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import DataTable

from fintoc_tui.money import format_amount
from fintoc_tui.ui.accounts.account_detail_screen import PAGE_SIZE, AccountDetailScreen
from fintoc_tui.ui.accounts.accounts_screen import organisation_of, totals_by_currency
from fintoc_tui.ui.widgets.cells import account_number_text
from fintoc_tui.ui.widgets.state_message import StateMessage

SIZE = (120, 36)


def cells(table: DataTable, row: int) -> list[str]:
    return [str(cell).strip() for cell in table.get_row_at(row)]


def test_clabe_is_grouped_with_its_bank():
    # Banks as Fintoc names them (Banxico's short name, upper case).
    assert account_number_text("735969000000203297", "MXN") == ("735 969 00000020329 7", "FINTOC")
    assert account_number_text("738180000000000014", "MXN") == ("738 180 00000000001 4", "FINTOC")
    assert account_number_text("012180000000000011", "mxn")[1] == "BBVA MEXICO"
    assert account_number_text("17681832392936", "CLP") == ("17681832392936", "FINTOC")
    assert account_number_text(None, "MXN") == ("—", "—")


def test_totals_per_currency_sum_minor_units():
    class A:
        def __init__(self, currency, balance):
            self.currency, self.available_balance = currency, balance

    totals = totals_by_currency([A("MXN", 100), A("CLP", 7), A("mxn", 250), A("CLP", 1)])
    assert totals == {"MXN": (350, 2), "CLP": (8, 2)}


async def test_table_shows_every_account_formatted_with_totals(make_app, settle, sandbox_store):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(app.accounts) >= 2
        for index, account in enumerate(app.accounts):
            row = cells(table, index)
            assert row[0] == account.description
            assert row[3] == account.currency
            assert row[4] == format_amount(account.available_balance, account.currency)
            assert row[5] == account.status
            if account.currency == "MXN":
                assert row[1].count(" ") == 3 and row[2] == "FINTOC"
        # The balances the sandbox holds are the balances shown.
        assert sorted(a.available_balance for a in app.accounts) == sorted(
            sandbox_store.balances().values()
        )
        totals = str(app.screen.query_one("#accounts-totals").render())
        for code, (total, _) in totals_by_currency(app.accounts).items():
            line = next(line for line in totals.splitlines() if line.startswith(f"Total {code}"))
            assert format_amount(total, code) in line
        assert app.organisation == organisation_of(app.accounts) != ""


async def test_detail_shows_numbers_and_movements_with_running_balance(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        mxn = next(i for i, a in enumerate(app.accounts) if a.currency == "MXN")
        for _ in range(mxn):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccountDetailScreen)
        account = app.accounts[mxn]
        numbers = screen.query_one("#detail-numbers", DataTable)
        expected = await app.client.list_account_numbers(account_id=account.id)
        assert numbers.row_count == len(expected) >= 1
        movements = screen.query_one("#detail-movements", DataTable)
        page = await app.client.list_movements_page(account.id, limit=PAGE_SIZE)
        assert movements.row_count == len(page.items) > 1
        # Newest first: each balance is the next (older) balance plus this movement.
        first = page.items[0]
        assert cells(movements, 0)[4] == format_amount(first.balance, "MXN")
        assert first.balance == account.available_balance
        for newer, older in zip(page.items, page.items[1:], strict=False):
            delta = newer.amount if newer.direction == "inbound" else -newer.amount
            assert newer.balance == older.balance + delta
        signed = cells(movements, 0)[3]
        assert signed.startswith("+" if first.direction == "inbound" else "-")


async def test_empty_organisation_says_what_to_do(
    make_app, settle, sandbox_clock, sandbox_jws_keys
):
    import httpx

    from fintoc_tui.api.client import FintocClient, RetryPolicy
    from fintoc_tui.sandbox.app import create_app
    from fintoc_tui.sandbox.store import SandboxStore

    empty = create_app(SandboxStore(None), sandbox_clock, jws_public_pems=[sandbox_jws_keys[1]])

    def factory(environment, key, pem):
        return FintocClient(
            key,
            base_url="http://sandbox.test",
            transport=httpx.ASGITransport(app=empty),
            retry=RetryPolicy(max_attempts=1),
        )

    app = make_app("sandbox", client_factory=factory)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        message = app.screen.query_one(StateMessage)
        assert message.display
        assert "no accounts" in str(message.render()) and "press r" in str(message.render())


# -- snapshots (120x36, seeded sandbox, fixed clock) ------------------------------------------


def _snap(snap_compare, app, run_before=None, press=()):
    return snap_compare(app, terminal_size=SIZE, run_before=run_before, press=press)


def test_snapshot_accounts(snap_compare, make_app, settle):
    async def ready(pilot):
        await settle(pilot)

    assert _snap(snap_compare, make_app("sandbox"), ready)


def test_snapshot_account_detail(snap_compare, make_app, settle):
    async def open_first(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert _snap(snap_compare, make_app("sandbox"), open_first)


def test_snapshot_loading(snap_compare, make_app, settle, network):
    network.gate = asyncio.Event()  # the accounts request waits: the loading state stays

    async def loading(pilot):
        app = pilot.app
        await pilot.pause()
        connect = [w for w in app.workers if w.group == "connect"]
        if connect:  # (an empty list would mean "every worker", and accounts never ends)
            await app.workers.wait_for_complete(connect)
        await pilot.pause()
        assert app.client is not None

    try:
        assert _snap(snap_compare, make_app("sandbox"), loading)
    finally:
        network.gate.set()


def test_snapshot_offline(snap_compare, make_app, settle, network):
    network.offline = True

    async def offline(pilot):
        await settle(pilot)

    assert _snap(snap_compare, make_app("sandbox"), offline)


def test_snapshot_key_refused_live(snap_compare, make_app, settle, credentials):
    credentials.set_secret_key("live", "sk_live_" + "Wr0ngKeyWr0ngKeyWr0ngKey00", "session")

    async def refused(pilot):
        await settle(pilot)

    assert _snap(snap_compare, make_app("live"), refused)


def test_snapshot_no_key_test(snap_compare, make_app, settle):
    async def no_key(pilot):
        await settle(pilot)

    assert _snap(snap_compare, make_app("test"), no_key)


def test_snapshot_help(snap_compare, make_app, settle):
    async def help_open(pilot):
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert _snap(snap_compare, make_app("sandbox"), help_open)


def test_snapshot_palette(snap_compare, make_app, settle):
    async def palette(pilot):
        await settle(pilot)
        # With a query: bare, the providers' answers arrive in any order.
        await pilot.press("ctrl+p", *"switch to")
        await settle(pilot)
        for widget in pilot.app.screen.query("Input"):
            widget.cursor_blink = False
        await pilot.pause()

    assert _snap(snap_compare, make_app("sandbox"), palette)


@pytest.mark.parametrize("theme", ["textual-light"])
def test_snapshot_accounts_light_theme(snap_compare, make_app, settle, theme):
    from fintoc_tui.ui.shell.config import UserConfig

    async def ready(pilot):
        await settle(pilot)

    assert _snap(snap_compare, make_app("sandbox", user_config=UserConfig(theme=theme)), ready)


def test_a_movement_without_a_balance_shows_a_dash_not_a_crash():
    """One old docs page shows movements without `balance`; the table still reads them."""
    from fintoc_tui.api.models import Movement
    from fintoc_tui.ui.accounts.account_detail_screen import movement_row

    data = {
        "id": "mov_1",
        "account_id": "acc_1",
        "amount": 59013,
        "currency": "MXN",
        "direction": "outbound",
        "mode": "test",
        "transaction_date": "2025-09-02",
        "type": "transfer_return",
    }
    row = movement_row(Movement.model_validate(data))
    assert row == ("2025-09-02 00:00", "transfer return", "outbound", "-$590.13 MXN", "—")
    with_balance = movement_row(Movement.model_validate({**data, "balance": 100}))
    assert with_balance[-1] == "$1.00 MXN"
