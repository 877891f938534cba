"""Chile's destination is built the first time it is needed, and never dropped once built.

A form that starts in Mexico (every form does: the accounts load after it
opens) has no Chilean fields at all; choosing a CLP source, a Chilean
prefill or test counterparty mounts them, and everything that waits for
them (the prefill, the focus) lands once they exist. From then on both
sections stay and are only hidden, so nothing typed or shown in either is
lost however often the currency changes.
"""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, Select, Static
from ui_helpers import open_mode

from fintoc_tui.api.errors import InvalidRequestError
from fintoc_tui.sandbox import verifications
from fintoc_tui.sandbox.magic import MAGIC_COUNTERPARTIES
from fintoc_tui.transfer.checks import upper_first
from fintoc_tui.transfer.fields import fix_reason
from fintoc_tui.ui.transfer.account_verifier import AccountVerifier
from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.cl_counterparty import CLCounterpartyFields
from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.confirm_screen import TransferConfirmScreen
from fintoc_tui.ui.transfer.draft import TransferPrefill
from fintoc_tui.ui.transfer.form_screen import TransferFormScreen
from fintoc_tui.ui.transfer.magic_picker import MagicPicker
from fintoc_tui.ui.transfer.mx_counterparty import MXCounterpartyFields
from fintoc_tui.ui.transfer.rut_input import RutInput
from fintoc_tui.ui.transfer.transfer_field import TransferField
from fintoc_tui.ui.transfer.verify_dialog import VerifyAccountDialog

SIZE = (120, 36)
CLABE = "646180000000000054"  # verifies (the sandbox knows its holder)
CL_MAGIC = next(m for m in MAGIC_COUNTERPARTIES if m.currency == "CLP")


async def open_form(pilot, settle) -> TransferFormScreen:
    """The transfer form, accounts loaded, no account chosen (so Mexico's section shows)."""
    return await open_mode(pilot, settle, "t", TransferFormScreen)


async def choose(pilot, settle, form: TransferFormScreen, currency: str) -> None:
    account = next(a for a in form.accounts if a.currency == currency)
    form.query_one("#source-account", Select).value = account.id
    await settle(pilot)


def chile(form: TransferFormScreen) -> dict[str, object]:
    """What Chile's fields hold, read from the widgets."""
    return {
        "number": form.query_one("#cl-account-number", TransferField).value,
        "rut": form.query_one(RutInput).value,
        "holder": form.query_one("#cl-holder-name", TransferField).value,
        "bank": form.query_one("#cl-institution", Select).value,
        "type": form.query_one("#cl-account-type", Select).value,
    }


async def chilean_transfer(app):
    """A seeded outbound transfer to a Chilean bank (what "transfer again" repeats)."""
    async for transfer in app.client.iter_transfers(direction="outbound"):
        if transfer.currency == "CLP" and transfer.counterparty.institution is not None:
            return transfer
    raise AssertionError("the seed has no Chilean transfer")


def has_chile(form: TransferFormScreen) -> bool:
    return bool(form.query(CLCounterpartyFields) or form.query("#cl-institution"))


async def test_a_form_in_mexico_has_no_chilean_fields(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, settle)
        assert not has_chile(form)
        await choose(pilot, settle, form, "MXN")
        assert not has_chile(form) and form.query(ClabeInput)
        # The only pickers are the source account's and the test counterparty's.
        assert [s.id for s in form.query(Select)] == ["source-account", "magic-select"]
        assert form.reasons == ["enter the CLABE", "enter the amount"]


async def test_choosing_a_clp_account_builds_chile_and_it_reviews(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, settle)
        await choose(pilot, settle, form, "CLP")
        assert has_chile(form) and form.has_class("-cl")
        assert form.query_one(CLCounterpartyFields).display
        assert not form.query_one(MXCounterpartyFields).display
        assert "enter the RUT" in " ".join(form.reasons)
        # Typed by hand, key by key.
        await pilot.click("#cl-account-number Input")
        await pilot.press(*"00012345678")
        await pilot.click("#rut Input")
        await pilot.press(*"12.345.678-5")
        await pilot.click("#cl-holder-name Input")
        await pilot.press(*"Camila Rojas")
        form.query_one("#cl-institution", Select).value = "cl_banco_de_chile"
        form.query_one("#cl-account-type", Select).value = "sight_account"
        await pilot.click("#amount-text")
        await pilot.press(*"1.250.000")
        await settle(pilot)
        assert form.reasons == []
        form.action_review()
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, TransferConfirmScreen)
        shown = " ".join(str(s.content) for s in confirm.query(".value").results(Static))
        assert "Camila Rojas" in shown and "Banco de Chile" in shown
        assert "12.345.678-5" in shown and "00012345678" in shown
        assert confirm.draft.request.counterparty.holder_id == "123456785"


