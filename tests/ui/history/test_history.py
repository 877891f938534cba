"""The history screen against the real sandbox (in process): paging, filters, search,
detail, export, test-mode actions, and snapshots.

What the sandbox received is read from a recording transport wrapped around
the real ASGI transport (no mocks): filters must travel in the request.
"""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from textual.widgets import Input, Select

from fintoc_tui import paths
from fintoc_tui.ui.history.export_dialog import HistoryExportDialog
from fintoc_tui.ui.history.filter_dialog import HistoryFilterDialog
from fintoc_tui.ui.history.filters import HistoryFilters
from fintoc_tui.ui.history.history_screen import FIRST_PAGE_SIZE, PAGE_SIZE, HistoryScreen
from fintoc_tui.ui.history.history_table import HistoryTable
from fintoc_tui.ui.history.return_dialog import ReturnConfirmDialog
from fintoc_tui.ui.history.rows import history_row
from fintoc_tui.ui.history.simulate_dialog import SimulateInboundDialog
from fintoc_tui.ui.history.transfer_detail_screen import TransferDetailScreen
from fintoc_tui.ui.widgets.state_message import StateMessage

SIZE = (120, 36)
#: Enough history for several pages: 100 first, then 200 at a time.
TRANSFERS = 650


@pytest.fixture
def sandbox_store(sandbox_clock):
    """The shared seeded sandbox, with a longer history than the default."""
    from fintoc_tui.sandbox.seed import seed_store
    from fintoc_tui.sandbox.store import SandboxStore

    store = SandboxStore(None)
    seed_store(store, now=sandbox_clock.now(), transfers=TRANSFERS)
    yield store
    store.close()


