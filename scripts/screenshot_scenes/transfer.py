"""Screenshots of making a transfer: the form, its live checks, confirm, result, unknown outcome."""

from __future__ import annotations

from typing import Any

from scripts.screenshots import Scene, settle


def _drop_next_post(stage: Any) -> None:
    faults = stage.asgi.state.faults
    faults.methods = frozenset({"POST"})
    faults.force_next("drop")


async def _form(pilot: Any, currency: str = "MXN") -> Any:
    from textual.widgets import Select

    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    form = pilot.app.screen
    account = next(a for a in form.accounts if a.currency == currency)
    form.query_one("#source-account", Select).value = account.id
    await settle(pilot)
    return form


async def _filled(pilot: Any, stage: Any) -> Any:
    form = await _form(pilot)
    await pilot.click("#clabe Input")
    await pilot.press(*"012180000000000015")
    form.query_one("#mx-holder-name").value = "Proveedora Éxito SA de CV"
    form.query_one("#comment").value = "Factura 2025-118"
    form.query_one("#reference-id").value = "4512"
    await pilot.click("#amount-text")
    await pilot.press(*"12345.6")
    await settle(pilot)
    return form


async def _cl_error(pilot: Any, stage: Any) -> None:
    form = await _form(pilot, "CLP")
    form.query_one("#cl-account-number").value = "00012345678"
    form.query_one("#rut Input").value = "12.345.678-4"
    form.query_one("#cl-holder-name").value = "Camila Rojas"
    await pilot.click("#amount-text")
    await pilot.press(*"7.500.000")
    await settle(pilot)


async def _confirm(pilot: Any, stage: Any) -> None:
    form = await _filled(pilot, stage)
    form.action_review()
    await settle(pilot)


async def _sent(pilot: Any, stage: Any) -> None:
    await _confirm(pilot, stage)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def _succeeded(pilot: Any, stage: Any) -> None:
    from fintoc_tui.sandbox.app import DEFAULT_SETTLE_AFTER

    await _sent(pilot, stage)
    stage.clock.advance(DEFAULT_SETTLE_AFTER + 1)
    await pilot.press("r")
    await settle(pilot)


async def _rejected(pilot: Any, stage: Any) -> None:
    """Fintoc's documented test CLABE: the transfer is made, then rejected; money back."""
    from fintoc_tui.sandbox.app import DEFAULT_SETTLE_AFTER

    form = await _filled(pilot, stage)
    form.query_one("#clabe Input").value = "012969100000000013"
    await settle(pilot)
    form.action_review()
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)
    stage.clock.advance(DEFAULT_SETTLE_AFTER + 1)
    await pilot.press("r")
    await settle(pilot)


async def _verified(pilot: Any, stage: Any) -> None:
    """F3 on the filled form: confirmed, followed, the registered holder matches the typed one."""
    from fintoc_tui.sandbox.app import DEFAULT_SETTLE_AFTER
    from fintoc_tui.ui.transfer.account_verifier import AccountVerifier

    form = await _filled(pilot, stage)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.click("#verify-confirm")
    await settle(pilot)
    stage.clock.advance(DEFAULT_SETTLE_AFTER + 1)
    form.query_one(AccountVerifier).poll()
    await settle(pilot)


async def _verify_dialog(pilot: Any, stage: Any) -> None:
    await _filled(pilot, stage)
    await pilot.press("f3")
    await settle(pilot)


SCENES = [
    Scene(
        "transfer-form",
        _filled,
        description="new transfer (MX): CLABE checked, bank named, amount previewed live",
    ),
    Scene(
        "transfer-form-cl-errors",
        _cl_error,
        description="new transfer (CL): a wrong RUT and an amount over the 7,000,000 CLP cap",
    ),
    Scene(
        "transfer-verify-dialog",
        _verify_dialog,
        description="F3: verifying the CLABE costs $0.01 MXN, so it asks first",
    ),
    Scene(
        "transfer-verified",
        _verified,
        description="the CLABE's registered holder, beside the typed name (case and accents aside)",
    ),
    Scene(
        "transfer-confirm",
        _confirm,
        description="confirm: everything restated, the amount from the integer",
    ),
    Scene(
        "transfer-result",
        _succeeded,
        description="result: followed from pending to succeeded",
    ),
    Scene(
        "transfer-result-rejected",
        _rejected,
        description="result: 012969100000000013, Fintoc's test CLABE, made then rejected",
    ),
    Scene(
        "transfer-outcome-unknown",
        _sent,
        setup=_drop_next_post,
        description="the connection dropped after commit: unknown, retry with the same key",
    ),
]
