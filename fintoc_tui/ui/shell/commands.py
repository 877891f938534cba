"""Command palette entries (ctrl+p) for every screen and action, plus one per account.

A screen's own actions (history export, filters, …) are reached by switching
to its mode and running the action on its screen, so the palette and the key
do exactly the same thing (deleting a key still asks the screen's own
question). A transfer detail's actions are offered only while one is showing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from fintoc_tui.ui.shell.app import FintocApp

Command = tuple[str, str, Callable[[], object]]
"""(name, help, callback): the callback may be async (the palette awaits it)."""


ENVIRONMENT_KEY_COMMANDS = (
    ("Set secret key", "Store the {mode} secret key in the keyring or for this session", "set_key"),
    (
        "Generate JWS key pair",
        "Make a new {mode} JWS key pair; upload its public key to Fintoc",
        "generate_jws",
    ),
    ("Import JWS private key", "Load an existing {mode} JWS private key (PEM)", "import_jws"),
    ("Check connection", "Ask Fintoc who the {mode} key belongs to", "check"),
    (
        "Delete secret key",
        "Remove the {mode} secret key from the keyring and this session (asks first)",
        "delete_key",
    ),
    (
        "Delete JWS key",
        "Remove the {mode} JWS private key from the keyring and this session (asks first)",
        "delete_jws",
    ),
)
"""(title, help, environment screen action): offered once per mode, test and live."""


def run_in_mode(app: FintocApp, mode: str, action: str) -> None:
    """Show `mode`, then run `action` on its screen once it is there."""
    app.action_show_mode(mode)

    async def run() -> None:
        await app.screen.run_action(action)

    app.call_after_refresh(run)


#: (action, name, help) of the transfer detail screen's actions, as in bindings.py.
ACCOUNT_DETAIL_COMMANDS = (
    ("movement_filters", "Account: filter movements", "Direction and dates of the movements (f)"),
    ("create_number", "Account: new account number", "Issue a new CLABE for collecting (c)"),
    ("edit_number", "Account: edit account number", "Description, amounts, metadata (u)"),
    ("toggle_number", "Account: disable or enable number", "Refuse or accept inbound money (d)"),
    ("delete_number", "Account: delete account number", "For good; never the root one (x)"),
    ("download_statement", "Account: download statement", "Save the PDF in the exports folder (s)"),
)

TRANSFER_DETAIL_COMMANDS = (
    ("copy_id", "Transfer detail: copy id", "Copy this transfer's id to the clipboard (c)"),
    (
        "copy_tracking_key",
        "Transfer detail: copy tracking key",
        "Copy this transfer's tracking key to the clipboard (k)",
    ),
    (
        "repeat",
        "Transfer detail: repeat this transfer",
        "Open the transfer form prefilled from this one; nothing is sent yet (p)",
    ),
    (
        "return_transfer",
        "Transfer detail: return it",
        "Send this inbound transfer back, after confirming (R, test mode only)",
    ),
    (
        "receipt",
        "Transfer detail: download receipt",
        "Save this transfer's PDF receipt in the exports folder and say where (d)",
    ),
    (
        "copy_receipt_url",
        "Transfer detail: copy receipt link",
        "Copy this transfer's receipt_url (Mexico's CEP link) to the clipboard (u)",
    ),
)


def show_unresolved(app: FintocApp) -> None:
    app.navigator.offer_journal_recovery(once=False, say_when_none=True)


class FintocCommands(Provider):
    """Screens, screen actions, environment switches, keys, help, and "open account …"."""

    @property
    def fintoc(self) -> FintocApp:
        """The app, typed: a Provider's `app` is Textual's plain `App`."""
        return cast("FintocApp", self.app)

    def _commands(self) -> Iterator[Command]:
        app = self.fintoc
        environment = app.environment
        yield (
            "Accounts",
            "Show the accounts and balances",
            partial(app.action_show_mode, "accounts"),
        )
        yield "New transfer", "Open the transfer form", partial(app.action_show_mode, "transfer")
        yield (
            "Transfer: verify account",
            "Check who holds the CLABE on the form: sends $0.01 MXN, asks first (F3)",
            partial(run_in_mode, app, "transfer", "verify_account"),
        )
        yield (
            "Unresolved transfers",
            "Transfers whose outcome was never learnt: resolve or discard them",
            partial(show_unresolved, app),
        )
        yield "History", "Show the transfer history", partial(app.action_show_mode, "history")
        yield (
            "History: search",
            "Search the loaded history (/)",
            partial(run_in_mode, app, "history", "filter"),
        )
        yield (
            "History: filters",
            "Filter the history by account, direction, status or dates (f)",
            partial(run_in_mode, app, "history", "filters"),
        )
        yield (
            "History: clear filters",
            "Show the whole history again (c)",
            partial(run_in_mode, app, "history", "clear_filters"),
        )
        yield (
            "History: export",
            "Export the history as CSV or JSON (x)",
            partial(run_in_mode, app, "history", "export"),
        )
        yield (
            "Batch payouts",
            "Pay every row of a CSV file: validated first, confirmed once, resumable (b)",
            partial(app.action_show_mode, "batch"),
        )
        if environment is not None and environment.name != "live":
            yield (
                "Simulate inbound transfer",
                "Make money arrive at one of your accounts (test and sandbox only)",
                partial(run_in_mode, app, "history", "simulate_inbound"),
            )
        yield (
            "Environment",
            "Choose sandbox, test or live and manage keys",
            partial(app.action_show_mode, "environment"),
        )
        for name in ("sandbox", "test", "live"):
            note = " (asks you to type live first)" if name == "live" else ""
            yield (
                f"Switch to {name.upper()}",
                f"Point the app at the {name} environment{note}",
                partial(app.action_switch_environment, name),
            )
        for mode in ("test", "live"):
            for title, help_text, action in ENVIRONMENT_KEY_COMMANDS:
                yield (
                    f"{title} ({mode.upper()})",
                    help_text.format(mode=mode),
                    partial(run_in_mode, app, "environment", f"{action}('{mode}')"),
                )
        yield from self._transfer_detail_commands()
        yield from self._account_detail_commands()
        yield "Refresh", "Reload what this screen shows", app.action_refresh_current
        yield "Help: keys", "List every key binding and its id", app.action_help
        for account in app.accounts:
            yield (
                f"Open account: {account.description}",
                f"{account.currency} account {account.id}",
                partial(self._open_account, account.id),
            )
            yield (
                f"New transfer from: {account.description}",
                f"Transfer from {account.currency} account {account.id}",
                partial(app.new_transfer, account.id),
            )

    def _transfer_detail_commands(self) -> Iterator[Command]:
        """The detail screen's actions, when the palette was opened over one and they apply."""
        screen = self.fintoc.navigator.as_transfer_detail(self.screen)
        if screen is None:
            return
        for action, name, help_text in TRANSFER_DETAIL_COMMANDS:
            if screen.check_action(action, ()):
                # On the screen the palette was opened over, as its key would.
                yield name, help_text, partial(screen.run_action, action)

    def _account_detail_commands(self) -> Iterator[Command]:
        """Account detail's actions (issue 14), when the palette was opened over it."""
        screen = self.fintoc.navigator.as_account_detail(self.screen)
        if screen is None:
            return
        for action, name, help_text in ACCOUNT_DETAIL_COMMANDS:
            yield name, help_text, partial(screen.run_action, action)

    def _open_account(self, account_id: str) -> None:
        self.fintoc.open_account(account_id)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
