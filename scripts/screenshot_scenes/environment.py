"""Screenshots of the environment screen: keys and provenance, no keyring, and its dialogs."""

from __future__ import annotations

from scripts.screenshots import DEMO_JWS_PEM, Scene, settle

LIVE_KEY = "sk_live_" + "Scr33nsh0tOnlyN0tARealKey4H2a"


def _keys_set(stage) -> None:
    from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY

    stage.credentials.set_secret_key("test", SANDBOX_SECRET_KEY, "keyring")
    # The fixed demo key: a fresh one would change the fingerprint on every run.
    stage.credentials.set_jws_private_key("test", DEMO_JWS_PEM, "keyring")
    stage.credentials.set_secret_key("live", LIVE_KEY, "session")


def _no_keyring_store():
    from keyring.backends import fail

    from fintoc_tui.credentials import CredentialStore

    return CredentialStore(fail.Keyring(), env={})


async def _open(pilot, stage) -> None:
    await settle(pilot)
    if pilot.app.current_mode != "environment":
        await pilot.press("e")
        await settle(pilot)


async def _set_key(pilot, stage) -> None:
    await _open(pilot, stage)
    await pilot.click("#live-set_key")
    await pilot.pause()
    from textual.widgets import Input

    field = pilot.app.screen.query_one(Input)
    field.value = "sk_test_" + "Pasted1nTheWr0ngSl0t00000"
    field.cursor_blink = False
    await pilot.pause()


async def _live_confirm(pilot, stage) -> None:
    await _open(pilot, stage)
    await pilot.click("#live-use")
    # The pressed button, dimmed under the dialog, keeps its "-active" look for 0.2 s.
    await pilot.pause(0.3)
    from textual.widgets import Input

    pilot.app.screen.query_one(Input).cursor_blink = False
    await pilot.pause()


async def _generated(pilot, stage) -> None:
    await _open(pilot, stage)
    await pilot.click("#live-generate_jws")
    await pilot.pause()
    await pilot.click("#go")
    await settle(pilot)


SCENES = [
    Scene(
        "environment",
        _open,
        environment="test",
        setup=_keys_set,
        description="keys, where they come from, and a connection check",
    ),
    Scene(
        "environment-no-keyring",
        _open,
        environment=None,
        app_kwargs={"credentials": _no_keyring_store()},
        description="no OS keyring: env vars and this-session-only storage",
    ),
    Scene(
        "environment-set-key",
        _set_key,
        environment="sandbox",
        description="a key in the wrong slot is refused before saving",
    ),
    Scene(
        "environment-live-confirm",
        _live_confirm,
        environment="sandbox",
        setup=_keys_set,
        description="switching to live asks for the word typed",
    ),
    Scene(
        "environment-jws-generated",
        _generated,
        environment="sandbox",
        description="a new JWS pair: the public key to upload",
        shows_home=True,  # the dialog shows where the public key was saved
    ),
]