async def verified(pilot, settle, form: TransferFormScreen, clock) -> AccountVerifier:
    """F3 on the typed CLABE, confirmed, followed until the sandbox answers."""
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, VerifyAccountDialog)
    await pilot.click("#verify-confirm")
    await settle(pilot)
    clock.advance(5)
    verifier = form.query_one(AccountVerifier)
    verifier.poll()
    await settle(pilot)
    assert verifier.verification.status == "succeeded"
    return verifier


async def test_there_and_back_twice_keeps_every_field_and_the_verification(
    make_app, settle, sandbox_clock
):
    name, _rfc = verifications.registered_holder(CLABE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, settle)
        await choose(pilot, settle, form, "MXN")
        form.query_one(ClabeInput).value = CLABE
        form.query_one("#mx-holder-name", TransferField).value = name
        form.query_one("#mx-holder-id", TransferField).value = "XAXX010101000"
        form.query_one("#comment", TransferField).value = "Renta de marzo"
        await pilot.pause()
        verifier = await verified(pilot, settle, form, sandbox_clock)
        said = verifier.result_text
        assert said.startswith("✓ 646 180")
        mexico = form.query_one(MXCounterpartyFields)

        await choose(pilot, settle, form, "CLP")
        typed_chile = {
            "number": "0001-2345678",
            "rut": "12.345.678-5",
            "holder": "Camila Rojas",
            "bank": "cl_banco_de_chile",
            "type": "sight_account",
        }
        form.query_one("#cl-account-number", TransferField).value = typed_chile["number"]
        form.query_one(RutInput).value = typed_chile["rut"]
        form.query_one("#cl-holder-name", TransferField).value = typed_chile["holder"]
        form.query_one("#cl-institution", Select).value = typed_chile["bank"]
        form.query_one("#cl-account-type", Select).value = typed_chile["type"]
        await pilot.pause()
        chilean = form.query_one(CLCounterpartyFields)
        assert form.fields().account_number == "0001-2345678"

        await choose(pilot, settle, form, "MXN")
        assert form.query_one(MXCounterpartyFields) is mexico  # never rebuilt
        assert form.query_one(ClabeInput).clabe == CLABE
        assert form.query_one("#mx-holder-id", TransferField).value == "XAXX010101000"
        assert form.query_one(AccountVerifier) is verifier and verifier.result_text == said
        assert form.fields().account_number.replace(" ", "") == CLABE
        assert form.fields().comment == "Renta de marzo"

        await choose(pilot, settle, form, "CLP")
        assert form.query_one(CLCounterpartyFields) is chilean
        assert chile(form) == typed_chile
        assert form.fields().holder_id == "12.345.678-5"
        await choose(pilot, settle, form, "MXN")
        assert verifier.result_text == said and form.query_one(ClabeInput).clabe == CLABE


async def test_a_chilean_prefill_on_a_mexican_form_lands_in_chile(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, settle)
        await choose(pilot, settle, form, "MXN")
        form.prefill(
            TransferPrefill(
                account_number="00012345678",
                holder_id="12.345.678-5",
                holder_name="Camila Rojas",
                institution_id="cl_banco_de_chile",
                account_type="sight_account",
            )
        )
        assert form.destination is form.query_one(MXCounterpartyFields)  # still Mexico's
        await settle(pilot)
        assert chile(form) == {
            "number": "00012345678",
            "rut": "12.345.678-5",
            "holder": "Camila Rojas",
            "bank": "cl_banco_de_chile",
            "type": "sight_account",
        }
        assert not form.query_one(CLCounterpartyFields).display  # built, hidden until CLP
        await choose(pilot, settle, form, "CLP")
        assert form.fields().institution_id == "cl_banco_de_chile"
        assert "enter the account number" not in " ".join(form.reasons)


