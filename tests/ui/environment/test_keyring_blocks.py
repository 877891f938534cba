"""A keyring that never answers (a locked Secret Service waiting on a password prompt).

The backend is chosen as a person would choose it, `PYTHON_KEYRING_BACKEND`,
and the app builds its own credential store and client factory; keys come
from `FINTOC_TEST_*` variables and the app talks to a sandbox on a socket
(`fintoc_tui.testing.served_sandbox`). The documented promise: the app
starts, the environment screen says the keyring did not answer within 2 s,
and keys from the environment and from this session keep working.
"""

from __future__ import annotations

import threading

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.compat import properties
from textual.widgets import Input, RadioButton
from ui_helpers import screen_text, text_of

from fintoc_tui.masking import mask_key
from fintoc_tui.ui.environment.card_state import KEYRING_SILENT
from fintoc_tui.ui.environment.environment_screen import EnvironmentScreen
from fintoc_tui.ui.environment.key_dialog import SetKeyDialog

SIZE = (120, 40)


class BlockingKeyring(KeyringBackend):
    """Every call waits until `answer` is set, as a keyring behind an unanswered prompt does.

    Negative priority: defining it must never make `keyring` pick it on its own.
    """

    answer = threading.Event()
    calls = 0

    @properties.classproperty
    def priority(cls) -> float:
        return -1

    def _wait(self) -> None:
        type(self).calls += 1
        type(self).answer.wait()

    def get_password(self, service: str, username: str) -> str | None:
        self._wait()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self._wait()

    def delete_password(self, service: str, username: str) -> None:
        self._wait()


@pytest.fixture
def blocking_keyring(monkeypatch):
    """`PYTHON_KEYRING_BACKEND` names the blocking backend, and `keyring` loads it
    as it does on the first call in a fresh process."""
    previous = keyring.get_keyring()
    BlockingKeyring.answer = threading.Event()
    BlockingKeyring.calls = 0
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", f"{__name__}.BlockingKeyring")
    keyring.core.init_backend()
    assert isinstance(keyring.get_keyring(), BlockingKeyring)
    yield BlockingKeyring
    BlockingKeyring.answer.set()  # let the abandoned daemon threads finish
    keyring.set_keyring(previous)


@pytest.mark.parametrize("jws_in", ["env", "keyring"])
async def test_the_app_starts_and_says_the_keyring_did_not_answer_in_2_s(
    blocking_keyring, served, settle, real_app, monkeypatch, jws_in
):
    if jws_in == "keyring":  # only the secret key in the environment
        monkeypatch.delenv("FINTOC_TEST_JWS_PRIVATE_KEY_FILE")
    app = real_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The key from the environment works whatever the keyring does.
        assert app.client is not None, app.client_problem
        assert "Total MXN" in screen_text(app)

        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        assert blocking_keyring.calls >= 1
        panel = text_of(app, "#keyring-status")
        assert "The keyring did not answer within 2 s." in panel, panel
        assert "Unlock it" in panel and "environment variables" in panel
        test_card = text_of(app, "#info-test")
        assert f"{mask_key(served.secret_key)}   env FINTOC_TEST_SECRET_KEY" in test_card
        assert f"{served.base_url}   env FINTOC_BASE_URL" in test_card
        if jws_in == "keyring":
            assert f"JWS key     {KEYRING_SILENT}" in test_card, test_card
        live_card = text_of(app, "#info-live")
        assert live_card.count(KEYRING_SILENT) == 2, live_card
        assert "connected to Tienda Demo" in text_of(app, "#env-current")
        assert "went wrong" not in screen_text(app)


async def test_with_the_key_in_the_keyring_the_app_says_so_and_a_session_key_connects(
    blocking_keyring, served, settle, real_app, monkeypatch
):
    monkeypatch.delenv("FINTOC_TEST_SECRET_KEY")
    app = real_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.client is None
        problem = app.client_problem
        assert problem is not None
        assert problem.title == "The keyring did not answer within 2 s (read a key).", problem
        assert "Unlock it" in problem.advice
        assert problem.title in screen_text(app)

        await pilot.press("e")
        await settle(pilot)
        await pilot.click("#test-set_key")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SetKeyDialog)
        keyring_option = dialog.query_one("#where-keyring", RadioButton)
        assert keyring_option.disabled and not keyring_option.value
        assert dialog.query_one("#where-session", RadioButton).value
        dialog.query_one("#key-input", Input).value = served.secret_key
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        test_card = text_of(app, "#info-test")
        assert f"{mask_key(served.secret_key)}   this session only" in test_card, test_card
        # Saving it reconnected the environment in use, with that key.
        assert app.client is not None, app.client_problem
        assert "connected to Tienda Demo" in text_of(app, "#env-current")
