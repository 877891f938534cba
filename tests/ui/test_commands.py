"""Each command palette entry exists and does what it says."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from fintoc_tui.ui.screens.environment_jws_dialog import JWSKeyDialog
from fintoc_tui.ui.screens.environment_key_dialog import SetKeyDialog
from fintoc_tui.ui.screens.history import HistoryScreen
from fintoc_tui.ui.screens.history_export import HistoryExportDialog
from fintoc_tui.ui.screens.history_filter import HistoryFilterDialog, HistoryFilters
from fintoc_tui.ui.screens.history_simulate import SimulateInboundDialog
from fintoc_tui.ui.screens.transfer_form import TransferFormScreen

SIZE = (120, 36)


async def run_command(pilot, settle, name: str) -> None:
    """Type the command's full name in the palette and run the best match."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*[{" ": "space", ":": "colon"}.get(ch, ch) for ch in name])
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert not isinstance(pilot.app.screen, CommandPalette), name


def screen_is(cls):
    return lambda app: isinstance(app.screen, cls)


def history_filtered_then_cleared(app) -> bool:
    return isinstance(app.screen, HistoryScreen) and not app.screen.filters.active


CASES = {
    "Accounts": lambda app: app.current_mode == "accounts",
    "New transfer": screen_is(TransferFormScreen),
    "History": screen_is(HistoryScreen),
    "History: search": lambda app: app.focused is not None and app.focused.id == "history-search",
    "History: filters": screen_is(HistoryFilterDialog),
    "History: clear filters": history_filtered_then_cleared,
    "History: export": screen_is(HistoryExportDialog),
    "Simulate inbound transfer": screen_is(SimulateInboundDialog),
    "Environment": lambda app: app.current_mode == "environment",
    "Set secret key (TEST)": screen_is(SetKeyDialog),
    "Generate JWS key pair (TEST)": screen_is(JWSKeyDialog),
    "Import JWS private key (LIVE)": screen_is(JWSKeyDialog),
    "Switch to TEST": lambda app: app.environment.name == "test",
    "Help: keys": lambda app: type(app.screen).__name__ == "HelpScreen",
}


@pytest.mark.parametrize("name", list(CASES))
async def test_palette_command_runs(make_app, settle, name):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if name == "History: clear filters":
            await pilot.press("h")
            await settle(pilot)
            app.screen.set_filters(HistoryFilters(direction="inbound"))
            await settle(pilot)
            assert app.screen.filters.active
        await run_command(pilot, settle, name)
        assert CASES[name](app), (name, app.screen, app.focused)


async def test_account_commands_open_and_preset_a_transfer(make_app, settle):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        account = next(a for a in app.accounts if a.currency == "CLP")
        await run_command(pilot, settle, f"New transfer from: {account.description}")
        assert isinstance(app.screen, TransferFormScreen)
        assert app.screen.account is not None and app.screen.account.id == account.id


async def test_unresolved_transfers_says_when_there_are_none(make_app, settle):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(pilot, settle, "Unresolved transfers")
        assert any("No unresolved transfers" in n.message for n in app._notifications)


async def test_simulate_inbound_is_not_offered_in_live(make_app, settle, credentials):
    from fintoc_tui.ui.commands import FintocCommands

    credentials.set_secret_key("live", "sk_live_" + "L1veKeyForT3stsOnly000000", "session")
    app = make_app("live", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        provider = FintocCommands(app.screen)
        names = [name for name, _, _ in provider._commands()]
        assert "Simulate inbound transfer" not in names
        assert "History: export" in names
