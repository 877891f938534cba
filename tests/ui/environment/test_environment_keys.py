"""The environment screen driven by its keys alone (u c k d g i D r, j/down and up).

tests/ui/test_environment.py clicks buttons; a person mostly presses keys,
so every test here uses `pilot.press` only: no clicks, no widget values set
by hand. The keyring is in memory (tests/ui/conftest.py); the sandbox runs in
process, and the test and live environments reach it too.
"""

from __future__ import annotations

from ui_helpers import screen_text, text_of

from fintoc_tui.api.jws import fingerprint, public_pem_from_private
from fintoc_tui.credentials import SERVICE
from fintoc_tui.testing.deterministic_keys import deterministic_private_pem
from fintoc_tui.ui.environment.card_text import CARD_TITLES, ENV_ORDER
from fintoc_tui.ui.environment.environment_screen import EnvironmentScreen
from fintoc_tui.ui.environment.jws_dialog import JWSKeyDialog
from fintoc_tui.ui.environment.key_dialog import SetKeyDialog
from fintoc_tui.ui.environment.live_dialog import LiveConfirmDialog
from fintoc_tui.ui.environment.public_key_dialog import PublicKeyDialog
from fintoc_tui.ui.widgets.confirm_dialog import ConfirmDialog

SIZE = (120, 36)
TEST_KEY = "sk_test_" + "Keyb0ardOnlyTestKey00000xY7q"
LIVE_KEY = "sk_live_" + "Keyb0ardOnlyLiveKey00000zW3r"
FIXED_JWS_PEM = deterministic_private_pem(11).decode()
FIXED_FINGERPRINT = fingerprint(public_pem_from_private(FIXED_JWS_PEM))


def marked(app) -> list[str]:
    """The cards whose title carries the ▶ marker (the one the keys act on)."""
    return [
        name
        for name in ENV_ORDER
        if str(app.screen.query_one(f"#card-{name}").border_title).startswith("▶ ")
    ]


async def open_environment(app, pilot, settle) -> None:
    await settle(pilot)
    if not isinstance(app.screen, EnvironmentScreen):
        await pilot.press("e")
        await settle(pilot)
    assert isinstance(app.screen, EnvironmentScreen)


async def go_to_card(app, pilot, name: str) -> None:
    """Press j until `name` is the marked card (at most once round the three)."""
    for _ in ENV_ORDER:
        if marked(app) == [name]:
            return
        await pilot.press("j")
    assert marked(app) == [name]


# --- moving between cards -------------------------------------------------------------------


async def test_j_down_and_up_move_the_marker_round_the_cards(make_app, settle):
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        assert marked(app) == ["sandbox"]
        await pilot.press("j")
        assert marked(app) == ["test"]
        assert app.screen.focused.id == "test-use"
        await pilot.press("down")
        assert marked(app) == ["live"]
        await pilot.press("j")  # wraps
        assert marked(app) == ["sandbox"]
        await pilot.press("up")
        assert marked(app) == ["live"]
        card = app.screen.query_one("#card-live")
        assert card.has_class("-target")
        assert str(card.border_title) == f"▶ {CARD_TITLES['live']}"
        others = [app.screen.query_one(f"#card-{name}") for name in ("sandbox", "test")]
        assert not any(other.has_class("-target") for other in others)


# --- k sets a key, d deletes it -----------------------------------------------------------------


async def test_k_sets_a_key_and_d_deletes_it(make_app, settle, memory, credentials):
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await go_to_card(app, pilot, "test")
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, SetKeyDialog)
        await pilot.press(*TEST_KEY)
        assert "✓ sk_test_…xY7q" in text_of(app, "#key-problem")
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, EnvironmentScreen)
        assert memory.get_password(SERVICE, "test/secret_key") == TEST_KEY
        assert "sk_test_…xY7q" in text_of(app, "#info-test")
        assert memory.get_password(SERVICE, "live/secret_key") is None

        # d asks first; Enter on the focused Cancel keeps the key.
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.focused.id == "cancel"
        await pilot.press("enter")
        await settle(pilot)
        assert credentials.secret_key("test") is not None

        await pilot.press("d")
        await pilot.pause()
        await pilot.press("tab")
        assert app.screen.focused.id == "confirm"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        assert memory.get_password(SERVICE, "test/secret_key") is None
        assert credentials.secret_key("test") is None
        assert "not set" in text_of(app, "#info-test")


async def test_k_on_the_sandbox_card_explains_there_is_nothing_to_set(make_app, settle, memory):
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        assert marked(app) == ["sandbox"]
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)  # no dialog
        assert any("nothing to set" in n.message for n in app._notifications)
        assert memory.get_password(SERVICE, "test/secret_key") is None


# --- c checks, u uses -------------------------------------------------------------------------------


async def test_c_checks_the_marked_card_without_switching(
    make_app, settle, credentials, sandbox_secret_key
):
    credentials.set_secret_key("test", sandbox_secret_key, "session")
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await go_to_card(app, pilot, "test")
        assert text_of(app, "#check-test") == "Not checked yet — press c."
        await pilot.press("c")
        await settle(pilot)
        check = text_of(app, "#check-test")
        assert check.startswith("✓ Tienda Demo SpA") and "· test mode ·" in check
        assert app.environment is None
        assert "nothing yet" in text_of(app, "#env-current")

        await pilot.press("j")
        await pilot.press("c")
        await settle(pilot)
        assert "No LIVE secret key is set" in text_of(app, "#check-live")
        assert text_of(app, "#check-sandbox") == "Not checked yet — press c."


