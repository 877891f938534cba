"""The app as a person runs it: its own client factory and credential store, a real socket.

Every other UI test injects a client factory and a key store; here the app
builds both itself, reads the keys from `FINTOC_TEST_*` variables and the
server from `FINTOC_BASE_URL`, and talks to a sandbox on 127.0.0.1 that
accepts only that key and verifies every transfer's JWS signature.
"""

from __future__ import annotations

import pytest
from ui_helpers import open_confirm, screen_text

from fintoc_tui.masking import mask_key
from fintoc_tui.testing.served_sandbox import ServedSandbox
from fintoc_tui.ui.environment.environment_screen import EnvironmentScreen
from fintoc_tui.ui.transfer.result_screen import TransferResultScreen

CLABE = "012180000000000015"


@pytest.mark.parametrize("jws_as", ["file", "text"])
async def test_a_transfer_from_the_real_app_is_signed_and_accepted(
    served: ServedSandbox, settle, real_app, monkeypatch, jws_as
):
    if jws_as == "text":  # the one-line form a .env file holds
        monkeypatch.delenv("FINTOC_TEST_JWS_PRIVATE_KEY_FILE")
        pem = served.private_pem.decode().replace("\n", "\\n")
        monkeypatch.setenv("FINTOC_TEST_JWS_PRIVATE_KEY", pem)
    app = real_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_confirm(pilot, settle, clabe=CLABE, amount="61.23")
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = app.screen
        assert isinstance(result, TransferResultScreen), screen_text(app)
        assert result.transfer is not None
        # The sandbox refuses an unsigned or wrongly signed transfer (401/400):
        # this row exists only because the app's own client signed it.
        stored = served.store.get("transfers", result.transfer.id)
        assert stored is not None
        assert stored["amount"] == 6123
        assert stored["counterparty"]["account_number"] == CLABE


async def test_the_environment_screen_names_the_variable_the_key_came_from(
    served: ServedSandbox, settle, real_app
):
    app = real_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.client is not None, app.client_problem
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        text = screen_text(app)
        assert f"{mask_key(served.secret_key)}   env FINTOC_TEST_SECRET_KEY" in text, text
        assert "env FINTOC_TEST_JWS_PRIVATE_KEY_FILE" in text
        assert served.secret_key not in text


@pytest.mark.parametrize(
    ("variables", "says"),
    [
        (
            {"FINTOC_TEST_SECRET_KEY": "sk_live_" + "Wr0ngSl0tForThisKey000001"},
            "FINTOC_TEST_SECRET_KEY: That is a live key (sk_live_…0001)",
        ),
        (
            {
                "FINTOC_TEST_SECRET_KEY": "sk_test_" + "Fine1ButTheServerIsNot02",
                "FINTOC_BASE_URL": "http://example.com",
            },
            "FINTOC_BASE_URL is not usable: refusing plain http to example.com in test",
        ),
    ],
    ids=["live key in the test variable", "plain http off this machine"],
)
async def test_a_wrong_variable_is_named_on_screen_not_called_a_bug(
    monkeypatch, settle, real_app, variables, says
):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    app = real_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.client is None
        problem = app.client_problem
        assert problem is not None and problem.title.startswith(says), problem
        assert "went wrong" not in problem.title
        assert says in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        assert says in screen_text(app)
