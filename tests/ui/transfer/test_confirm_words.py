"""The confirm screen's words (issue 11 §1 and §4): who got the request, and no jargon."""

from __future__ import annotations

from textual.widgets import Button, Static
from ui_helpers import open_confirm

SIZE = (120, 36)


def status(confirm) -> str:
    return str(confirm.query_one("#confirm-status", Static).content)


async def test_before_sending_it_says_plainly_what_send_does(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        confirm = await open_confirm(pilot, settle)
        said = status(confirm)
        assert said.startswith("Nothing has been sent yet.")
        assert "journals" not in said and "without paying twice" in said


async def test_a_rate_limit_says_fintoc_got_it_and_declined_for_now(make_app, settle, sandbox_asgi):
    """Fintoc's own 429: it got the request; "did not get the request" would be untrue."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        confirm = await open_confirm(pilot, settle)
        sandbox_asgi.state.faults.methods = frozenset({"POST"})
        sandbox_asgi.state.faults.force_next("rate_limit")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is confirm
        said = status(confirm)
        assert "Fintoc got the request and declined it for now" in said
        assert "did not get the request" not in said
        assert "nothing was made" in said and "same idempotency key" in said
        assert str(confirm.query_one("#send", Button).label) == "Retry (same key)"


async def test_a_dropped_network_says_fintoc_did_not_get_it(make_app, settle, network):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        confirm = await open_confirm(pilot, settle)
        network.offline = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = status(confirm)
        assert said.startswith("Not sent: ")
        assert "Fintoc did not get the request, so nothing was made" in said
