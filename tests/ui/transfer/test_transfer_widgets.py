"""CLABE, RUT and magic-counterparty widgets of the transfer form, driven with Pilot."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input, Select, Static

from fintoc_tui.sandbox.magic import MAGIC_COUNTERPARTIES
from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.magic_picker import MagicPicker, magic_options
from fintoc_tui.ui.transfer.rut_input import RutInput


class Harness(App):
    def __init__(self) -> None:
        super().__init__()
        self.picked = []

    def compose(self) -> ComposeResult:
        yield ClabeInput(id="clabe")
        yield RutInput(id="rut")
        yield MagicPicker("MXN", id="magic")

    def on_magic_picker_picked(self, event: MagicPicker.Picked) -> None:
        self.picked.append(event.magic)


def note(app: App, selector: str) -> str:
    return str(app.query_one(f"{selector} .field-note", Static).content)


async def test_clabe_names_the_bank_after_three_digits_and_groups_as_you_type():
    app = Harness()
    async with app.run_test() as pilot:
        await pilot.click("#clabe Input")
        await pilot.press("0", "1")
        assert "BBVA" not in note(app, "#clabe")
        await pilot.press("2")
        # The bank as Fintoc names it in its answers (Banxico's short name, upper case).
        assert note(app, "#clabe").startswith("012  ·  BBVA MEXICO  ·  15 digits to go")
        await pilot.press(*"180000000000015")
        clabe = app.query_one(ClabeInput)
        assert note(app, "#clabe") == "012 180 00000000001 5  ·  BBVA MEXICO  ·  check digit OK"
        assert clabe.clabe == "012180000000000015" and clabe.error is None


async def test_clabe_wrong_check_digit_and_unknown_bank_show_at_the_field():
    app = Harness()
    async with app.run_test() as pilot:
        await pilot.click("#clabe Input")
        await pilot.press(*"012180000000000016")
        clabe = app.query_one(ClabeInput)
        assert clabe.clabe is None
        assert clabe.error == "Check digit should be 5, not 6"
        assert "Check digit should be 5, not 6" in note(app, "#clabe")
        clabe.value = "999"
        await pilot.pause()
        assert clabe.error == "Bank code 999 is not a known bank"


async def test_clabe_accepts_a_grouped_paste_and_refuses_a_nineteenth_digit():
    app = Harness()
    async with app.run_test() as pilot:
        await pilot.click("#clabe Input")
        field = app.query_one("#clabe Input", Input)
        # A Fintoc test CLABE (bank 735, Banxico 90735), as Fintoc's test mode hands out.
        field.post_message(events.Paste("735 969 00000020329 7"))
        await pilot.pause()
        assert app.query_one(ClabeInput).clabe == "735969000000203297"
        assert "FINTOC" in note(app, "#clabe")
        await pilot.press("9")
        assert field.value == "735 969 00000020329 7"


async def test_rut_is_checked_and_formatted():
    app = Harness()
    async with app.run_test() as pilot:
        await pilot.click("#rut Input")
        await pilot.press(*"12345678")
        rut = app.query_one(RutInput)
        assert rut.error is None and rut.compact is None
        await pilot.press("4")
        assert rut.error == "RUT check digit should be 5, not 4"
        await pilot.press("backspace", "5")
        assert rut.compact == "123456785"
        assert note(app, "#rut").startswith("12.345.678-5")


async def test_server_error_shows_until_the_text_changes():
    app = Harness()
    async with app.run_test() as pilot:
        rut = app.query_one(RutInput)
        rut.set_server_error("Fintoc says this RUT is invalid")
        assert "Fintoc says" in note(app, "#rut") and rut.error
        await pilot.click("#rut Input")
        await pilot.press("1")
        assert rut.error is None and "Fintoc says" not in note(app, "#rut")


async def test_magic_picker_offers_each_outcome_of_the_currency():
    assert [number for _, number in magic_options("CLP")] == [
        m.account_number for m in MAGIC_COUNTERPARTIES if m.currency == "CLP"
    ]
    app = Harness()
    async with app.run_test() as pilot:
        picker = app.query_one(MagicPicker)
        picker.pick("012969100000000013")  # Fintoc's documented "rejected" test CLABE
        await pilot.pause()
        assert [m.outcome for m in app.picked] == ["rejected"]
        picker.set_currency("CLP")
        await pilot.pause()
        select = app.query_one("#magic-select", Select)
        assert select.value is Select.NULL
        picker.pick("900000002")
        await pilot.pause()
        assert app.picked[-1].outcome == "failed" and app.picked[-1].currency == "CLP"


def test_a_chilean_draft_without_an_account_type_says_it_was_not_given():
    """Fintoc's test mode takes a CL transfer without `account_type`; the restatement says so."""
    from fintoc_tui.api.models import Account, TransferRequest
    from fintoc_tui.transfer.restate import build_draft

    account = Account(
        id="acc_cl", mode="test", available_balance=10_000_000, currency="CLP", status="active"
    )
    counterparty = {
        "holder_id": "11111111-1",
        "holder_name": "Destinatario Prueba",
        "account_number": "12345678",
        "institution_id": "cl_banco_de_chile",
    }
    request = TransferRequest.model_validate(
        {"amount": 1000, "currency": "CLP", "account_id": "acc_cl", "counterparty": counterparty}
    )
    draft = build_draft(account, request)
    assert draft.destination_account_type == "not given"
    typed = TransferRequest.model_validate(
        {
            "amount": 1000,
            "currency": "CLP",
            "account_id": "acc_cl",
            "counterparty": {**counterparty, "account_type": "sight"},
        }
    )
    assert build_draft(account, typed).destination_account_type.startswith("Sight")
