"""The form's "Verify account": asks first, costs $0.01 MXN, shows the registered holder, edits nothing."""

from __future__ import annotations

import pytest
from textual.widgets import Select

from fintoc_tui.sandbox import verifications
from fintoc_tui.transfer.holder_match import compare_holders, holder_key
from fintoc_tui.ui.transfer.account_verifier import IDLE_NOTE, AccountVerifier
from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.form_screen import TransferFormScreen
from fintoc_tui.ui.transfer.transfer_field import TransferField
from fintoc_tui.ui.transfer.verify_dialog import VerifyAccountDialog

SIZE = (120, 36)
CLABE = "646180000000000054"


async def form_of(pilot, settle, currency: str = "MXN") -> TransferFormScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, TransferFormScreen)
    account = next(a for a in form.accounts if a.currency == currency)
    form.query_one("#source-account", Select).value = account.id
    await pilot.pause()
    return form


def typed(form: TransferFormScreen) -> dict[str, str]:
    return {
        "clabe": form.query_one(ClabeInput).value,
        "holder": form.query_one("#mx-holder-name", TransferField).value,
        "amount": form.query_one(AmountInput).value,
    }


async def fill(pilot, form, *, holder: str) -> None:
    form.query_one(ClabeInput).value = CLABE
    form.query_one("#mx-holder-name", TransferField).value = holder
    form.query_one(AmountInput).value = "1,234.50"
    await pilot.pause()


def mxn_balance(store) -> int:
    return next(
        balance
        for account_id, balance in store.balances().items()
        if store.get("accounts", account_id)["currency"] == "MXN"
    )


async def verify(pilot, settle, *, confirm: bool = True) -> None:
    await pilot.press("f3")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, VerifyAccountDialog)
    await pilot.click("#verify-confirm" if confirm else "#verify-cancel")
    await settle(pilot)


async def test_f3_asks_then_follows_the_verification_and_says_the_holder_matches(
    make_app, settle, sandbox_store, sandbox_clock
):
    name, rfc = verifications.registered_holder(CLABE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await form_of(pilot, settle)
        # Typed in other case and without accents: still the same name.
        shouted = holder_key(name).upper()
        await fill(pilot, form, holder=shouted)
        before = typed(form), mxn_balance(sandbox_store)
        verifier = form.query_one(AccountVerifier)
        assert verifier.result_text == IDLE_NOTE

        await verify(pilot, settle)
        assert app.screen is form
        assert mxn_balance(sandbox_store) == before[1] - 1  # $0.01 MXN
        assert verifier.verification.status == "pending" and verifier.polling
        assert "Verifying 646 180" in verifier.result_text

        sandbox_clock.advance(5)
        verifier.poll()  # what the timer calls
        await settle(pilot)
        assert verifier.verification.status == "succeeded" and not verifier.polling
        assert verifier.result_text == (
            f"✓ 646 180 00000000005 4 is registered to {name} · RFC {rfc}: "
            "the same as the typed name."
        )
        assert typed(form) == before[0]  # nothing typed was touched

        form.query_one("#mx-holder-name", TransferField).value = "Otra Persona"
        await pilot.pause()
        assert "not “Otra Persona” as typed: check with the recipient" in verifier.result_text


async def test_cancel_sends_nothing(make_app, settle, sandbox_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await form_of(pilot, settle)
        await fill(pilot, form, holder="")
        before = mxn_balance(sandbox_store)
        await verify(pilot, settle, confirm=False)
        assert mxn_balance(sandbox_store) == before
        assert form.query_one(AccountVerifier).result_text == IDLE_NOTE
        assert sandbox_store.count("account_verifications") == 0


async def test_a_magic_clabe_that_fails_says_why(make_app, settle, sandbox_clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await form_of(pilot, settle)
        form.query_one(ClabeInput).value = "014180000000000026"
        await pilot.pause()
        await verify(pilot, settle)
        sandbox_clock.advance(5)
        verifier = form.query_one(AccountVerifier)
        verifier.poll()
        await settle(pilot)
        assert verifier.result_text.startswith(
            "✗ 014 180 00000000002 6 could not be verified (transfer_failed)"
        )
        assert "Check the CLABE with the recipient." in verifier.result_text


async def test_no_valid_clabe_no_dialog(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await form_of(pilot, settle)
        form.query_one(ClabeInput).value = "6461800000"
        await pilot.pause()
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one(AccountVerifier).result_text.startswith("Type a valid 18-digit CLABE")


async def test_chile_says_verification_is_mexico_only(make_app, settle, sandbox_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await form_of(pilot, settle, "CLP")
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen is form
        [toast] = list(app._notifications)
        assert "only for Mexican CLABEs" in toast.message
        assert sandbox_store.count("account_verifications") == 0


async def test_the_palette_command_runs_it(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await form_of(pilot, settle)
        form.query_one(ClabeInput).value = CLABE
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.press(*"verify account")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VerifyAccountDialog)


@pytest.mark.parametrize(
    ("typed_name", "registered", "match"),
    [
        ("José Pérez", "JOSE PEREZ", "same"),
        ("  jose   perez. ", "José Pérez", "same"),
        ("Íñigo Núñez", "INIGO NUNEZ", "same"),
        ("Jose Perez", "Josefa Perez", "differs"),
        ("", "José Pérez", "not_typed"),
        ("  ", "José Pérez", "not_typed"),
    ],
)
def test_holder_names_compare_without_case_or_accents(typed_name, registered, match):
    assert compare_holders(typed_name, registered) == match


def test_snapshot_verified_account(snap_compare, make_app, settle, sandbox_clock):
    async def verified(pilot):
        form = await form_of(pilot, settle)
        await fill(pilot, form, holder="Alguien Distinto")
        await verify(pilot, settle)
        sandbox_clock.advance(5)
        form.query_one(AccountVerifier).poll()
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=verified)


def test_snapshot_verify_dialog(snap_compare, make_app, settle):
    async def asking(pilot):
        form = await form_of(pilot, settle)
        await fill(pilot, form, holder="")
        await pilot.press("f3")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=asking)


def test_snapshot_verified_account_80x24(snap_compare, make_app, settle, sandbox_clock):
    async def verified(pilot):
        form = await form_of(pilot, settle)
        await fill(pilot, form, holder="")
        await verify(pilot, settle)
        sandbox_clock.advance(5)
        form.query_one(AccountVerifier).poll()
        await settle(pilot)
        form.query_one(AccountVerifier).scroll_visible(animate=False)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=verified)
