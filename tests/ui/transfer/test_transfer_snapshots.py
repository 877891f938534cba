"""Snapshots of the transfer screens at 120x36: seeded sandbox, fixed clock, no cursor blink."""

from __future__ import annotations

import uuid

import pytest
from textual.widgets import Input, Select

from fintoc_tui.api.models import Account, TransferRequest
from fintoc_tui.sandbox.app import DEFAULT_SETTLE_AFTER
from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.confirm_screen import TransferConfirmScreen
from fintoc_tui.ui.transfer.draft import TransferDraft
from fintoc_tui.ui.transfer.form_screen import TransferFormScreen
from fintoc_tui.ui.transfer.rut_input import RutInput

SIZE = (120, 36)


@pytest.fixture(autouse=True)
def fixed_idempotency_keys(monkeypatch):
    """The result screen shows the key; make it the same every run."""
    keys = (uuid.UUID(int=n) for n in range(0xF1A7, 0xF1A7 + 1000))
    monkeypatch.setattr("fintoc_tui.api.submit.uuid.uuid4", lambda: next(keys))


@pytest.fixture
def flow_app(make_app):
    def make(environment="sandbox", **kwargs):
        kwargs.setdefault("remember", False)
        return make_app(environment, **kwargs)

    return make


async def no_blink(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


async def to_form(pilot, settle, currency: str = "MXN") -> TransferFormScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    form = pilot.app.screen
    account = next(a for a in form.accounts if a.currency == currency)
    form.query_one("#source-account", Select).value = account.id
    await settle(pilot)
    return form


def snap(snap_compare, app, run_before) -> bool:
    async def run(pilot):
        await run_before(pilot)
        await no_blink(pilot)

    return snap_compare(app, terminal_size=SIZE, run_before=run)


@pytest.mark.parametrize("currency", ["MXN", "CLP"])
def test_snapshot_empty_form(snap_compare, flow_app, settle, currency):
    async def run(pilot):
        await to_form(pilot, settle, currency)

    assert snap(snap_compare, flow_app(), run)


def test_snapshot_filled_form_with_live_preview(snap_compare, flow_app, settle):
    async def run(pilot):
        form = await to_form(pilot, settle)
        await pilot.click("#clabe Input")
        await pilot.press(*"012180000000000015")
        form.query_one("#mx-holder-name").value = "Proveedora Éxito SA de CV"
        form.query_one("#comment").value = "Factura 2025-118"
        form.query_one("#reference-id").value = "4512"
        await pilot.click("#amount-text")
        await pilot.press(*"12345.6")
        await settle(pilot)

    assert snap(snap_compare, flow_app(), run)


# One snapshot per problem the form reports while typing: (currency, widget, text).
VALIDATION_ERRORS = {
    "amount-too-many-decimals": ("MXN", "#amount-text", "10.505"),
    "amount-decimals-in-clp": ("CLP", "#amount-text", "1500,5"),
    "amount-over-balance": ("MXN", "#amount-text", "99999999"),
    "amount-over-clp-cap": ("CLP", "#amount-text", "7.000.001"),
    "clabe-check-digit": ("MXN", "#clabe Input", "012180000000000016"),
    "clabe-unknown-bank": ("MXN", "#clabe Input", "999"),
    "rut-check-digit": ("CLP", "#rut Input", "12.345.678-4"),
    "reference-id-leading-zero": ("MXN", "#reference-id Input", "0123"),
    "rfc-invalid": ("MXN", "#mx-holder-id Input", "ABC123456XY1"),
}


@pytest.mark.parametrize("name", list(VALIDATION_ERRORS))
def test_snapshot_validation_error(snap_compare, flow_app, settle, name):
    currency, selector, text = VALIDATION_ERRORS[name]

    async def run(pilot):
        form = await to_form(pilot, settle, currency)
        form.query_one(selector, Input).value = text
        await settle(pilot)
        assert form.reasons  # and the submit button says why it is disabled

    assert snap(snap_compare, flow_app(), run)


async def filled_mx(pilot, settle) -> TransferFormScreen:
    form = await to_form(pilot, settle)
    form.query_one(ClabeInput).value = "012180000000000015"
    form.query_one("#mx-holder-name").value = "Proveedora Éxito SA de CV"
    form.query_one(AmountInput).value = "12,345.60"
    form.query_one("#comment").value = "Factura 2025-118"
    form.query_one("#reference-id").value = "4512"
    await settle(pilot)
    return form


def test_snapshot_confirm_in_test_mode(snap_compare, flow_app, settle):
    async def run(pilot):
        form = await filled_mx(pilot, settle)
        form.action_review()
        await settle(pilot)

    assert snap(snap_compare, flow_app(), run)


def test_snapshot_confirm_in_live_mode(snap_compare, flow_app, settle, credentials):
    from fintoc_tui.api.jws import generate_keypair

    credentials.set_secret_key("live", "sk_live_" + "L1veKeyForSnapsh0tsOnly00", "session")
    credentials.set_jws_private_key("live", generate_keypair()[0], "session")
    account = Account(
        id="acc_" + "L" * 27,
        mode="live",
        description="Operaciones MX",
        available_balance=4_250_000_00,
        currency="MXN",
        status="active",
        root_account_number="735969000000203297",
    )
    request = TransferRequest(
        amount=1_234_560,
        currency="MXN",
        account_id=account.id,
        counterparty={"account_number": "012180000000000015", "holder_name": "Proveedora SA"},
        comment="Factura 2025-118",
        reference_id="4512",
    )
    draft = TransferDraft(
        account=account,
        request=request,
        destination_name="Proveedora SA",
        destination_bank="BBVA MEXICO",
        destination_number="012 180 00000000001 5",
        destination_account_type="CLABE",
    )

    async def run(pilot):
        await settle(pilot)
        await pilot.app.push_screen(TransferConfirmScreen(draft))
        await settle(pilot)
        await pilot.press("0", "0")  # half of the last four digits: Send stays locked

    assert snap(snap_compare, flow_app("live"), run)


async def sent(pilot, settle):
    form = await filled_mx(pilot, settle)
    form.action_review()
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)


