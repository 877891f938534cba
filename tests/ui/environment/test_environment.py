"""The environment screen: keys, provenance, checks, JWS keys and the live guard.

Against the seeded in-process sandbox (tests/ui/conftest.py) with an
in-memory keyring, or with no keyring backend at all (`fail.Keyring`, what
this machine and a headless Linux box have).
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from keyring.backends import fail
from textual.widgets import Input, RadioButton, TextArea
from ui_helpers import screen_text, text_of

from fintoc_tui import paths
from fintoc_tui.api.jws import fingerprint, public_pem_from_private
from fintoc_tui.credentials import SERVICE, CredentialStore
from fintoc_tui.keyring_memory import MemoryKeyring
from fintoc_tui.testing.deterministic_keys import deterministic_private_pem
from fintoc_tui.ui.environment.environment_screen import EnvironmentScreen
from fintoc_tui.ui.environment.jws_dialog import JWSKeyDialog
from fintoc_tui.ui.environment.key_dialog import SetKeyDialog
from fintoc_tui.ui.environment.live_dialog import LiveConfirmDialog
from fintoc_tui.ui.environment.public_key_dialog import PublicKeyDialog
from fintoc_tui.ui.shell.sandbox_link import SandboxInfo
from fintoc_tui.ui.widgets.confirm_dialog import ConfirmDialog

SIZE = (120, 36)
TEST_KEY = "sk_test_" + "Env1ronmentScr33nTestKey0gD3g"
LIVE_KEY = "sk_live_" + "Env1ronmentScr33nLiveKey04H2a"

# A throwaway RSA key made for these tests only, fixed so fingerprints (and so
# snapshots) do not change from run to run. It signs nothing real.
FIXED_JWS_PEM = deterministic_private_pem(7).decode()


@pytest.fixture
def sandbox_jws_keys(tmp_path):
    """The sandbox's demo key pair, fixed (overrides the random one in conftest)."""
    path = tmp_path / "sandbox_jws.pem"
    path.write_text(FIXED_JWS_PEM)
    return path, public_pem_from_private(FIXED_JWS_PEM)


async def open_environment(app, pilot, settle):
    if not isinstance(app.screen, EnvironmentScreen):
        await pilot.press("e")
    await settle(pilot)
    assert isinstance(app.screen, EnvironmentScreen)


# --- set, replace, delete -------------------------------------------------------------------


async def test_set_and_delete_a_key_in_the_keyring(make_app, settle, memory, credentials):
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        assert "not set" in text_of(app, "#info-test")

        await pilot.click("#test-set_key")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SetKeyDialog)
        assert dialog.query_one("#where-keyring", RadioButton).value is True
        key_input = dialog.query_one("#key-input", Input)
        assert key_input.password
        key_input.value = TEST_KEY
        await pilot.pause()
        assert "sk_test_…gD3g" in text_of(app, "#key-problem")
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, EnvironmentScreen)
        assert memory.get_password(SERVICE, "test/secret_key") == TEST_KEY
        info = text_of(app, "#info-test")
        assert "sk_test_…gD3g" in info and "keyring (MemoryKeyring)" in info
        assert TEST_KEY not in screen_text(app)

        await pilot.click("#test-delete_key")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm")
        await settle(pilot)
        assert memory.get_password(SERVICE, "test/secret_key") is None
        assert credentials.secret_key("test") is None
        assert "not set" in text_of(app, "#info-test")


async def test_a_key_with_the_wrong_prefix_is_refused_before_saving(make_app, settle, memory):
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await pilot.click("#test-set_key")
        await pilot.pause()
        app.screen.query_one("#key-input", Input).value = LIVE_KEY
        await pilot.pause()
        assert "That is a live key (sk_live_…4H2a)" in text_of(app, "#key-problem")
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, SetKeyDialog)  # still open, nothing saved
        assert memory.get_password(SERVICE, "test/secret_key") is None
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        assert "not set" in text_of(app, "#info-test")


