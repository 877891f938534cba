"""The shell: modes by keyboard, environments, key remapping, themes, help, palette."""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable, Input

from fintoc_tui import paths
from fintoc_tui.ui.accounts.account_detail_screen import AccountDetailScreen
from fintoc_tui.ui.accounts.accounts_screen import AccountsScreen
from fintoc_tui.ui.shell import bindings, config
from fintoc_tui.ui.shell.help import HelpScreen
from fintoc_tui.ui.widgets.header import FintocHeader
from fintoc_tui.ui.widgets.state_message import StateMessage

SIZE = (120, 36)


def header_text(app) -> str:
    header = app.screen.query_one(FintocHeader)
    return " ".join(str(static.render()) for static in header.query("Static"))


async def leave_text_field(pilot) -> None:
    """Typing keys go into a focused text field: leave it first, as a person would."""
    for key in ("escape", "tab", "tab"):
        if not isinstance(pilot.app.focused, Input):
            return
        await pilot.press(key)
    assert not isinstance(pilot.app.focused, Input)


# -- config ------------------------------------------------------------------------------


def test_config_reads_keys_and_theme():
    paths.config_file().write_text(
        'theme = "nord"\n[keys]\naccounts = "x, 9"\nrefresh = ["r", "f5"]\n'
    )
    loaded = config.load_config(known_ids=bindings.binding_ids())
    assert loaded.theme == "nord"
    assert loaded.keys == {"accounts": "x,9", "refresh": "r,f5"}
    assert loaded.warnings == []


def test_config_problems_are_warnings_not_crashes():
    paths.config_file().write_text('[keys]\nnot_a_binding = "z"\nquit = 3\n')
    loaded = config.load_config(known_ids=bindings.binding_ids())
    assert loaded.keys == {}
    assert any("not_a_binding" in w for w in loaded.warnings)
    assert any("keys.quit" in w for w in loaded.warnings)
    paths.config_file().write_text("this is = = not toml")
    assert config.load_config().warnings


def test_state_round_trip_and_garbage():
    config.remember(environment="test", theme="nord")
    assert config.load_state() == config.AppState(environment="test", theme="nord")
    paths.state_file().write_text('{"environment": "production"}')
    assert config.load_state().environment is None
    paths.state_file().write_text("not json")
    assert config.load_state() == config.AppState()


def test_binding_ids_are_unique_and_every_binding_has_one():
    every = [b for section in bindings.SECTIONS.values() for b in section]
    assert all(b.id for b in every)
    by_id: dict[str, object] = {}
    for binding in every:
        assert by_id.setdefault(binding.id, binding) is binding, binding.id


# -- starting --------------------------------------------------------------------------


