"""Issue 11 §1 through the confirm screen: only Fintoc can say no.

The sandbox commits the first attempt and drops the connection; the client's
retries are then answered by something that is not Fintoc (a proxy's HTML or
empty 4xx, nginx's 499, a 302 to a login page: `testing/intermediary.py`).
The screen must end on "outcome unknown" with a retry under the same
idempotency key, the sandbox must hold exactly one new transfer, and
resolving later (from the screen, or from the journal at the next start)
must find that one.
"""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import Button
from ui_helpers import open_confirm, screen_text

from fintoc_tui.api.errors import OutcomeUnknownError, error_from_response
from fintoc_tui.api.submit import JournaledFailure
from fintoc_tui.journal import Journal
from fintoc_tui.testing.intermediary import NOT_FINTOC_ANSWERS, Intermediary
from fintoc_tui.ui.transfer.confirm_screen import TransferConfirmScreen
from fintoc_tui.ui.transfer.journal_recovery import JournalRecoveryScreen, resolve_outcome
from fintoc_tui.ui.transfer.result_screen import TransferResultScreen

#: The answers issue 11 §1 names: six statuses as HTML and empty, and a 302.
CASES = [
    f"{status}-{kind}" for status in (408, 400, 404, 403, 413, 499) for kind in ("html", "empty")
]
CASES.append("302-to-login")
RETRIES = 2


@pytest.fixture
def proxy(sandbox_asgi) -> Intermediary:
    return Intermediary(sandbox_asgi)


@pytest.fixture
def client_factory(proxy, sandbox_clock):
    """Like the shared one, with the intermediary in front of the real sandbox, and the
    client retrying (as in real use) without waiting."""
    from fintoc_tui.api.client import FintocClient, RetryPolicy
    from fintoc_tui.api.jws import JWSSigner

    async def no_wait(_seconds: float) -> None:
        return None

    def factory(environment, secret_key, jws_private_pem):
        signer = JWSSigner.from_pem(jws_private_pem) if jws_private_pem else None
        return FintocClient(
            secret_key,
            base_url=environment.base_url or "http://sandbox.test",
            transport=httpx.ASGITransport(app=proxy),
            jws_signer=signer,
            retry=RetryPolicy(max_attempts=1 + RETRIES),
            clock=sandbox_clock,
            sleep=no_wait,
        )

    return factory


async def outbound_ids(app) -> set[str]:
    return {t.id async for t in app.client.iter_transfers(direction="outbound")}


async def send_into_a_proxy(pilot, settle, sandbox_asgi, proxy, case: str, amount: str):
    """Confirm, Send: the sandbox commits and drops, the proxy answers every retry."""
    app = pilot.app
    confirm = await open_confirm(pilot, settle, amount=amount)
    before = await outbound_ids(app)
    sandbox_asgi.state.faults.methods = frozenset({"POST"})
    sandbox_asgi.state.faults.force_next("drop")
    proxy.script(None, *[NOT_FINTOC_ANSWERS[case]] * RETRIES)
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert proxy.pending == 0 and proxy.answered == RETRIES
    return confirm, before


@pytest.mark.parametrize("case", CASES)
async def test_a_non_fintoc_answer_after_a_commit_ends_unknown_and_resolves_to_the_one_transfer(
    make_app, settle, sandbox_asgi, proxy, case
):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        confirm, before = await send_into_a_proxy(
            pilot, settle, sandbox_asgi, proxy, case, "321.09"
        )
        result = app.screen
        assert isinstance(result, TransferResultScreen), str(
            confirm.query_one("#confirm-status").content
        )
        assert result.transfer is None
        assert str(result.query_one("#result-status").content) == "unknown"
        shown = screen_text(app)
        assert "refused" not in shown.lower() and "Not sent" not in shown
        retry = result.query_one("#retry", Button)
        assert retry.display and not retry.disabled and "same key" in str(retry.label)
        key = confirm.entry.idempotency_key
        assert key in shown  # the key the retry will use, on screen
        with Journal() as journal:
            entry = journal.get(key)
        assert entry is not None and entry.state == "unknown"
        made = (await outbound_ids(app)) - before
        assert len(made) == 1  # the sandbox committed the first attempt, once

        await pilot.press("ctrl+r")  # resolve with the same key, through the proxy again
        await settle(pilot)
        assert result.transfer is not None and {result.transfer.id} == made
        assert result.transfer.amount == 32109
        assert (await outbound_ids(app)) - before == made
        with Journal() as journal:
            assert journal.get(key).state == "succeeded"
            assert journal.unresolved("sandbox") == []