def test_snapshot_result_pending(snap_compare, flow_app, settle):
    async def run(pilot):
        await sent(pilot, settle)

    assert snap(snap_compare, flow_app(), run)


def test_snapshot_result_succeeded(snap_compare, flow_app, settle, sandbox_clock):
    async def run(pilot):
        await sent(pilot, settle)
        sandbox_clock.advance(DEFAULT_SETTLE_AFTER + 1)
        await pilot.press("r")
        await settle(pilot)

    assert snap(snap_compare, flow_app(), run)


def test_snapshot_result_rejected(snap_compare, flow_app, settle, sandbox_clock):
    """Fintoc's documented test CLABE `012969100000000013`: made, then rejected, money back."""

    async def run(pilot):
        form = await filled_mx(pilot, settle)
        form.query_one(ClabeInput).value = "012969100000000013"
        await settle(pilot)
        form.action_review()
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        sandbox_clock.advance(DEFAULT_SETTLE_AFTER + 1)
        await pilot.press("r")
        await settle(pilot)

    assert snap(snap_compare, flow_app(), run)


def test_snapshot_outcome_unknown(snap_compare, flow_app, settle, sandbox_asgi):
    async def run(pilot):
        faults = sandbox_asgi.state.faults
        faults.methods = frozenset({"POST"})  # the GETs before the send pass untouched
        faults.force_next("drop")
        await sent(pilot, settle)

    assert snap(snap_compare, flow_app(), run)


def test_snapshot_cl_form_filled(snap_compare, flow_app, settle):
    async def run(pilot):
        form = await to_form(pilot, settle, "CLP")
        form.query_one("#cl-account-number").value = "00012345678"
        form.query_one(RutInput).value = "12345678-5"
        form.query_one("#cl-holder-name").value = "Camila Rojas"
        form.query_one("#cl-institution", Select).value = "cl_banco_de_chile"
        form.query_one("#cl-account-type", Select).value = "sight_account"
        form.query_one(AmountInput).value = "1.250.000"
        await settle(pilot)

    assert snap(snap_compare, flow_app(), run)