async def test_without_a_keyring_the_screen_says_so_and_session_keys_work(make_app, settle):
    store = CredentialStore(fail.Keyring(), env={})
    app = make_app(None, credentials=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        panel = text_of(app, "#keyring-status")
        assert "No OS keyring backend is available" in panel
        assert "PYTHON_KEYRING_BACKEND" in panel and "FINTOC_TEST_SECRET_KEY" in panel

        await pilot.click("#test-set_key")
        await pilot.pause()
        dialog = app.screen
        keyring_option = dialog.query_one("#where-keyring", RadioButton)
        assert keyring_option.disabled and not keyring_option.value
        assert dialog.query_one("#where-session", RadioButton).value
        dialog.query_one("#key-input", Input).value = TEST_KEY
        await pilot.press("enter")
        await settle(pilot)
        assert store.secret_key("test").source == "this session only"
        assert "this session only" in text_of(app, "#info-test")


# --- switching, and the live guard -------------------------------------------------------------


async def test_switching_environment_from_the_screen(make_app, settle, credentials):
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        assert app.environment is None
        await pilot.click("#test-use")
        await settle(pilot)
        assert app.environment.name == "test"
        # No key yet: the screen says so, in words.
        check = text_of(app, "#check-test")
        assert "No secret key is set up for TEST" in check
        # Already on the environment screen: the advice is a key here, not "press e".
        assert "Press k to set one here" in check and "Press e" not in check
        assert app.screen.query_one("#card-test").border_subtitle == "● in use"

        await pilot.click("#sandbox-use")
        await settle(pilot)
        assert app.environment.name == "sandbox"
        assert app.client is not None
        assert text_of(app, "#check-sandbox").startswith("✓ ")


@pytest.mark.parametrize("how", ["escape", "wrong text", "empty", "stay button"])
async def test_the_live_guard_cannot_be_skipped(make_app, settle, credentials, how):
    credentials.set_secret_key("test", TEST_KEY, "keyring")
    credentials.set_secret_key("live", LIVE_KEY, "keyring")
    app = make_app("test")
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await pilot.click("#live-use")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LiveConfirmDialog)
        assert "Live mode moves real money" in screen_text(app)
        assert "sk_live_…4H2a" in screen_text(app)
        if how == "escape":
            await pilot.press("escape")
        elif how == "stay button":
            await pilot.click("#cancel")
        else:
            if how == "wrong text":
                await pilot.press("y", "e", "s")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, LiveConfirmDialog)
            assert "nothing has changed" in text_of(app, "#confirm-problem")
            await pilot.click("#confirm")  # the button checks the text too
            await pilot.pause()
            assert isinstance(app.screen, LiveConfirmDialog)
            await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        assert app.environment.name == "test"


async def test_typing_live_switches_to_live(make_app, settle, credentials):
    credentials.set_secret_key("live", LIVE_KEY, "keyring")
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await pilot.click("#live-use")
        await pilot.pause()
        await pilot.press("l", "i", "v", "e", "enter")
        await settle(pilot)
        assert app.environment.name == "live"
        # The sandbox refuses live keys: the check shows the exact 401, not a traceback.
        assert "401 invalid_api_key_mode" in text_of(app, "#check-live")


# --- checks --------------------------------------------------------------------------------


async def test_a_refused_key_shows_401_not_a_traceback(make_app, settle, credentials):
    credentials.set_secret_key("test", TEST_KEY, "keyring")
    app = make_app("test")
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        check = text_of(app, "#check-test")
        assert check.startswith("✗ 401 invalid_api_key: Fintoc refused the TEST key")
        assert "Press k to replace it" in check
        assert TEST_KEY not in screen_text(app)


async def test_check_shows_organisation_and_mode(make_app, settle, credentials, sandbox_secret_key):
    credentials.set_secret_key("test", sandbox_secret_key, "session")
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await pilot.click("#test-check")
        await settle(pilot)
        check = text_of(app, "#check-test")
        assert check.startswith("✓ ") and "· test mode ·" in check and "accounts" in check
        assert app.environment is None  # checking does not switch

        await pilot.click("#live-check")
        await settle(pilot)
        assert "No LIVE secret key is set" in text_of(app, "#check-live")


