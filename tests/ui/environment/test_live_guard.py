"""Live is never entered without the typed confirmation, however the switch is asked for."""

from __future__ import annotations

from fintoc_tui.ui.environment.environment_screen import EnvironmentScreen
from fintoc_tui.ui.environment.live_dialog import LiveConfirmDialog
from fintoc_tui.ui.shell import config

SIZE = (120, 36)


async def palette_switch_to_live(pilot, settle) -> None:
    await pilot.press("ctrl+p", *"switch to live")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LiveConfirmDialog)


async def test_palette_switch_to_live_escape_stays(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette_switch_to_live(pilot, settle)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, LiveConfirmDialog)
        assert app.environment.name == "sandbox"
        assert app.client is not None


async def test_palette_switch_to_live_wrong_word_stays(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette_switch_to_live(pilot, settle)
        await pilot.press(*"yes", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LiveConfirmDialog)
        assert app.environment.name == "sandbox"
        await pilot.press("escape")
        await settle(pilot)
        assert app.environment.name == "sandbox"


async def test_action_switch_environment_asks_too(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_switch_environment("live")
        await settle(pilot)
        assert isinstance(app.screen, LiveConfirmDialog)
        assert app.environment.name == "sandbox"
        await pilot.press(*"live", "enter")
        await settle(pilot)
        assert app.environment.name == "live"


async def test_other_environments_switch_without_asking(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_switch_environment("test")
        await settle(pilot)
        assert not isinstance(app.screen, LiveConfirmDialog)
        assert app.environment.name == "test"


def test_remembered_environment_is_marked():
    config.remember(environment="live")
    restored = config.load_state().environment
    assert isinstance(restored, config.RememberedEnvironment)
    assert restored == "live"
    config.remember(theme="nord")  # writing it back keeps a plain name
    assert config.load_state().environment == "live"


async def test_restored_live_asks_and_declining_shows_environments(make_app, settle):
    config.remember(environment="live")
    app = make_app(config.load_state().environment)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LiveConfirmDialog)
        assert app.environment is None
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        assert app.environment is None
        assert app.client is None


async def test_restored_live_opens_after_typing_live(make_app, settle):
    config.remember(environment="live")
    app = make_app(config.load_state().environment)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LiveConfirmDialog)
        await pilot.press(*"live", "enter")
        await settle(pilot)
        assert app.environment.name == "live"
        assert app.current_mode == "accounts"


async def test_explicit_live_on_the_command_line_opens_directly(make_app, settle):
    app = make_app("live")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, LiveConfirmDialog)
        assert app.environment.name == "live"


async def test_sandbox_info_is_public(make_app, settle, sandbox_info):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.sandbox_info is sandbox_info
    assert make_app("test", sandbox=None).sandbox_info is None