class Recorder(httpx.AsyncBaseTransport):
    """Keeps every request that reaches the sandbox (URL, headers, body)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    def lists(self) -> list[httpx.URL]:
        """URLs of `GET /v2/transfers` (the list, not one transfer)."""
        return [r.url for r in self.requests if r.method == "GET" and r.url.path == "/v2/transfers"]


@pytest.fixture
def recorder(network) -> Recorder:
    network.inner = Recorder(network.inner)
    return network.inner


async def open_history(app, pilot, settle) -> HistoryScreen:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def all_transfers(app, **filters):
    return [t async for t in app.client.iter_transfers(limit=300, **filters)]


# -- pure helpers -------------------------------------------------------------------------------


def test_filters_become_api_params_with_inclusive_days():
    from datetime import date

    filters = HistoryFilters(
        status="pending", direction="inbound", since=date(2025, 9, 1), until=date(2025, 9, 2)
    )
    params = filters.api_params()
    assert params["status"] == "pending" and params["direction"] == "inbound"
    assert params["since"].isoformat() == "2025-09-01T00:00:00+00:00"
    assert params["until"].isoformat() == "2025-09-02T23:59:59+00:00"
    assert filters.describe() == [
        "direction: inbound",
        "status: pending",
        "dates: 2025-09-01 → 2025-09-02",
    ]
    assert HistoryFilters().api_params() == {} and not HistoryFilters().active


# -- list and paging ------------------------------------------------------------------------------


async def test_first_page_then_more_pages_as_the_cursor_nears_the_end(make_app, settle, recorder):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(app, pilot, settle)
        table = screen.query_one(HistoryTable)
        # One request, one small first page: nothing more until the person scrolls.
        assert len(recorder.lists()) == 1
        assert recorder.lists()[0].params["limit"] == str(FIRST_PAGE_SIZE)
        assert table.row_count == FIRST_PAGE_SIZE
        assert "100 loaded · more available" in str(screen.query_one("#history-count").render())

        expected = await all_transfers(app)
        assert len(expected) == TRANSFERS
        # Newest first, as the API lists them.
        assert [r.id for r in screen.rows] == [t.id for t in expected[:FIRST_PAGE_SIZE]]

        table.focus()
        requests_before = len(recorder.lists())
        pages = 1
        while not screen.exhausted:
            await pilot.press("end")
            await settle(pilot)
            pages += 1
            assert pages < 10
        assert pages == 1 + -(-(TRANSFERS - FIRST_PAGE_SIZE) // PAGE_SIZE)
        assert [r.id for r in screen.rows] == [t.id for t in expected]
        assert table.row_count == TRANSFERS
        # Later pages follow the API's cursor from the Link header.
        later = recorder.lists()[requests_before:]
        assert len(later) == pages - 1
        assert all("starting_after" in url.params for url in later)
        assert all(url.params["limit"] == str(PAGE_SIZE) for url in later)
        assert f"{TRANSFERS} loaded · all loaded" in str(
            screen.query_one("#history-count").render()
        )


async def test_rows_show_date_direction_counterparty_signed_amount_status_note(make_app, settle):
    from fintoc_tui.money import format_amount

    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(app, pilot, settle)
        transfers = (await app.client.list_transfers_page(limit=FIRST_PAGE_SIZE)).items
        for transfer, row in zip(transfers, screen.rows, strict=True):
            sign = -1 if transfer.direction == "outbound" else 1
            assert row.amount == format_amount(
                sign * transfer.amount, transfer.currency, signed=True
            )
            assert row.amount.endswith(transfer.currency.upper())
            assert row.direction == ("↑ out" if transfer.direction == "outbound" else "↓ in")
            assert row.status == transfer.status
            assert row.date == transfer.transaction_date.strftime("%Y-%m-%d %H:%M")
            if transfer.counterparty.holder_name:
                assert row.counterparty.startswith(transfer.counterparty.holder_name)
            if transfer.comment:
                assert row.note == transfer.comment
        assert any(" · " in row.counterparty for row in screen.rows)  # name · bank


# -- filters and search ------------------------------------------------------------------------------


async def test_status_and_direction_filters_travel_to_the_api(make_app, settle, recorder):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(app, pilot, settle)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, HistoryFilterDialog)
        dialog.query_one("#filter-status", Select).value = "succeeded"
        dialog.query_one("#filter-direction", Select).value = "inbound"
        await pilot.click("#filter-apply")
        await settle(pilot)
        assert app.screen is screen

        url = recorder.lists()[-1]
        assert url.params["status"] == "succeeded"
        assert url.params["direction"] == "inbound"
        expected = await all_transfers(app, status="succeeded", direction="inbound")
        assert 0 < len(expected) < TRANSFERS
        assert [r.id for r in screen.rows] == [t.id for t in expected[: len(screen.rows)]]
        assert all(r.status == "succeeded" and r.direction == "↓ in" for r in screen.rows)
        bar = str(screen.query_one("#history-filters").render())
        assert "status: succeeded" in bar and "direction: inbound" in bar

        # One key clears them: the next request carries no filter.
        await pilot.press("c")
        await settle(pilot)
        assert "status" not in recorder.lists()[-1].params
        assert "direction" not in recorder.lists()[-1].params
        assert not screen.filters.active
        assert "All transfers" in str(screen.query_one("#history-filters").render())


async def test_account_and_date_filters_travel_to_the_api(make_app, settle, recorder):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(app, pilot, settle)
        account = next(a for a in app.accounts if a.currency == "MXN")
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, HistoryFilterDialog)
        dialog.query_one("#filter-account", Select).value = account.id
        dialog.query_one("#filter-since", Input).value = "2025-08-01"
        dialog.query_one("#filter-until", Input).value = "2025-08-31"
        await pilot.click("#filter-apply")
        await settle(pilot)
        url = recorder.lists()[-1]
        assert url.params["account_id"] == account.id
        assert url.params["since"] == "2025-08-01T00:00:00Z"
        assert url.params["until"] == "2025-08-31T23:59:59Z"
        expected = await all_transfers(
            app, account_id=account.id, since="2025-08-01T00:00:00Z", until="2025-08-31T23:59:59Z"
        )
        assert (
            expected and [r.id for r in screen.rows] == [t.id for t in expected][:FIRST_PAGE_SIZE]
        )
        assert all(r.amount.endswith("MXN") and r.date.startswith("2025-08") for r in screen.rows)
        bar = str(screen.query_one("#history-filters").render())
        assert "dates: 2025-08-01 → 2025-08-31" in bar and "account: " in bar


async def test_bad_date_in_the_filter_dialog_says_how_to_write_it(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot, settle)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#filter-since", Input).value = "02/09/2025"
        await pilot.click("#filter-apply")
        await pilot.pause()
        assert app.screen is dialog
        assert "YYYY-MM-DD" in str(dialog.query_one("#filter-error").render())


async def test_search_narrows_the_loaded_rows_without_asking_the_api(make_app, settle, recorder):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(app, pilot, settle)
        table = screen.query_one(HistoryTable)
        target = next(r for r in screen.rows if r.note and not r.note.startswith("ref"))
        word = target.note.split()[0]
        requests_before = len(recorder.lists())
        await pilot.press("slash")
        assert screen.query_one("#history-search", Input).has_focus
        await pilot.press(*word)
        await pilot.pause()
        needle = word.casefold()
        shown = [table.row(i) for i in range(table.row_count)]
        assert 0 < len(shown) < len(screen.rows)
        assert all(needle in row[7] for row in shown)  # HistoryRow.haystack
        assert target in shown
        assert len(recorder.lists()) == requests_before
        assert f"search: “{needle}”" in str(screen.query_one("#history-filters").render())

        # Searching by id works too.
        search = screen.query_one("#history-search", Input)
        search.value = screen.rows[5].id
        await pilot.pause()
        assert table.row_count == 1 and table.row(0)[6] == screen.rows[5].id

        await pilot.press("escape")
        await pilot.press("c")
        await pilot.pause()
        assert table.row_count == len(screen.rows)


# -- detail -----------------------------------------------------------------------------------------


async def test_enter_opens_every_field_and_copies_id_and_tracking_key(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(app, pilot, settle)
        table = screen.query_one(HistoryTable)
        table.focus()
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TransferDetailScreen)
        transfer = await app.client.get_transfer(screen.rows[2].id)
        assert detail.transfer.id == transfer.id
        text = "\n".join(str(w.render()) for w in detail.query("#detail-grid Static"))
        for value in (
            transfer.id,
            transfer.status,
            transfer.counterparty.holder_name,
            transfer.counterparty.institution.name,
            transfer.tracking_key,
        ):
            assert value and value in text
        assert "Our account number" in text and "Metadata" in text and "Return reason" in text
        assert f"{transfer.amount} minor units" in text

        await pilot.press("c")
        assert app.clipboard == transfer.id
        await pilot.press("k")
        assert app.clipboard == transfer.tracking_key
        await pilot.press("escape")
        assert app.screen is screen


def detail_text(detail: TransferDetailScreen) -> str:
    return "\n".join(str(w.render()) for w in detail.query("#detail-grid Static"))


async def open_detail(app, pilot, settle, transfer_id: str) -> TransferDetailScreen:
    app.push_screen(TransferDetailScreen(transfer_id))
    await settle(pilot)
    detail = app.screen
    assert isinstance(detail, TransferDetailScreen)
    return detail


async def test_a_chilean_transfer_shows_its_nulls_as_none_in_chile(make_app, settle):
    """Fintoc leaves reference, tracking key and receipt null in Chile: say so, not blank."""
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot, settle)
        chilean = [t for t in await all_transfers(app, status="succeeded") if t.currency == "CLP"]
        transfer = chilean[0]
        assert transfer.receipt_url is None and transfer.tracking_key is None
        text = detail_text(await open_detail(app, pilot, settle, transfer.id))
        assert text.count("— (none in Chile)") == 3
        institution = transfer.counterparty.institution
        assert f"{institution.name} ({institution.id})" in text  # `Banco Estado (cl_banco_estado)`


async def test_a_mexican_bank_is_named_as_fintoc_writes_it_with_its_banxico_code(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot, settle)
        transfer = next(t for t in await all_transfers(app) if t.currency == "MXN")
        institution = transfer.counterparty.institution
        assert institution.name == institution.name.upper()  # `BBVA MEXICO`, `STP`, …
        text = detail_text(await open_detail(app, pilot, settle, transfer.id))
        assert f"{institution.name} (Banxico {institution.id})" in text
        assert "— (none in Chile)" not in text


async def test_a_return_that_fails_is_shown_as_failed_then_and_later(
    make_app, settle, sandbox_clock
):
    """$1,313.00 MXN fails its return in the sandbox: the detail says so, and keeps saying so."""
    from fintoc_tui.api.models import SimulateReceiveTransferRequest
    from fintoc_tui.sandbox.returns import RETURN_FAILS_AMOUNTS

    (amount,) = RETURN_FAILS_AMOUNTS["MXN"]
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot, settle)
        account = next(a for a in await app.client.list_accounts() if a.currency == "MXN")
        inbound = await app.client.simulate_receive_transfer(
            SimulateReceiveTransferRequest(
                account_number_id=account.root_account_number_id, amount=amount, currency="MXN"
            )
        )
        sandbox_clock.advance(5)  # it arrives
        detail = await open_detail(app, pilot, settle, inbound.id)
        assert detail.transfer.status == "succeeded"
        await pilot.press("R")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReturnConfirmDialog) and dialog.sandbox
        assert "a return of $1,313.00 MXN fails" in str(dialog.query_one("Static").render())
        await pilot.click("#return-confirm")
        await settle(pilot)
        assert detail.transfer.status == "return_pending" and detail.polling
        sandbox_clock.advance(5)
        detail.poll()
        await settle(pilot)
        assert detail.transfer.status == "succeeded" and not detail.polling
        assert any("return of" in n.message and "failed" in n.message for n in app._notifications)
        assert "Return" in detail_text(detail) and "failed 2025-09-02" in detail_text(detail)
        # Opened again later, the movements still tell it.
        await pilot.press("escape")
        again = await open_detail(app, pilot, settle, inbound.id)
        assert "the money came back and the transfer is succeeded again" in detail_text(again)


async def test_a_return_that_succeeds_shows_no_failed_return(make_app, settle, sandbox_clock):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot, settle)
        succeeded = await all_transfers(app, direction="inbound", status="succeeded")
        target = next(t for t in succeeded if t.currency == "MXN")
        detail = await open_detail(app, pilot, settle, target.id)
        await pilot.press("R")
        await pilot.pause()
        await pilot.click("#return-confirm")
        await settle(pilot)
        sandbox_clock.advance(5)
        detail.poll()
        await settle(pilot)
        assert detail.transfer.status == "returned"
        assert "failed" not in detail_text(detail)


def test_statuses_fintoc_documents_but_never_sent_are_shown_as_they_come():
    from rich.text import Text

    from fintoc_tui.api.models import Transfer
    from fintoc_tui.ui.history.detail_fields import detail_fields
    from fintoc_tui.ui.history.rows import status_class

    base = {
        "object": "transfer",
        "id": "tr_x",
        "amount": 100,
        "currency": "MXN",
        "direction": "outbound",
        "transaction_date": "2025-09-02T15:58:51Z",
        "mode": "test",
        "counterparty": {"account_number": "012180000000000015"},
    }
    for status, css in (
        ("reject_failed", "history-table--bad"),
        ("partially_succeeded", "history-table--waiting"),
    ):
        transfer = Transfer.model_validate({**base, "status": status})
        assert history_row(transfer).status == status and status_class(status) == css
        shown = dict(detail_fields(transfer))["Status"]
        assert isinstance(shown, Text) and shown.plain == status and shown.style


async def test_a_pending_transfer_refreshes_itself_until_it_settles(
    make_app, settle, sandbox_clock
):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot, settle)
        pending = (await app.client.list_transfers_page(status="pending", limit=1)).items
        if not pending:
            pytest.fail("the seeded sandbox has no pending transfer to watch")
        app.push_screen(TransferDetailScreen(pending[0].id))
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TransferDetailScreen)
        assert detail.transfer.status == "pending"
        assert detail.polling
        assert "refreshing every" in str(detail.query_one("#detail-poll").render())

        sandbox_clock.advance(timedelta(days=2).total_seconds())
        detail.poll()  # what the interval timer calls
        await settle(pilot)
        assert detail.transfer.status != "pending"
        assert not detail.polling
        assert str(detail.query_one("#detail-poll").render()).strip() == ""
        # The list underneath shows the new status as well.
        await pilot.press("escape")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        row = next(r for r in history.rows if r.id == pending[0].id)  # pending ones are recent
        assert row.status == detail.transfer.status
        table = history.query_one(HistoryTable)
        shown = [table.row(i) for i in range(table.row_count) if table.row(i)[6] == row.id]
        assert shown == [row]


async def test_repeat_opens_the_transfer_form_prefilled(make_app, settle):
    from fintoc_tui.ui.transfer.form_screen import TransferFormScreen

    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(app, pilot, settle)
        row = next(r for r in screen.rows if r.direction == "↑ out" and r.amount.endswith("MXN"))
        transfer = await app.client.get_transfer(row.id)
        app.push_screen(TransferDetailScreen(row.id))
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert app.current_mode == "transfer"
        form = app.screen
        assert isinstance(form, TransferFormScreen)
        from fintoc_tui.ui.transfer.clabe_input import ClabeInput

        clabe = form.query_one(ClabeInput).value.replace(" ", "")
        assert clabe == transfer.counterparty.account_number


# -- export -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_export_writes_the_filtered_history_and_says_where(make_app, settle, fmt):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(app, pilot, settle)
        screen.set_filters(HistoryFilters(direction="outbound"))
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, HistoryExportDialog)
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value.startswith(str(paths.exports_dir()))
        if fmt == "json":
            await pilot.click("#export-json")
            await pilot.pause()
            assert path_input.value.endswith(".json")
        target = path_input.value
        await pilot.click("#export-start")
        await settle(pilot)
        status = str(dialog.query_one("#export-status").render())
        expected = await all_transfers(app, direction="outbound")
        assert f"Saved {len(expected):,} transfers to {target}" in status.replace("\n", "")

        if fmt == "csv":
            with open(target, newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
            assert [r["id"] for r in rows] == [t.id for t in expected]
            assert all(r["direction"] == "outbound" for r in rows)
            assert [int(r["amount"]) for r in rows] == [t.amount for t in expected]
            assert all(r["amount_formatted"].startswith("'-$") for r in rows)  # defused
        else:
            data = json.loads(Path(target).read_text(encoding="utf-8"))
            assert [d["id"] for d in data] == [t.id for t in expected]
            assert all(isinstance(d["amount"], int) for d in data)
        assert dialog.query_one("ProgressBar").progress == len(expected)


# -- test-mode actions -----------------------------------------------------------------------------


async def test_simulated_inbound_transfer_appears_at_the_top(make_app, settle, recorder):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(app, pilot, settle)
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SimulateInboundDialog)
        number = dialog.query_one("#simulate-number", Select)
        assert number.value is not Select.NULL  # a sensible default is chosen
        number.value = next(k for k, code in dialog.currency_of.items() if code == "MXN")
        dialog.query_one("#simulate-amount", Input).value = "1,234.56"
        dialog.query_one("#simulate-comment", Input).value = "Simulado desde la TUI"
        await pilot.click("#simulate-send")
        await settle(pilot)
        assert app.screen is screen
        sent = [r for r in recorder.requests if r.url.path == "/v2/simulate/receive_transfer"]
        assert len(sent) == 1 and json.loads(sent[0].content)["amount"] == 123456
        top = screen.rows[0]
        assert top.note == "Simulado desde la TUI"
        assert top.amount == "+$1,234.56 MXN" and top.direction == "↓ in"


async def test_simulate_checks_the_amount_before_sending(make_app, settle, recorder):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot, settle)
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#simulate-amount", Input).value = "twelve"
        await pilot.click("#simulate-send")
        await pilot.pause()
        assert app.screen is dialog
        assert str(dialog.query_one("#simulate-error").render()).strip()
        assert not [r for r in recorder.requests if r.url.path.startswith("/v2/simulate")]


async def test_return_an_inbound_mx_transfer_after_confirming(make_app, settle, recorder):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot, settle)
        inbound = await all_transfers(app, direction="inbound", status="succeeded")
        target = next(t for t in inbound if t.currency == "MXN")
        app.push_screen(TransferDetailScreen(target.id))
        await settle(pilot)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ReturnConfirmDialog)
        await pilot.click("#return-confirm")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TransferDetailScreen)
        assert detail.transfer.status in {"return_pending", "returned"}
        sent = [r for r in recorder.requests if r.url.path == "/v2/transfers/return"]
        assert len(sent) == 1
        assert json.loads(sent[0].content) == {"transfer_id": target.id}
        assert sent[0].headers["Fintoc-JWS-Signature"].count(".") == 1
        assert sent[0].headers["Idempotency-Key"]


async def test_return_is_not_offered_for_outbound_transfers(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(app, pilot, settle)
        row = next(r for r in screen.rows if r.direction == "↑ out")
        app.push_screen(TransferDetailScreen(row.id))
        await settle(pilot)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, TransferDetailScreen)


# -- states -----------------------------------------------------------------------------------------


async def test_offline_shows_what_to_do_and_refresh_recovers(make_app, settle, network):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        network.offline = True
        screen = await open_history(app, pilot, settle)
        state = screen.query_one(StateMessage)
        assert state.display and "Could not load the history" in str(state.render())
        network.offline = False
        await pilot.press("r")
        await settle(pilot)
        assert screen.query_one(HistoryTable).row_count == FIRST_PAGE_SIZE
        assert not state.has_class("-shown")


async def test_no_match_says_how_to_clear(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(app, pilot, settle)
        screen.set_filters(HistoryFilters(direction="inbound", status="rejected"))
        await settle(pilot)
        assert screen.rows == []
        assert "Press c to clear" in str(screen.query_one(StateMessage).render())


def test_history_row_is_small_and_searchable():
    from datetime import UTC, datetime

    from fintoc_tui.api.models import Transfer

    transfer = Transfer.model_validate(
        {
            "id": "tr_abc",
            "amount": 100,
            "currency": "CLP",
            "direction": "outbound",
            "status": "failed",
            "mode": "test",
            "transaction_date": datetime(2025, 9, 2, 15, 58, tzinfo=UTC),
            "comment": None,
            "reference_id": "42",
            "counterparty": {
                "holder_name": "Ana",
                "account_number": "123",
                "institution": {"id": "cl_banco_bci", "name": None, "country": "cl"},
            },
        }
    )
    row = history_row(transfer)
    assert row.amount == "-$100 CLP"
    assert row.counterparty == "Ana · Bci"
    assert row.note == "ref 42"
    assert "tr_abc" in row.haystack and "bci" in row.haystack


# -- snapshots (120x36, seeded sandbox, fixed clock) -----------------------------------------------


def _snap(snap_compare, app, run_before):
    return snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_history(snap_compare, make_app, settle):
    async def ready(pilot):
        await open_history(pilot.app, pilot, settle)

    assert _snap(snap_compare, make_app("sandbox"), ready)


def test_snapshot_history_filtered(snap_compare, make_app, settle):
    async def filtered(pilot):
        screen = await open_history(pilot.app, pilot, settle)
        screen.set_filters(HistoryFilters(status="succeeded", direction="outbound"))
        await settle(pilot)

    assert _snap(snap_compare, make_app("sandbox"), filtered)


def test_snapshot_transfer_detail(snap_compare, make_app, settle):
    async def detail(pilot):
        await open_history(pilot.app, pilot, settle)
        await pilot.press("enter")
        await settle(pilot)

    assert _snap(snap_compare, make_app("sandbox"), detail)


def _seeded(store, sql: str) -> str:
    with store.reading() as db:
        (found,) = db.execute(sql).fetchone()
    return str(found)


def test_snapshot_transfer_detail_chile(snap_compare, make_app, settle, sandbox_store):
    """Chile: no reference, tracking key or receipt, said so; the institution as Fintoc names it."""
    transfer_id = _seeded(
        sandbox_store,
        "SELECT id FROM transfers WHERE currency = 'CLP' AND status = 'succeeded' "
        "ORDER BY seq DESC LIMIT 1",
    )

    async def detail(pilot):
        await open_history(pilot.app, pilot, settle)
        await open_detail(pilot.app, pilot, settle, transfer_id)

    assert _snap(snap_compare, make_app("sandbox"), detail)


def test_snapshot_transfer_detail_return_failed(snap_compare, make_app, settle, sandbox_store):
    """The seeded inbound transfer whose return failed: succeeded, and the failed return said."""
    transfer_id = _seeded(
        sandbox_store,
        "SELECT resource_id FROM movements WHERE direction = 'inbound' "
        "AND json_extract(data, '$.type') = 'transfer_return' AND resource_id IN "
        "(SELECT id FROM transfers WHERE direction = 'inbound') ORDER BY seq LIMIT 1",
    )

    async def detail(pilot):
        await open_history(pilot.app, pilot, settle)
        await open_detail(pilot.app, pilot, settle, transfer_id)

    assert _snap(snap_compare, make_app("sandbox"), detail)


def test_snapshot_history_empty(snap_compare, make_app, settle):
    async def empty(pilot):
        screen = await open_history(pilot.app, pilot, settle)
        screen.set_filters(HistoryFilters(direction="inbound", status="rejected"))
        await settle(pilot)

    assert _snap(snap_compare, make_app("sandbox"), empty)


def test_snapshot_history_error(snap_compare, make_app, settle, network):
    async def offline(pilot):
        await settle(pilot)
        network.offline = True
        await open_history(pilot.app, pilot, settle)

    assert _snap(snap_compare, make_app("sandbox"), offline)
