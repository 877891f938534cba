"""The transfer form and confirm screen in detail: prefill, reasons, API errors at fields, live gating."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, Select, Static

from fintoc_tui.api.errors import ConflictError, InvalidRequestError
from fintoc_tui.api.models import Account, TransferRequest
from fintoc_tui.journal import Journal
from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.confirm_screen import TransferConfirmScreen
from fintoc_tui.ui.transfer.draft import TransferDraft, TransferPrefill
from fintoc_tui.ui.transfer.form_screen import TransferFormScreen
from fintoc_tui.ui.transfer.rut_input import RutInput
from fintoc_tui.ui.transfer.transfer_metadata import MetadataRow, TransferMetadata

SIZE = (120, 36)


async def form_of(pilot, settle, currency: str | None = "MXN") -> TransferFormScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, TransferFormScreen)
    if currency:
        account = next(a for a in form.accounts if a.currency == currency)
        form.query_one("#source-account", Select).value = account.id
        await pilot.pause()
    return form


def reason(form) -> str:
    return str(form.query_one("#submit-reason", Static).content)


async def test_empty_form_says_why_review_is_disabled(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await form_of(pilot, settle)
        assert form.query_one("#review", Button).disabled
        assert reason(form) == "To review: enter the CLABE, enter the amount."
        form.query_one(ClabeInput).value = "01218000000"
        form.query_one(AmountInput).value = "1,2"
        await pilot.pause()
        assert reason(form) == "To review: finish the CLABE, finish the amount."
        form.query_one(ClabeInput).value = "012180000000000015"
        form.query_one(AmountInput).value = "1,200"
        await pilot.pause()
        assert not form.query_one("#review", Button).disabled
        assert form.build_request().amount == 120000


async def test_chile_form_needs_every_counterparty_field_and_sends_a_compact_rut(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await form_of(pilot, settle, "CLP")
        assert form.has_class("-cl") and not form.query_one("#mx-counterparty").display
        assert "enter the RUT" in reason(form) and "choose the institution" in reason(form)
        form.query_one("#cl-account-number").value = "0001-2345678"
        form.query_one(RutInput).value = "12.345.678-5"
        form.query_one("#cl-holder-name").value = "Camila Rojas"
        form.query_one("#cl-institution", Select).value = "cl_banco_de_chile"
        form.query_one("#cl-account-type", Select).value = "sight_account"
        form.query_one("#reference-id").value = "123"  # hidden in Chile, never sent
        form.query_one(AmountInput).value = "1.250.000"
        await pilot.pause()
        assert form.reasons == []
        request = form.build_request()
        assert request.amount == 1_250_000 and request.currency == "CLP"
        assert request.counterparty.holder_id == "123456785"
        assert request.counterparty.account_number == "00012345678"
        assert request.reference_id is None
        draft = form.build_draft()
        assert draft.destination_holder_id == "12.345.678-5"
        assert draft.destination_bank == "Banco de Chile"


async def test_repeat_a_transfer_prefills_account_counterparty_and_amount(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        transfers = [
            t
            async for t in app.client.iter_transfers(direction="outbound")
            if t.currency == "CLP" and t.counterparty.institution is not None
        ]
        original = transfers[0]
        form = await form_of(pilot, settle, currency=None)
        form.prefill(TransferPrefill.from_transfer(original))
        await settle(pilot)
        assert form.account.id == original.account_number.account_id
        assert form.query_one(AmountInput).minor == original.amount
        assert form.query_one("#cl-account-number").value == original.counterparty.account_number
        assert form.query_one(RutInput).compact == original.counterparty.holder_id
        assert (
            form.query_one("#cl-institution", Select).value == original.counterparty.institution.id
        )


async def test_new_transfer_from_an_account_selects_it(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await form_of(pilot, settle, currency=None)
        clp = next(a for a in form.accounts if a.currency == "CLP")
        await pilot.press("a")
        await settle(pilot)
        app.new_transfer(clp.id)
        await settle(pilot)
        assert app.screen is form
        assert form.account.id == clp.id and form.has_class("-cl")


async def test_prefilled_screen_applies_its_prefill_when_accounts_arrive(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        accounts = await app.client.list_accounts()
        mxn = next(a for a in accounts if a.currency == "MXN")
        prefill = TransferPrefill(
            account_id=mxn.id,
            account_number="012180000000000015",
            holder_name="Proveedora",
            amount=4321,
            comment="Otra vez",
            metadata={"order": "A-1"},
        )
        form = TransferFormScreen(prefill)
        await app.push_screen(form)
        await settle(pilot)
        assert form.account.id == mxn.id
        request = form.build_request()
        assert request.amount == 4321 and request.comment == "Otra vez"
        assert request.metadata == {"order": "A-1"}
        assert request.counterparty.account_number == "012180000000000015"


async def test_api_errors_land_on_their_field(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await form_of(pilot, settle)
        form.show_api_error(
            InvalidRequestError(
                "invalid CLABE",
                status=400,
                code="invalid_clabe",
                param="counterparty.account_number",
            )
        )
        assert form.query_one(ClabeInput).error == "Invalid CLABE"
        form.show_api_error(
            ConflictError("Insufficient balance", status=409, code="insufficient_balance")
        )
        assert form.query_one(AmountInput).error == "Insufficient balance"
        form.show_api_error(
            InvalidRequestError(
                "too long", status=400, code="invalid_comment_size", param="comment"
            )
        )
        assert form.query_one("#comment").error == "Too long"
        form.show_api_error(
            ConflictError("Duplicated", status=409, code="invalid_duplicated_transfer")
        )
        assert "Fintoc refused the transfer: Duplicated" in str(
            form.query_one("#form-error", Static).content
        )
        assert "fix the CLABE" in reason(form) and "fix the amount" in reason(form)


async def test_metadata_pairs_are_checked_and_sent(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await form_of(pilot, settle)
        metadata = form.query_one(TransferMetadata)
        await pilot.click("#meta-add")
        await pilot.pause()
        rows = list(metadata.query(MetadataRow))
        assert len(rows) == 2
        rows[0].query_one(".meta-key", Input).value = "order"
        rows[0].query_one(".meta-value", Input).value = "A-1"
        rows[1].query_one(".meta-key", Input).value = "order"
        rows[1].query_one(".meta-value", Input).value = "A-2"
        await pilot.pause()
        assert metadata.error == "Metadata key 'order' is used twice"
        assert "fix the metadata" in reason(form)
        rows[1].query_one(".meta-key", Input).value = "batch"
        await pilot.pause()
        assert metadata.error is None and metadata.pairs == {"order": "A-1", "batch": "A-2"}
        assert rows[0].query_one(".meta-key", Input).max_length == 40


async def test_comment_counts_and_stops_at_forty(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await form_of(pilot, settle)
        await pilot.click("#comment Input")
        await pilot.press(*("x" * 45))
        comment = form.query_one("#comment")
        assert comment.value == "x" * 40
        assert str(comment.query_one(".field-note", Static).content) == "40/40 characters"


def live_draft() -> TransferDraft:
    account = Account(
        id="acc_" + "L" * 27,
        mode="live",
        description="Operaciones",
        available_balance=100_000,
        currency="MXN",
        status="active",
    )
    request = TransferRequest(
        amount=12_345,
        currency="MXN",
        account_id=account.id,
        counterparty={"account_number": "012180000000000015"},
    )
    return TransferDraft(
        account=account,
        request=request,
        destination_name="(holder name not given)",
        destination_bank="BBVA México",
        destination_number="012 180 00000000001 5",
        destination_account_type="CLABE",
    )


@pytest.mark.parametrize("with_jws", [False, True])
async def test_live_confirm_needs_attention_and_a_jws_key(make_app, settle, credentials, with_jws):
    from fintoc_tui.api.jws import generate_keypair

    credentials.set_secret_key("live", "sk_live_" + "L1veKeyForT3stsOnly000000", "session")
    if with_jws:
        credentials.set_jws_private_key("live", generate_keypair()[0], "session")
    app = make_app("live")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        confirm = TransferConfirmScreen(live_draft())
        await app.push_screen(confirm)
        await settle(pilot)
        send = confirm.query_one("#send", Button)
        assert send.disabled
        await pilot.press("0", "0", "1", "4")  # wrong last four
        assert send.disabled
        await pilot.press("backspace", "5")  # ...0015: right
        jws_missing = any("must be signed" in r for r in confirm.blockers())
        assert jws_missing is (not with_jws)
        assert send.disabled is (not with_jws)
        if not with_jws:
            confirm.action_send()  # locked: nothing is journaled, nothing sent
            await settle(pilot)
            assert confirm.entry is None
            with Journal() as journal:
                assert journal.entries() == []
        status = str(confirm.query_one("#confirm-status", Static).content)
        assert ("JWS private key" in status) is (not with_jws)