async def test_no_network_is_named(make_app, settle, network):
    network.offline = True
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await pilot.click("#sandbox-check")
        await settle(pilot)
        assert text_of(app, "#check-sandbox").startswith("✗ No network:")


# --- what the "In use" line claims ------------------------------------------------------------


async def test_in_use_says_connected_only_once_fintoc_answered(
    make_app, settle, credentials, network, sandbox_secret_key
):
    """A client object is only a key found; offline, the line must not say "connected"."""
    credentials.set_secret_key("test", sandbox_secret_key, "keyring")
    network.offline = True
    app = make_app("test")
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        assert app.client is not None
        line = text_of(app, "#env-current")
        assert line.startswith("In use: TEST — not connected: No network:")
        assert "— connected" not in line
        assert text_of(app, "#check-test").startswith("✗ No network:")

        network.offline = False
        await pilot.press("c")
        await settle(pilot)
        assert text_of(app, "#env-current") == "In use: TEST — connected to Tienda Demo SpA"


async def test_in_use_says_checking_while_the_first_answer_is_pending(
    make_app, settle, credentials, network, sandbox_secret_key
):
    credentials.set_secret_key("test", sandbox_secret_key, "session")
    network.gate = asyncio.Event()  # every request waits here
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "u")  # the test card, by keyboard
        for _ in range(20):
            await pilot.pause()
            if network.requests:
                break
        assert app.client is not None and network.requests
        line = text_of(app, "#env-current")
        assert line == "In use: TEST — key set, checking the connection…"
        network.gate.set()
        await settle(pilot)
        assert text_of(app, "#env-current") == "In use: TEST — connected to Tienda Demo SpA"


class _StartingSandbox(SandboxInfo):
    """A sandbox whose start-up a test holds open (what `SandboxProcess.wait` does)."""

    def close(self) -> None:
        pass


async def test_sandbox_card_says_starting_while_it_starts(
    make_app, settle, sandbox_info, sandbox_jws_keys
):
    started = threading.Event()

    def launcher():
        started.wait(timeout=30)
        return _StartingSandbox(
            sandbox_info.base_url, sandbox_info.secret_key, str(sandbox_jws_keys[0])
        )

    app = make_app("sandbox", sandbox=None, sandbox_launcher=launcher)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("e")
            for _ in range(5):
                await pilot.pause()
            assert isinstance(app.screen, EnvironmentScreen) and app.connecting
            info = text_of(app, "#info-sandbox")
            assert "starting…" in info and "not running" not in info
            assert text_of(app, "#check-sandbox") == "Connecting…"
            assert "starting the local sandbox" in text_of(app, "#env-current")

            started.set()
            await settle(pilot)
            assert "http://sandbox.test" in text_of(app, "#info-sandbox")
            assert text_of(app, "#env-current").startswith("In use: SANDBOX — connected to ")
    finally:
        started.set()


# --- the keyring panel ------------------------------------------------------------------------


class VaultKeyring(MemoryKeyring):
    """Stands in for an OS keyring that keeps keys between runs (same code, persistent)."""

    persistent = True


@pytest.mark.parametrize(
    ("backend", "says"),
    [
        (MemoryKeyring, "in memory only: keys saved there are gone when the app quits"),
        (VaultKeyring, "keys saved there stay between runs"),
    ],
)
async def test_keyring_panel_says_what_each_backend_keeps(make_app, settle, backend, says):
    app = make_app(None, credentials=CredentialStore(backend(), env={}))
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        panel = text_of(app, "#keyring-status")
        assert says in panel
        if backend is MemoryKeyring:
            assert "stay between runs" not in panel


