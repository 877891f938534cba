"""The whole transfer path against the in-process sandbox, driven with Pilot.

Time moves only when a test advances the sandbox's ManualClock; waits are on
workers (`settle`), never sleeps.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button, Select

from fintoc_tui.sandbox.app import DEFAULT_SETTLE_AFTER
from fintoc_tui.sandbox.magic import MAGIC_COUNTERPARTIES
from fintoc_tui.ui.screens.journal_recovery import JournalRecoveryScreen
from fintoc_tui.ui.screens.transfer_confirm import TransferConfirmScreen
from fintoc_tui.ui.screens.transfer_form import TransferFormScreen
from fintoc_tui.ui.screens.transfer_result import TransferResultScreen
from fintoc_tui.ui.widgets.amount_input import AmountInput
from fintoc_tui.ui.widgets.clabe_input import ClabeInput
from fintoc_tui.ui.widgets.magic_picker import MagicPicker


@pytest.fixture
def clocked_factory(network, sandbox_clock):
    """Like the shared `client_factory`, but the client signs with the sandbox's clock.

    The sandbox checks the JWS `ts` against its ManualClock (fixed in 2025), so
    a signature stamped with the wall clock is refused as too old.
    """
    from fintoc_tui.api.client import FintocClient, RetryPolicy
    from fintoc_tui.api.jws import JWSSigner

    def factory(environment, secret_key, jws_private_pem):
        signer = JWSSigner.from_pem(jws_private_pem) if jws_private_pem else None
        return FintocClient(
            secret_key,
            base_url=environment.base_url or "http://sandbox.test",
            transport=network,
            jws_signer=signer,
            retry=RetryPolicy(max_attempts=1),
            clock=sandbox_clock,
        )

    return factory


@pytest.fixture
def flow_app(make_app, clocked_factory):
    def make(environment="sandbox", **kwargs):
        kwargs.setdefault("client_factory", clocked_factory)
        return make_app(environment, **kwargs)

    return make


async def open_form(pilot, settle, currency: str = "MXN") -> TransferFormScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, TransferFormScreen)
    account = next(a for a in form.accounts if a.currency == currency)
    form.query_one("#source-account", Select).value = account.id
    await pilot.pause()
    assert form.account is not None and form.account.currency == currency
    return form


async def type_into(pilot, selector: str, text: str) -> None:
    await pilot.click(selector)
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def sandbox_transfers(app) -> list[Any]:
    return await app.client.list_transfers()


async def outbound_ids(app) -> set[str]:
    page = [t async for t in app.client.iter_transfers(direction="outbound")]
    return {t.id for t in page}


async def test_type_confirm_and_watch_pending_become_succeeded(flow_app, settle, sandbox_clock):
    app = flow_app()
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, settle)
        before = await outbound_ids(app)
        await type_into(pilot, "#clabe Input", "012180000000000015")
        await type_into(pilot, "#amount-text", "1234.56")
        assert form.query_one(AmountInput).minor == 123456
        assert not form.reasons
        await pilot.click("#review")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, TransferConfirmScreen)
        assert confirm.draft.request.amount == 123456
        await pilot.click("#send")
        await settle(pilot)
        result = app.screen
        assert isinstance(result, TransferResultScreen), (confirm.busy, confirm.entry, str(confirm.query_one("#confirm-status").content))
        assert result.transfer.status == "pending"
        sandbox_clock.advance(DEFAULT_SETTLE_AFTER + 1)
        await pilot.press("r")
        await settle(pilot)
        assert result.transfer.status == "succeeded"
        assert result.status_changes == [("pending", "succeeded")]
        after = await outbound_ids(app)
        assert after - before == {result.transfer.id}
