"""Issue 11 §2 and the picker of §4, on the whole form, driven by keyboard with Pilot.

An amount never changes meaning without the person seeing it: a switch of
the source account to another currency, or a repeated transfer into one,
clears the amount and says so beside it. A refused keystroke, a cut or a
paste with words around the value is said at the field. The test-counterparty
picker always names what the destination fields hold.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, Select, Static
from ui_helpers import screen_text

from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.draft import TransferPrefill
from fintoc_tui.ui.transfer.form_screen import TransferFormScreen
from fintoc_tui.ui.transfer.magic_picker import MagicPicker

SIZE = (120, 36)


async def open_form(pilot, settle, currency: str = "MXN") -> TransferFormScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, TransferFormScreen)
    await choose(pilot, form, currency)
    return form


async def choose(pilot, form: TransferFormScreen, currency: str) -> None:
    account = next(a for a in form.accounts if a.currency == currency)
    form.query_one("#source-account", Select).value = account.id
    await pilot.pause()
    assert form.currency == currency


def preview(form: TransferFormScreen) -> str:
    """The amount's preview line and the notice under it."""
    return " | ".join(
        str(form.query_one(selector, Static).content)
        for selector in ("#amount-preview", "#amount-notice")
    )


async def type_keys(pilot, selector: str, text: str) -> None:
    await pilot.click(selector)
    await pilot.press(*["minus" if ch == "-" else ch for ch in text])


async def test_15000_on_mxn_is_cleared_with_a_notice_when_the_source_turns_clp(make_app, settle):
    """The bar: no `sends amount=15000` without a notice; `-5` says why."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, settle, "MXN")
        await type_keys(pilot, "#amount-text", "15000")
        assert "$15,000.00 MXN  ·  sends amount=1500000" in preview(form)
        await choose(pilot, form, "CLP")
        assert "sends amount=15000" not in screen_text(app)
        assert "Amount cleared: the account is in CLP now (it was $15,000.00 MXN)" in preview(form)
        assert form.query_one("#amount-notice").display
        assert form.query_one(AmountInput).value == "" and "enter the amount" in str(
            form.query_one("#submit-reason", Static).content
        )
        await type_keys(pilot, "#amount-text", "-5")
        assert form.query_one(AmountInput).value == "5"
        assert "Amounts are positive: the minus sign is not allowed" in preview(form)
        assert "sends amount=5" in screen_text(app)


async def test_a_repeat_into_an_account_of_another_currency_does_not_fill_the_amount(
    make_app, settle
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, settle, "CLP")
        clp = form.account
        form.prefill(
            TransferPrefill(account_id=clp.id, amount=1_500_000, currency="MXN", comment="otra")
        )
        await pilot.pause()
        amount = form.query_one(AmountInput)
        assert amount.value == "" and amount.minor is None
        assert "sends amount" not in preview(form)
        assert "Amount not filled in: the transfer was $15,000.00 MXN" in preview(form)
        assert form.query_one("#comment").value == "otra"
        form.prefill(TransferPrefill(account_id=clp.id, amount=15_000, currency="CLP"))
        await pilot.pause()
        assert amount.minor == 15_000 and "not filled" not in preview(form)


async def test_a_pasted_clabe_with_a_label_is_taken_out_and_said(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, settle, "MXN")
        await pilot.click("#clabe Input")
        field = form.query_one("#clabe Input", Input)
        field.post_message(events.Paste("CLABE: 014 180 65509143829 8"))
        await pilot.pause()
        clabe = form.query_one(ClabeInput)
        assert clabe.value == "014 180 65509143829 8"
        notice = str(clabe.query_one(".field-notice", Static).content)
        assert notice == "Took 014 180 65509143829 8 from the pasted text"
        await pilot.press("end", "9")
        assert clabe.value == "014 180 65509143829 8"
        assert str(clabe.query_one(".field-notice", Static).content) == (
            "A CLABE has at most 18 digits: the 19th was not added"
        )


async def test_the_41st_comment_character_is_said_at_the_field(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, settle, "MXN")
        await pilot.click("#comment Input")
        await pilot.press(*("x" * 41))
        comment = form.query_one("#comment")
        assert comment.value == "x" * 40
        notice = comment.query_one(".field-notice", Static)
        assert notice.display
        assert str(notice.content) == "A comment has at most 40 characters: the 41st was not added"


async def test_the_magic_picker_always_names_what_the_fields_hold(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, settle, "MXN")
        picker = form.query_one(MagicPicker)
        select = picker.query_one("#magic-select", Select)
        picker.pick("012180000000000015")
        await pilot.pause()
        assert form.query_one(ClabeInput).value == "012180000000000015"
        form.reset()  # what `n` (new transfer) does
        await pilot.pause()
        assert select.value is Select.NULL
        form.prefill(TransferPrefill(account_number="014180000000000026", holder_name="Otra"))
        await pilot.pause()  # what `p` (repeat) does
        assert select.value == "014180000000000026"
        assert form.query_one("#mx-holder-name").value == "Otra"  # showing fills nothing
        form.query_one(ClabeInput).value = "738180000000000014"
        await pilot.pause()
        assert select.value is Select.NULL