async def test_no_keyring_panel_says_it_once(make_app, settle):
    app = make_app(None, credentials=CredentialStore(fail.Keyring(), env={}))
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        panel = text_of(app, "#keyring-status")
        assert panel.count("No OS keyring") == 1
        assert "cannot be saved between runs" in panel


# --- JWS keys ---------------------------------------------------------------------------------


async def test_generate_a_jws_pair(make_app, settle, credentials, memory):
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await pilot.click("#test-generate_jws")
        await pilot.pause()
        assert isinstance(app.screen, JWSKeyDialog)
        await pilot.click("#go")
        await settle(pilot)

        dialog = app.screen
        assert isinstance(dialog, PublicKeyDialog)
        public_file = paths.data_dir() / "jws_public_key_test.pem"
        public_pem = public_file.read_text()
        assert public_pem.startswith("-----BEGIN PUBLIC KEY-----")
        assert dialog.query_one("#public-pem", TextArea).text == public_pem
        shown = screen_text(app)
        assert "Upload this public key to the Fintoc dashboard" in shown
        assert "Private key kept in the in-memory keyring (MemoryKeyring" in shown
        private = memory.get_password(SERVICE, "test/jws_private_key")
        assert private.startswith("-----BEGIN PRIVATE KEY-----")
        assert private.splitlines()[1] not in shown
        assert fingerprint(public_pem_from_private(private)) == fingerprint(public_pem)

        await pilot.click("#done")
        await settle(pilot)
        assert fingerprint(public_pem) in text_of(app, "#info-test")


async def test_import_a_jws_key_from_a_pem_file(make_app, settle, credentials, tmp_path):
    good = tmp_path / "private_key.pem"
    good.write_text(FIXED_JWS_PEM)
    public = tmp_path / "public_key.pem"
    public.write_bytes(public_pem_from_private(FIXED_JWS_PEM))
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        await pilot.click("#live-import_jws")
        await pilot.pause()
        path_input = app.screen.query_one("#path-input", Input)
        for wrong, phrase in [
            (tmp_path / "missing.pem", "cannot be read"),
            (public, "That is a public key"),
        ]:
            path_input.value = str(wrong)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, JWSKeyDialog)
            assert phrase in text_of(app, "#jws-problem")
        path_input.value = str(good)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        assert credentials.jws_private_key("live").secret() == FIXED_JWS_PEM
        expected = fingerprint(public_pem_from_private(FIXED_JWS_PEM))
        assert expected in text_of(app, "#info-live")


async def test_sandbox_row_shows_url_key_and_demo_jws(make_app, settle, sandbox_secret_key):
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_environment(app, pilot, settle)
        info = text_of(app, "#info-sandbox")
        assert "http://sandbox.test" in info
        assert "sk_test_…0000" in info and sandbox_secret_key not in info
        assert fingerprint(public_pem_from_private(FIXED_JWS_PEM)) in info


# --- snapshots (120x36, seeded sandbox, fixed clock, fixed keys) --------------------------------


def _snap(snap_compare, app, run_before):
    return snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_no_keyring(snap_compare, make_app, settle):
    app = make_app(None, credentials=CredentialStore(fail.Keyring(), env={}))

    async def ready(pilot):
        await settle(pilot)

    assert _snap(snap_compare, app, ready)


def test_snapshot_keys_set(snap_compare, make_app, settle, credentials, sandbox_secret_key):
    credentials.set_secret_key("test", sandbox_secret_key, "keyring")
    credentials.set_jws_private_key("test", FIXED_JWS_PEM, "keyring")
    credentials.set_secret_key("live", LIVE_KEY, "session")

    async def ready(pilot):
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)

    assert _snap(snap_compare, make_app("test"), ready)


def test_snapshot_live_confirm(snap_compare, make_app, settle, credentials):
    credentials.set_secret_key("live", LIVE_KEY, "keyring")

    async def ready(pilot):
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.click("#live-use")
        await pilot.pause()
        await pilot.press("n", "o")
        await pilot.press("enter")
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.pause()

    assert _snap(snap_compare, make_app("sandbox"), ready)
