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
    """The preview line, and the notice under it when one is shown."""
    notice = app.query_one("#amount-notice", Static)
    text = str(app.query_one("#amount-preview", Static).content)
    return f"{text} | {notice.content}" if notice.display else text


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


async def test_a_refused_letter_is_dropped_and_the_field_says_why():
    app = AmountApp("MXN")
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        await type_text(pilot, "12q3")
        assert app.query_one("#amount-text", Input).value == "123"
        assert app.query_one(AmountInput).minor == 12300
        assert "Letters are not allowed in an amount" in preview_text(app)


@pytest.mark.parametrize(
    ("keys", "kept", "reason"),
    [
        ("-5", "5", "Amounts are positive: the minus sign is not allowed"),
        ("1e5", "15", "Write the amount in full (100000, not 1e5): exponents are not allowed"),
        ("12q", "12", "Letters are not allowed in an amount"),
    ],
)
async def test_every_refused_keystroke_gets_a_reason_at_the_field(keys, kept, reason):
    app = AmountApp("MXN")
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        await type_text(pilot, keys)
        assert app.query_one("#amount-text", Input).value == kept
        assert reason in preview_text(app)


async def test_zero_says_what_the_least_amount_is():
    app = AmountApp("MXN")
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        await type_text(pilot, "0")
        assert "The amount must be more than $0.00 MXN" in preview_text(app)
        assert app.query_one(AmountInput).minor is None


@pytest.mark.parametrize(
    ("pasted", "value", "said"),
    [
        ("$1,234.56 MXN", "$1,234.56 MXN", ""),
        ("Total: $1,234.56 MXN", "$1,234.56 MXN", "Took $1,234.56 MXN from the pasted text"),
        ("Invoice 12, total 300.00", "", "more than one number; copy just the amount"),
        ("no amount here", "", "Nothing pasted: the text has no amount in it"),
        ("-$5.00", "", "the minus sign is not allowed"),
    ],
)
async def test_a_paste_is_taken_in_or_refused_with_a_reason(pasted, value, said):
    app = AmountApp("MXN")
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        field = app.query_one("#amount-text", Input)
        field.post_message(events.Paste(pasted))
        await pilot.pause()
        assert field.value == value
        assert said in preview_text(app)
        if value:
            assert app.query_one(AmountInput).minor == 123456


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


async def test_another_account_in_the_same_currency_rechecks_the_same_text():
    app = AmountApp("CLP", balance=None)
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        await type_text(pilot, "1.234")
        widget = app.query_one(AmountInput)
        assert widget.minor == 1234
        widget.set_context("CLP", 1000)
        assert widget.value == "1.234"
        assert "More than the balance ($1.000 CLP)" in (widget.error or "")


async def test_another_currency_clears_the_amount_and_says_so():
    """`15000` is $15,000.00 MXN; it must never quietly become $15.000 CLP."""
    app = AmountApp("MXN", balance=None)
    async with app.run_test() as pilot:
        await pilot.click("#amount-text")
        await type_text(pilot, "15000")
        widget = app.query_one(AmountInput)
        assert widget.minor == 1_500_000
        widget.set_context("CLP", 10_000_000)
        await pilot.pause()
        assert widget.value == "" and widget.minor is None
        shown = preview_text(app)
        assert "sends amount=15000" not in shown
        assert "Amount cleared: the account is in CLP now (it was $15,000.00 MXN)" in shown
        assert app.changes[-1] == (None, None)
        await type_text(pilot, "15000")
        assert widget.minor == 15000 and "Amount cleared" in preview_text(app)
