"""The mode keys (1 2 3 a t h e) work from every screen unless a text field has focus."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, TextArea

from fintoc_tui.ui.accounts.account_detail_screen import AccountDetailScreen
from fintoc_tui.ui.history.history_screen import HistoryScreen
from fintoc_tui.ui.history.transfer_detail_screen import TransferDetailScreen
from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.confirm_screen import TransferConfirmScreen
from fintoc_tui.ui.transfer.form_screen import TransferFormScreen
from fintoc_tui.ui.transfer.result_screen import TransferResultScreen

SIZE = (120, 36)
TEXT_FIELDS = (Input, TextArea)


async def go_accounts(pilot, settle) -> None:
    await pilot.press("1")
    await settle(pilot)


async def go_detail(pilot, settle) -> None:
    await go_accounts(pilot, settle)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AccountDetailScreen)


async def go_history(pilot, settle) -> None:
    await pilot.press("3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HistoryScreen)


async def go_transfer_detail(pilot, settle) -> None:
    await go_history(pilot, settle)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TransferDetailScreen)


async def go_form(pilot, settle) -> None:
    await pilot.press("2")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TransferFormScreen)


async def _filled_form(pilot, settle) -> TransferFormScreen:
    await go_form(pilot, settle)
    form = pilot.app.screen
    account = next(a for a in form.accounts if a.currency == "MXN")
    form.query_one("#source-account", Select).value = account.id
    form.query_one(ClabeInput).value = "012180000000000015"
    form.query_one(AmountInput).value = "12.00"
    await pilot.pause()
    return form


async def go_confirm(pilot, settle) -> None:
    form = await _filled_form(pilot, settle)
    form.action_review()
    await settle(pilot)
    assert isinstance(pilot.app.screen, TransferConfirmScreen)


async def go_result(pilot, settle) -> None:
    await go_confirm(pilot, settle)
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TransferResultScreen)


async def go_environment(pilot, settle) -> None:
    await pilot.press("e")
    await settle(pilot)
    assert pilot.app.current_mode == "environment"


SCREENS = {
    "accounts": (go_accounts, "3", "history"),
    "account detail": (go_detail, "2", "transfer"),
    "history": (go_history, "1", "accounts"),
    "transfer detail": (go_transfer_detail, "a", "accounts"),
    "transfer form": (go_form, "h", "history"),
    "transfer confirm": (go_confirm, "1", "accounts"),
    "transfer result": (go_result, "3", "history"),
    "environment": (go_environment, "1", "accounts"),
}


@pytest.mark.parametrize("where", list(SCREENS))
async def test_mode_key_switches_from(make_app, settle, where):
    go, key, mode = SCREENS[where]
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go(pilot, settle)
        focused = app.focused
        assert not isinstance(focused, TEXT_FIELDS), f"{where} opened with {focused!r} focused"
        await pilot.press(key)
        await settle(pilot)
        assert app.current_mode == mode, (where, app.screen, app.focused)


async def test_history_keys_are_not_typed_into_the_hidden_search(make_app, settle):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_history(pilot, settle)
        search = app.screen.query_one("#history-search", Input)
        assert not search.focusable
        await pilot.press("1")
        await settle(pilot)
        assert app.current_mode == "accounts"
        await go_history(pilot, settle)
        await pilot.press("slash", *"abc")
        assert search.value == "abc" and app.focused is search
        await pilot.press("escape")
        await pilot.pause()
        assert not search.focusable and app.focused is app.screen.table
        await pilot.press("tab", "tab")  # tabbing around never lands in the closed search
        assert app.focused is not search
        await pilot.press("c")  # clear filters, search closed
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert app.current_mode == "accounts" and search.value == ""


@pytest.mark.parametrize("first_time", [True, False])
async def test_transfer_from_an_account_types_digits_into_the_clabe(make_app, settle, first_time):
    """After `n` the account is chosen: digits go to the CLABE, not to the mode keys."""
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if not first_time:
            await go_form(pilot, settle)
        await go_detail(pilot, settle)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TransferFormScreen)
        assert isinstance(app.focused, Input), app.focused
        await pilot.press(*"012180000000000015")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one(ClabeInput).clabe == "012180000000000015"


async def test_escape_leaves_a_form_field_so_mode_keys_work(make_app, settle):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_form(pilot, settle)
        form = app.screen
        form.query_one(ClabeInput).focus()
        await pilot.press("0", "1")
        assert app.current_mode == "transfer"
        assert form.query_one(ClabeInput).value.replace(" ", "") == "01"
        await pilot.press("escape")
        assert not isinstance(app.focused, TEXT_FIELDS)
        await pilot.press("1")
        await settle(pilot)
        assert app.current_mode == "accounts"