async def test_transfer_again_from_history_fills_chile_on_an_open_mexican_form(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        original = await chilean_transfer(app)
        form = await open_form(pilot, settle)
        await choose(pilot, settle, form, "MXN")
        await pilot.press("2")
        await settle(pilot)
        await app.navigator.repeat_transfer(TransferPrefill.from_transfer(original))
        await settle(pilot)
        assert app.screen is form and form.has_class("-cl")
        assert form.query_one("#cl-account-number", TransferField).value == (
            original.counterparty.account_number
        )
        assert (
            form.query_one("#cl-institution", Select).value == original.counterparty.institution.id
        )
        assert form.query_one(AmountInput).minor == original.amount


async def test_a_chilean_test_counterparty_waits_for_its_section(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, settle)
        await choose(pilot, settle, form, "MXN")
        clp = next(a for a in form.accounts if a.currency == "CLP")
        picker = form.query_one(MagicPicker)
        # The source turns CLP and the test counterparty is picked in the same turn,
        # before Chile's section can have been mounted.
        form.query_one("#source-account", Select).value = clp.id
        form._select_account(clp.id)
        assert form.destination is None
        form._magic_picked(MagicPicker.Picked(picker, CL_MAGIC))
        await settle(pilot)
        assert chile(form) == {
            "number": CL_MAGIC.account_number,
            "rut": CL_MAGIC.holder_id,
            "holder": CL_MAGIC.holder_name,
            "bank": CL_MAGIC.institution_id,
            "type": CL_MAGIC.account_type,
        }
        assert form.query_one("#magic-select", Select).value == CL_MAGIC.account_number


async def test_a_new_transfer_from_a_clp_account_focuses_chile_once_built(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        clp = next(a for a in await app.client.list_accounts() if a.currency == "CLP")
        app.new_transfer(clp.id)  # a fresh form: the accounts, then Chile, then the focus
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TransferFormScreen) and form.account.id == clp.id
        assert app.focused is form.query_one("#cl-account-number Input", Input)


@pytest.mark.parametrize("field", ["institution_id", "account_type", "holder_id"])
async def test_an_api_error_on_a_chilean_field_lands_there_after_a_switch(make_app, settle, field):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, settle)
        await choose(pilot, settle, form, "MXN")
        await choose(pilot, settle, form, "CLP")
        form.query_one(MagicPicker).pick(CL_MAGIC.account_number)
        form.query_one(AmountInput).value = "1.000"
        await settle(pilot)
        assert form.reasons == []
        # A real refusal from the sandbox naming that field (too long to be one).
        body = form.build_request().to_body()
        sent = json.loads(body)
        sent["counterparty"][field] = "x" * 65
        with pytest.raises(InvalidRequestError) as refused:
            await app.client.create_transfer(json.dumps(sent).encode(), idempotency_key="k-1")
        assert refused.value.param == f"counterparty.{field}"
        form.show_api_error(refused.value)
        await pilot.pause()
        if field == "holder_id":
            assert form.query_one(RutInput).error == upper_first(refused.value.message)
        else:
            note = form.query_one(f"#cl-{field.replace('_id', '').replace('_', '-')}-note", Static)
            assert note.has_class("-shown") and note.display
        assert fix_reason(field, "CLP") in form.reasons


async def test_a_chilean_draft_restores_into_a_fresh_form(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        original = await chilean_transfer(app)
        form = TransferFormScreen(TransferPrefill.from_transfer(original))
        await app.push_screen(form)
        await settle(pilot)
        assert form.account.id == original.account_number.account_id and form.has_class("-cl")
        assert form.query_one(CLCounterpartyFields).display
        draft = form.build_draft()
        assert draft.request.counterparty.account_number == original.counterparty.account_number
        assert draft.request.counterparty.institution_id == original.counterparty.institution.id
        assert draft.request.amount == original.amount and draft.request.currency == "CLP"


async def test_a_new_transfer_clears_a_chilean_prefill_still_on_its_way(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, settle)
        await choose(pilot, settle, form, "MXN")
        form.prefill(TransferPrefill(account_number="00012345678", holder_name="Camila Rojas"))
        form.reset()  # `n` after a result, before Chile's section is mounted
        section = await form.ensure_section("CLP")
        await settle(pilot)
        assert isinstance(section, CLCounterpartyFields)
        assert chile(form)["number"] == "" and chile(form)["holder"] == ""
        # Once built, a reset empties it like any other field.
        form.prefill(TransferPrefill(account_number="00012345678", holder_name="Camila Rojas"))
        await settle(pilot)
        assert chile(form)["number"] == "00012345678"
        form.reset()
        await settle(pilot)
        assert chile(form)["number"] == "" and chile(form)["holder"] == ""
