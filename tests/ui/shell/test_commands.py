"""Each command palette entry exists and does what it says."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from fintoc_tui.testing.deterministic_keys import deterministic_private_pem
from fintoc_tui.ui.environment.environment_screen import EnvironmentScreen
from fintoc_tui.ui.environment.jws_dialog import JWSKeyDialog
from fintoc_tui.ui.environment.key_dialog import SetKeyDialog
from fintoc_tui.ui.history.export_dialog import HistoryExportDialog
from fintoc_tui.ui.history.filter_dialog import HistoryFilterDialog
from fintoc_tui.ui.history.filters import HistoryFilters
from fintoc_tui.ui.history.history_screen import HistoryScreen
from fintoc_tui.ui.history.return_dialog import ReturnConfirmDialog
from fintoc_tui.ui.history.simulate_dialog import SimulateInboundDialog
from fintoc_tui.ui.history.transfer_detail_screen import TransferDetailScreen
from fintoc_tui.ui.shell.commands import TRANSFER_DETAIL_COMMANDS, FintocCommands
from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.form_screen import TransferFormScreen
from fintoc_tui.ui.widgets.confirm_dialog import ConfirmDialog

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
    from fintoc_tui.ui.shell.commands import FintocCommands

    credentials.set_secret_key("live", "sk_live_" + "L1veKeyForT3stsOnly000000", "session")
    app = make_app("live", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        provider = FintocCommands(app.screen)
        names = [name for name, _, _ in provider._commands()]
        assert "Simulate inbound transfer" not in names
        assert "History: export" in names


# -- deleting keys: through the environment screen's own question ---------------------------

TEST_KEY = "sk_test_" + "k3yForT3stsOnly0000000000000"
LIVE_KEY = "sk_live_" + "L1veKeyForT3stsOnly000000"
DELETE_CASES = [
    ("Delete secret key (TEST)", "secret_key", "test"),
    ("Delete secret key (LIVE)", "secret_key", "live"),
    ("Delete JWS key (TEST)", "jws_private_key", "test"),
    ("Delete JWS key (LIVE)", "jws_private_key", "live"),
]


def store_key(credentials, kind: str, mode: str) -> None:
    if kind == "secret_key":
        credentials.set_secret_key(mode, TEST_KEY if mode == "test" else LIVE_KEY, "keyring")
    else:
        credentials.set_jws_private_key(mode, deterministic_private_pem(3), "keyring")


@pytest.mark.parametrize(("name", "kind", "mode"), DELETE_CASES)
async def test_delete_commands_ask_first_then_delete(
    make_app, settle, credentials, name, kind, mode
):
    store_key(credentials, kind, mode)
    other = "live" if mode == "test" else "test"
    store_key(credentials, kind, other)
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(pilot, settle, name)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog), name
        assert mode.upper() in dialog.body
        assert credentials.get(kind, mode) is not None  # nothing deleted before the answer
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        assert credentials.get(kind, mode) is None
        assert credentials.get(kind, other) is not None  # only the mode named


@pytest.mark.parametrize(("name", "kind", "mode"), DELETE_CASES[::3])
async def test_delete_commands_keep_the_key_when_cancelled(
    make_app, settle, credentials, name, kind, mode
):
    store_key(credentials, kind, mode)
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(pilot, settle, name)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, EnvironmentScreen)
        assert credentials.get(kind, mode) is not None


# -- the transfer detail's actions, only while one is showing --------------------------------

DETAIL_NAMES = [name for _, name, _ in TRANSFER_DETAIL_COMMANDS]


def offered(app) -> list[str]:
    """The palette's names for the screen showing now (what ctrl+p would list)."""
    return [name for name, _, _ in FintocCommands(app.screen)._commands()]


async def open_detail(app, pilot, settle, currency="MXN", **filters):
    """History, then the detail of the newest `currency` transfer matching `filters`."""
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    assert isinstance(app.screen, HistoryScreen)
    assert not set(DETAIL_NAMES) & set(offered(app))
    transfer = None
    async for candidate in app.client.iter_transfers(**filters):
        if candidate.currency == currency:
            transfer = candidate
            break
    assert transfer is not None, f"the seeded sandbox has no {currency} transfer like {filters}"
    app.push_screen(TransferDetailScreen(transfer.id))
    await settle(pilot)
    assert isinstance(app.screen, TransferDetailScreen)
    return transfer


async def test_copy_commands_copy_the_id_and_tracking_key(make_app, settle):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        transfer = await open_detail(app, pilot, settle, direction="outbound", status="succeeded")
        assert transfer.tracking_key
        await run_command(pilot, settle, "Transfer detail: copy id")
        assert app.clipboard == transfer.id
        await run_command(pilot, settle, "Transfer detail: copy tracking key")
        assert app.clipboard == transfer.tracking_key
        assert isinstance(app.screen, TransferDetailScreen)


async def test_repeat_command_prefills_the_form_without_sending(make_app, settle, network):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        transfer = await open_detail(app, pilot, settle, direction="outbound")
        assert "Transfer detail: return it" not in offered(app)  # outbound: nothing to return
        posts = len([r for r in network.requests if r.startswith("POST")])
        await run_command(pilot, settle, "Transfer detail: repeat this transfer")
        form = app.screen
        assert isinstance(form, TransferFormScreen)
        assert form.query_one(ClabeInput).value.replace(" ", "") == (
            transfer.counterparty.account_number
        )
        assert len([r for r in network.requests if r.startswith("POST")]) == posts


async def test_return_command_asks_first_then_returns(make_app, settle, network):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        transfer = await open_detail(app, pilot, settle, direction="inbound", status="succeeded")
        assert "Transfer detail: repeat this transfer" not in offered(app)  # inbound
        await run_command(pilot, settle, "Transfer detail: return it")
        assert isinstance(app.screen, ReturnConfirmDialog)
        assert "POST /v2/transfers/return" not in network.requests
        await pilot.click("#return-confirm")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TransferDetailScreen)
        assert network.requests.count("POST /v2/transfers/return") == 1
        assert detail.transfer.id == transfer.id
        assert detail.transfer.status in {"return_pending", "returned"}


async def test_refresh_reloads_what_the_screen_shows(make_app, settle):
    """The palette's Refresh runs the screen's own refresh (awaited: it is a coroutine)."""
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        before = history.generation
        await run_command(pilot, settle, "Refresh")
        assert app.screen is history
        assert history.generation == before + 1