async def test_nothing_set_up_opens_the_environment_screen(make_app, settle):
    app = make_app(environment=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.current_mode == "environment"
        assert app.client is None
        assert "NO ENVIRONMENT" in header_text(app)
        await pilot.press("a")
        assert isinstance(app.screen, AccountsScreen)
        message = app.screen.query_one(StateMessage)
        assert message.display and "No environment" in str(message.render())


async def test_sandbox_shows_chip_organisation_and_masked_key(make_app, settle, sandbox_secret_key):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = header_text(app)
        assert "SANDBOX" in text
        assert app.organisation and app.organisation in text
        assert app.masked_key in text and "…" in app.masked_key
        assert sandbox_secret_key not in text
        assert app.screen.query_one(DataTable).row_count >= 2
    assert config.load_state().environment == "sandbox"


async def test_last_environment_is_remembered_by_run_app_choice():
    from argparse import Namespace

    from fintoc_tui.ui.shell.run import chosen_environment

    assert chosen_environment(Namespace(sandbox=False, env=None)) is None
    config.remember(environment="test")
    assert chosen_environment(Namespace(sandbox=False, env=None)) == "test"
    assert chosen_environment(Namespace(sandbox=False, env="live")) == "live"
    assert chosen_environment(Namespace(sandbox=True, env="live")) == "sandbox"


# -- keyboard only -------------------------------------------------------------------------


async def test_every_screen_by_keyboard(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen = []
        for key, mode in [
            ("2", "transfer"),
            ("3", "history"),
            ("e", "environment"),
            ("1", "accounts"),
            ("t", "transfer"),
            ("h", "history"),
            ("a", "accounts"),
        ]:
            await leave_text_field(pilot)
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode, key
            seen.append(type(app.screen).__name__)
        assert isinstance(app.screen, AccountsScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountDetailScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, AccountsScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, AccountDetailScreen)
        assert detail.account.id == app.accounts[1].id
        await pilot.press("n")
        await settle(pilot)
        assert app.current_mode == "transfer"
        assert app.transfer_source_account_id == app.accounts[1].id
        # The account is chosen, so the destination field has focus: F1 still helps…
        assert isinstance(app.focused, Input)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        # …while `?` would be typed into the field, so leave it first.
        await leave_text_field(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_help_lists_every_binding_with_its_current_keys(make_app, settle):
    paths.config_file().write_text('[keys]\nrefresh = "f5"\n')
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        ids = {row[3] for row in rows}
        assert bindings.binding_ids() <= ids
        refresh = next(row for row in rows if row[3] == "refresh")
        assert refresh[1] == "f5"


async def test_remapped_keys_replace_the_defaults(make_app, settle):
    paths.config_file().write_text('[keys]\nhistory = "x"\nrefresh = "f5"\n')
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        assert app.current_mode == "accounts"
        await pilot.press("x")
        assert app.current_mode == "history"
        await leave_text_field(pilot)
        await pilot.press("a")
        before = list(app.screen.query_one(DataTable).rows)
        app.screen.query_one(DataTable).clear()
        await pilot.press("r")  # no longer refresh
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 0
        await pilot.press("f5")
        await settle(pilot)
        assert list(app.screen.query_one(DataTable).rows) == before


async def test_palette_reaches_screens_and_actions(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"history")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "history"
        target = app.accounts[-1]
        await pilot.press("ctrl+p")
        await pilot.press(*f"open account: {target.description}")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "accounts"
        assert isinstance(app.screen, AccountDetailScreen)
        assert app.screen.account.id == target.id


async def test_theme_is_remembered(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert json.loads(paths.state_file().read_text())["theme"] == "nord"
    again = make_app("sandbox")
    async with again.run_test(size=SIZE) as pilot:
        assert again.theme == "nord"


# -- environments and failures -------------------------------------------------------------


async def test_switch_environment_to_test_uses_the_stored_key(
    make_app, settle, credentials, sandbox_secret_key, network
):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        credentials.set_secret_key("test", sandbox_secret_key, "session")
        app.apply_environment("test")
        await settle(pilot)
        assert app.environment.name == "test"
        assert "TEST" in header_text(app)
        assert app.client is not None
        assert app.screen.query_one(DataTable).row_count >= 2
    assert config.load_state().environment == "test"


async def test_switch_environment_from_the_palette(make_app, settle):
    from fintoc_tui.ui.environment.live_dialog import LiveConfirmDialog

    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"switch to live")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LiveConfirmDialog)
        await pilot.press(*"live", "enter")
        await settle(pilot)
        assert app.environment.name == "live"
        assert app.screen.query_one(FintocHeader).has_class("-live")
        message = app.screen.query_one(StateMessage)
        assert "No secret key is set up for LIVE" in str(message.render())


async def test_a_refused_key_shows_the_auth_state_and_e_goes_to_environments(
    make_app, settle, credentials
):
    credentials.set_secret_key("test", "sk_test_" + "Wr0ngKeyWr0ngKeyWr0ngKey00", "session")
    app = make_app("test")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        message = app.screen.query_one(StateMessage)
        assert message.has_class("-auth")
        assert "refused" in str(message.render()) and "Press e" in str(message.render())
        await pilot.press("e")
        assert app.current_mode == "environment"


async def test_a_dropped_network_shows_offline_and_r_recovers(make_app, settle, network):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.screen.query_one(DataTable).row_count
        network.offline = True
        await pilot.press("r")
        await settle(pilot)
        message = app.screen.query_one(StateMessage)
        assert message.has_class("-network") and "press r" in str(message.render())
        assert "Traceback" not in str(message.render())
        network.offline = False
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == rows
        assert app.screen.query_one("ContentSwitcher").current == "accounts-view"


async def test_a_sandbox_that_cannot_start_says_so(make_app, settle):
    from fintoc_tui.ui.shell.sandbox_link import SandboxStartError

    def launcher():
        raise SandboxStartError("the sandbox did not start within 20 s")

    app = make_app("sandbox", sandbox=None, sandbox_launcher=launcher)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.client is None
        assert "did not start" in str(app.screen.query_one(StateMessage).render())


@pytest.mark.parametrize("name", ["sandbox", "test", "live"])
async def test_chip_colours_differ_per_environment(make_app, settle, name):
    app = make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        chip = app.screen.query_one("#chip")
        assert chip.has_class(f"-{name}")
        assert str(chip.render()) == name.upper()
        assert app.screen.query_one(FintocHeader).has_class("-live") == (name == "live")