async def test_u_switches_between_sandbox_and_test(make_app, settle, credentials):
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await pilot.press("u")
        await settle(pilot)
        assert app.environment.name == "sandbox"
        assert app.client is not None
        assert text_of(app, "#env-current").startswith("In use: SANDBOX — connected to ")

        await go_to_card(app, pilot, "test")
        await pilot.press("u")
        await settle(pilot)
        assert app.environment.name == "test"
        assert app.client is None
        line = text_of(app, "#env-current")
        assert "not connected: No secret key is set up for TEST." in line
        check = text_of(app, "#check-test")
        assert "Press k to set one here" in check and "Press e" not in check


async def test_u_into_live_cannot_skip_the_typed_word(make_app, settle, credentials):
    credentials.set_secret_key("test", TEST_KEY, "keyring")
    credentials.set_secret_key("live", LIVE_KEY, "keyring")
    app = make_app("test")
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await go_to_card(app, pilot, "live")
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, LiveConfirmDialog)

        # Enter with nothing typed, a wrong word, or the Switch button by Tab: all stay.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LiveConfirmDialog)
        assert "nothing has changed" in text_of(app, "#confirm-problem")
        await pilot.press(*"yes", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LiveConfirmDialog)
        await pilot.press("tab", "tab")
        assert app.screen.focused.id == "confirm"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LiveConfirmDialog)
        assert app.environment.name == "test"

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        assert app.environment.name == "test"

        # Only the word itself switches.
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, LiveConfirmDialog)
        await pilot.press(*"live", "enter")
        await settle(pilot)
        assert app.environment.name == "live"
        assert text_of(app, "#env-current").startswith("In use: LIVE")


# --- g generates a JWS pair, i imports one, D deletes it -------------------------------------------


async def test_g_generates_a_pair_and_shows_the_public_half(make_app, settle, memory):
    def fixed_pair():
        return FIXED_JWS_PEM.encode(), public_pem_from_private(FIXED_JWS_PEM)

    app = make_app(None, jws_keypairs=fixed_pair)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await go_to_card(app, pilot, "test")
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, JWSKeyDialog)
        assert app.screen.focused.id == "go"
        await pilot.press("enter")
        await settle(pilot)

        dialog = app.screen
        assert isinstance(dialog, PublicKeyDialog)
        assert memory.get_password(SERVICE, "test/jws_private_key") == FIXED_JWS_PEM
        shown = screen_text(app)
        assert "Private key kept in the in-memory keyring (MemoryKeyring" in shown
        assert FIXED_FINGERPRINT in shown
        assert FIXED_JWS_PEM.splitlines()[1] not in shown

        await pilot.press("enter")  # Done
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        assert FIXED_FINGERPRINT in text_of(app, "#info-test")


async def test_i_imports_a_pem_typed_as_a_path(make_app, settle, credentials, tmp_path):
    good = tmp_path / "private_key.pem"
    good.write_text(FIXED_JWS_PEM)
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await go_to_card(app, pilot, "live")

        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, JWSKeyDialog)
        await pilot.press(*str(tmp_path / "missing.pem"), "enter")
        await settle(pilot)
        assert isinstance(app.screen, JWSKeyDialog)
        assert "cannot be read" in text_of(app, "#jws-problem")
        await pilot.press("escape")
        await settle(pilot)
        assert credentials.jws_private_key("live") is None

        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(good), "enter")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        assert credentials.jws_private_key("live").secret() == FIXED_JWS_PEM
        assert credentials.jws_private_key("test") is None
        assert FIXED_FINGERPRINT in text_of(app, "#info-live")


async def test_shift_d_deletes_only_the_jws_key(make_app, settle, memory, credentials):
    credentials.set_secret_key("test", TEST_KEY, "keyring")
    credentials.set_jws_private_key("test", FIXED_JWS_PEM, "keyring")
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await go_to_card(app, pilot, "test")
        assert FIXED_FINGERPRINT in text_of(app, "#info-test")
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.title_text == "Delete the JWS private key?"
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert memory.get_password(SERVICE, "test/jws_private_key") is None
        assert memory.get_password(SERVICE, "test/secret_key") == TEST_KEY
        info = text_of(app, "#info-test")
        assert FIXED_FINGERPRINT not in info and "sk_test_…xY7q" in info


# --- r re-reads the slots -----------------------------------------------------------------------


async def test_r_rereads_keys_changed_elsewhere(make_app, settle, credentials):
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        assert "not set" in text_of(app, "#info-live").splitlines()[0]
        credentials.set_secret_key("live", LIVE_KEY, "session")  # e.g. from the palette
        await pilot.press("r")
        await settle(pilot)
        assert "sk_live_…zW3r" in text_of(app, "#info-live")
        assert "this session only" in text_of(app, "#info-live")
