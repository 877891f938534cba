"""The amount field: live preview on every keystroke, problems as they happen."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from fintoc_tui.ui.transfer.amount_input import AmountInput


class AmountApp(App):
    def __init__(self, currency: str = "MXN", balance: int | None = None) -> None:
        super().__init__()
        self.currency = currency
        self.balance = balance
        self.changes: list[tuple[int | None, str | None]] = []

    def compose(self) -> ComposeResult:
        yield AmountInput(self.currency, balance=self.balance, id="amount")

    def on_amount_input_changed(self, event: AmountInput.Changed) -> None:
        self.changes.append((event.minor, event.error))


def preview_text(app: App) -> str:
    return str(app.query_one("#amount-preview", Static).content)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def test_every_keystroke_updates_the_preview():
    app = AmountApp("MXN")
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        seen = []
        for ch in "1234.56":
            await pilot.press(ch)
            seen.append(preview_text(app))
        assert seen[0].startswith("$1.00 MXN")
        assert seen[3].startswith("$1,234.00 MXN")
        assert seen[-1] == "$1,234.56 MXN  ·  sends amount=123456"
        widget = app.query_one(AmountInput)
        assert widget.minor == 123456 and widget.error is None
        assert app.changes[-1] == (123456, None)


async def test_clp_home_style_and_integer():
    app = AmountApp("CLP")
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        await type_text(pilot, "1234567")
        assert preview_text(app) == "$1.234.567 CLP  ·  sends amount=1234567"


@pytest.mark.parametrize(
    ("currency", "balance", "text", "problem"),
    [
        ("MXN", None, "1.234", "MXN has at most 2 decimals"),
        ("CLP", None, "1000,5", "CLP has no cents"),
        ("MXN", 50000, "500.01", "More than the balance ($500.00 MXN)"),
        ("CLP", None, "7000001", "More than $7.000.000 CLP"),
    ],
)
async def test_problems_show_as_they_happen(currency, balance, text, problem):
    app = AmountApp(currency, balance)
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        await type_text(pilot, text)
        widget = app.query_one(AmountInput)
        assert widget.minor is None
        assert widget.error is not None and problem in widget.error
        assert problem in preview_text(app)


async def test_balance_is_inclusive_and_cap_allows_exactly_seven_million():
    app = AmountApp("CLP", balance=10_000_000)
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        await type_text(pilot, "7.000.000")
        assert app.query_one(AmountInput).minor == 7_000_000
    app = AmountApp("MXN", balance=50000)
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        await type_text(pilot, "500")
        assert app.query_one(AmountInput).minor == 50000


async def test_paste_of_a_formatted_amount_is_accepted():
    app = AmountApp("MXN")
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        field = app.query_one("#amount-text", Input)
        field.post_message(events.Paste("$1,234.56 MXN"))
        await pilot.pause()
        assert field.value == "$1,234.56 MXN"
        assert app.query_one(AmountInput).minor == 123456


async def test_restrict_refuses_stray_letters():
    app = AmountApp("MXN")
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        await type_text(pilot, "12q3")
        assert app.query_one("#amount-text", Input).value == "123"
        assert app.query_one(AmountInput).minor == 12300


async def test_backspace_and_delete_edit_in_place_without_moving_the_cursor():
    app = AmountApp("MXN")
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        await type_text(pilot, "12345")
        field = app.query_one("#amount-text", Input)
        await pilot.press("left", "left")
        assert field.cursor_position == 3
        await pilot.press("backspace")
        assert field.value == "1245" and field.cursor_position == 2
        await pilot.press("delete")
        assert field.value == "125" and field.cursor_position == 2
        await pilot.press("9")
        assert field.value == "1295" and field.cursor_position == 3
        assert preview_text(app).startswith("$1,295.00 MXN")


async def test_changing_the_account_rechecks_the_same_text():
    app = AmountApp("MXN", balance=None)
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        await type_text(pilot, "1.234")
        widget = app.query_one(AmountInput)
        assert widget.minor is None and "at most 2 decimals" in (widget.error or "")
        widget.set_context("CLP", 1_000_000)
        assert widget.minor == 1234 and widget.error is None
        assert preview_text(app).startswith("$1.234 CLP")
        widget.set_context("CLP", 1000)
        assert "More than the balance ($1.000 CLP)" in (widget.error or "")