@pytest.mark.parametrize("case", ["499-empty", "302-to-login"])
async def test_the_journal_at_the_next_start_resolves_it_to_the_one_transfer(
    make_app, settle, sandbox_asgi, proxy, case
):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        _confirm, before = await send_into_a_proxy(
            pilot, settle, sandbox_asgi, proxy, case, "45.67"
        )
        assert isinstance(app.screen, TransferResultScreen)
        made = (await outbound_ids(app)) - before
        assert len(made) == 1
    app = make_app()  # the next start: the same FINTOC_TUI_HOME, so the same journal
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, JournalRecoveryScreen)
        (key,) = dialog.entries
        assert "unknown" in str(dialog._outcome_text(key))
        await pilot.click("#resolve")
        await settle(pilot)
        (made_id,) = made
        assert dialog.outcomes[key] == f"made: {made_id} (pending)"
        assert (await outbound_ids(app)) - before == made


async def test_a_302_on_the_first_attempt_is_unknown_not_not_sent(make_app, settle, proxy):
    """A redirect that kept the request: nothing made, yet only Fintoc could have said so."""
    from fintoc_tui.testing.intermediary import redirect

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        confirm = await open_confirm(pilot, settle, amount="12.34")
        before = await outbound_ids(app)
        proxy.script(*[redirect(302)] * (1 + RETRIES))
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = app.screen
        assert isinstance(result, TransferResultScreen)
        assert str(result.query_one("#result-status").content) == "unknown"
        assert not isinstance(app.screen, TransferConfirmScreen)
        assert await outbound_ids(app) == before
        await pilot.press("ctrl+r")  # the proxy steps aside: resolving makes it now, once
        await settle(pilot)
        assert result.transfer is not None
        assert (await outbound_ids(app)) - before == {result.transfer.id}
        assert confirm.entry is not None


def _fintoc(kind: str, code: str) -> bytes:
    import json

    return json.dumps({"error": {"type": kind, "code": code, "message": "Fintoc says no"}}).encode()


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        # Fintoc's own refusals, in its envelope: definite.
        (
            lambda: error_from_response(
                422,
                _fintoc("invalid_request_error", "invalid_amount"),
                content_type="application/json",
            ),
            "not made: Fintoc says no",
        ),
        (
            lambda: error_from_response(
                401,
                _fintoc("authentication_error", "invalid_api_key"),
                content_type="application/json",
            ),
            "not made: Fintoc says no",
        ),
        (
            lambda: error_from_response(
                409,
                _fintoc("invalid_request_error", "insufficient_balance"),
                content_type="application/json",
            ),
            "not made: Fintoc says no",
        ),
        (
            lambda: JournaledFailure("Fintoc refused it earlier"),
            "not made: Fintoc refused it earlier",
        ),
        # A status Fintoc also uses, from something else: nothing is settled.
        (
            lambda: error_from_response(400, b"<html>Bad</html>", content_type="text/html"),
            "still unknown",
        ),
        (lambda: error_from_response(404, b"", content_type=None), "still unknown"),
        (lambda: OutcomeUnknownError("x", idempotency_key="k"), "still unknown: try again later"),
    ],
    ids=["422", "401", "409", "journaled", "400-html", "404-empty", "unknown"],
)
def test_the_journal_says_not_made_only_for_fintocs_own_refusal(error, outcome):
    assert resolve_outcome(None, error()).startswith(outcome)
