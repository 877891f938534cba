"""The history shows a new transfer without `r`: one opened later has it on top, one
already open merges it in and keeps the person's filters, search and place.

Against the in-process sandbox; what reached it is read from a recording
transport around the real ASGI transport.
"""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import Input, Select
from ui_helpers import open_confirm

from fintoc_tui.ui.history.filters import HistoryFilters
from fintoc_tui.ui.history.history_screen import HistoryScreen
from fintoc_tui.ui.history.rows import HistoryRow, merge_newest
from fintoc_tui.ui.history.simulate_dialog import SimulateInboundDialog
from fintoc_tui.ui.transfer.result_screen import TransferResultScreen

SIZE = (120, 36)


class Recorder(httpx.AsyncBaseTransport):
    """Keeps the URL of every request that reaches the sandbox."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.urls: list[httpx.URL] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path == "/v2/transfers":
            self.urls.append(request.url)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def recorder(network) -> Recorder:
    network.inner = Recorder(network.inner)
    return network.inner


def row(id_: str, status: str = "succeeded") -> HistoryRow:
    return HistoryRow("2025-09-02 15:58", "↑ out", "x", "-$1.00 MXN", status, "", id_, id_)


# -- merging the first page again -----------------------------------------------------------


def test_new_transfers_go_on_top_and_known_ones_are_updated():
    loaded = [row("c"), row("b", "pending"), row("a")]
    page = [row("e"), row("d"), row("c"), row("b", "succeeded")]
    merged = merge_newest(loaded, page)
    assert merged is not None
    assert [r.id for r in merged] == ["e", "d", "c", "b", "a"]
    assert merged[3].status == "succeeded"  # the fresher copy wins


def test_a_first_page_that_misses_every_loaded_row_asks_for_a_reload():
    # More arrived than one page holds: merging would leave a gap.
    assert merge_newest([row("b"), row("a")], [row("d"), row("c")]) is None


def test_merging_into_nothing_or_with_nothing_keeps_what_there_is():
    assert merge_newest([], [row("a")]) == [row("a")]
    assert merge_newest([row("a")], []) == [row("a")]


# -- on screen ------------------------------------------------------------------------------------


async def test_a_history_opened_before_a_send_shows_it_first_when_shown_again(
    make_app, settle, recorder
):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        loaded = len(history.rows)
        await open_confirm(pilot, settle, amount="590.13")
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = app.screen
        assert isinstance(result, TransferResultScreen) and result.transfer is not None
        asked = len(recorder.urls)
        assert history.money is not None and history.money.stale  # hidden: nothing asked yet
        await pilot.press("3")
        await settle(pilot)
        assert history.rows[0].id == result.transfer.id
        assert history.rows[0].amount == "-$590.13 MXN"
        assert history.table.row(0)[6] == result.transfer.id
        assert len(history.rows) == loaded + 1
        assert len(recorder.urls) == asked + 1  # one first page, merged in


async def test_a_history_first_opened_after_a_send_has_it_on_top(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await open_confirm(pilot, settle, amount="590.13")
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = app.screen
        assert isinstance(result, TransferResultScreen) and result.transfer is not None
        await pilot.press("3")
        await settle(pilot)
        assert app.screen.rows[0].id == result.transfer.id


async def simulate(pilot, settle, comment: str) -> None:
    app = pilot.app
    await pilot.press("i")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, SimulateInboundDialog)
    number = dialog.query_one("#simulate-number", Select)
    number.value = next(k for k, code in dialog.currency_of.items() if code == "MXN")
    dialog.query_one("#simulate-amount", Input).value = "12.34"
    dialog.query_one("#simulate-comment", Input).value = comment
    await pilot.click("#simulate-send")
    await settle(pilot)


async def test_an_open_history_merges_the_new_transfer_keeping_filters_search_and_place(
    make_app, settle, recorder
):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        history = app.screen
        history.set_filters(HistoryFilters(direction="inbound"))
        await settle(pilot)
        history.apply_search("a")  # most rows match; the new one does too ("tal")
        await pilot.pause()
        table = history.table
        assert table.row_count > 4
        table.cursor_row = 3
        await pilot.pause()
        chosen = table.row(3)[6]
        shown_before = table.row_count
        asked = len(recorder.urls)

        await simulate(pilot, settle, "Simulado tal cual")
        assert app.screen is history
        # Merged, not reloaded from scratch: one request, with the filter.
        assert len(recorder.urls) == asked + 1
        assert recorder.urls[-1].params["direction"] == "inbound"
        assert history.filters == HistoryFilters(direction="inbound")
        assert history.search == "a"
        top = history.rows[0]
        assert top.note == "Simulado tal cual" and top.direction == "↓ in"
        assert table.row(0)[6] == top.id
        assert table.row_count == shown_before + 1
        # The cursor stays on the transfer the person had chosen.
        assert table.cursor_row == 4 and table.row(table.cursor_row)[6] == chosen
