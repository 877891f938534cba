"""Every screen the app can show, imported on first use; screens ask here to move on.

Screens never import one another: that is how import cycles crept in, and a
screen imported at start-up costs the first frame. A screen that opens
another (an account's detail, the confirm step, a transfer's result) asks
`app.navigator`, which imports the target only then. This is the one module
that imports the screens of every feature; a feature's own dialogs stay with
the screen that owns them (the layering test holds both rules).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

    from fintoc_tui.api.errors import FintocError
    from fintoc_tui.api.models import Account, Transfer
    from fintoc_tui.api.prefetch import AccountSnapshot
    from fintoc_tui.journal import JournalEntry
    from fintoc_tui.ui.accounts.account_detail_screen import AccountDetailScreen
    from fintoc_tui.ui.history.transfer_detail_screen import TransferDetailScreen
    from fintoc_tui.ui.shell.app import FintocApp
    from fintoc_tui.ui.transfer.draft import TransferDraft, TransferPrefill

MODE_NAMES = ("accounts", "transfer", "history", "batch", "environment")


def mode_screen(mode: str) -> Callable[[], Screen[Any]]:
    """The factory Textual calls the first time a mode is shown (its import waits till then)."""

    def make() -> Screen[Any]:
        if mode == "accounts":
            from fintoc_tui.ui.accounts.accounts_screen import AccountsScreen

            return AccountsScreen()
        if mode == "transfer":
            from fintoc_tui.ui.transfer.form_screen import TransferFormScreen

            return TransferFormScreen()
        if mode == "history":
            from fintoc_tui.ui.history.history_screen import HistoryScreen

            return HistoryScreen()
        if mode == "batch":
            from fintoc_tui.ui.batch.batch_screen import BatchScreen

            return BatchScreen()
        from fintoc_tui.ui.environment.environment_screen import EnvironmentScreen

        return EnvironmentScreen()

    return make


class Navigator:
    """Opens screens for the screens; `app.navigator`."""

    def __init__(self, app: FintocApp) -> None:
        self.app = app

    # -- accounts ---------------------------------------------------------------------------

    def open_account_detail(self, account: Account | AccountSnapshot) -> None:
        """An account's numbers and movements, over the accounts table."""
        from fintoc_tui.ui.accounts.account_detail_screen import AccountDetailScreen

        self.app.push_screen(AccountDetailScreen(account))

    def open_account(self, account_id: str) -> None:
        """The accounts mode with `account_id` opened (the palette's "open account …")."""
        from fintoc_tui.ui.accounts.accounts_screen import AccountsScreen

        app = self.app
        app.action_show_mode("accounts")
        stack = app._screen_stacks.get("accounts") or []
        while len(app.screen_stack) > 1:
            app.pop_screen()
        if stack and isinstance(stack[0], AccountsScreen):
            stack[0].open_account(account_id)

    # -- transfer ---------------------------------------------------------------------------

    def review_transfer(
        self, draft: TransferDraft, on_close: Callable[[FintocError | None], None]
    ) -> None:
        """The confirm step; `on_close` gets a definite refusal to place on the form, or None."""
        from fintoc_tui.ui.transfer.confirm_screen import TransferConfirmScreen

        self.app.push_screen(TransferConfirmScreen(draft), on_close)

    def transfer_result(
        self,
        draft: TransferDraft,
        *,
        entry: JournalEntry | None,
        transfer: Transfer | None = None,
        unknown: Exception | None = None,
    ) -> Screen[None]:
        """The result screen of a send, for the confirm screen to switch to when it is shown."""
        from fintoc_tui.ui.transfer.result_screen import TransferResultScreen

        return TransferResultScreen(draft, entry=entry, transfer=transfer, unknown=unknown)

    def reset_transfer_form(self) -> None:
        """Empty the form now on screen for the next transfer (the source account stays)."""
        from fintoc_tui.ui.transfer.form_screen import TransferFormScreen

        form = self.app.screen
        if isinstance(form, TransferFormScreen):
            form.reset()

    async def repeat_transfer(self, prefill: TransferPrefill) -> None:
        """The transfer form, filled from `prefill`; nothing is sent (review and confirm follow)."""
        from fintoc_tui.ui.transfer.form_screen import TransferFormScreen

        app = self.app
        await app.switch_mode("transfer")
        form = app.screen_stack[0]
        if isinstance(form, TransferFormScreen):
            form.prefill(prefill)

    def offer_journal_recovery(self, *, once: bool = True, say_when_none: bool = False) -> None:
        """Unresolved journal entries of this environment, in their dialog (see journal_recovery)."""
        from fintoc_tui.ui.transfer.journal_recovery import offer_journal_recovery

        offer_journal_recovery(self.app, once=once, say_when_none=say_when_none)

    # -- history ----------------------------------------------------------------------------

    def open_transfer_detail(self, transfer_id: str) -> None:
        """One transfer, every field, over the history."""
        from fintoc_tui.ui.history.transfer_detail_screen import TransferDetailScreen

        self.app.push_screen(TransferDetailScreen(transfer_id))

    def as_transfer_detail(self, screen: Screen[Any] | None) -> TransferDetailScreen | None:
        """`screen` if it is a transfer's detail (the palette offers its actions then)."""
        from fintoc_tui.ui.history.transfer_detail_screen import TransferDetailScreen

        return screen if isinstance(screen, TransferDetailScreen) else None

    def as_account_detail(self, screen: Screen[Any] | None) -> AccountDetailScreen | None:
        """`screen` if it is an account's detail (the palette offers its actions then)."""
        from fintoc_tui.ui.accounts.account_detail_screen import AccountDetailScreen

        return screen if isinstance(screen, AccountDetailScreen) else None

    # -- environment and help ---------------------------------------------------------------

    def ask_live(self, answered: Callable[[bool | None], None]) -> None:
        """The typed `live` confirmation; `answered(True)` only if it was typed."""
        from fintoc_tui.ui.environment.live_dialog import LiveConfirmDialog

        self.app.push_screen(LiveConfirmDialog(), answered)

    def help(self) -> None:
        """Every binding and its id (F1 / ?), unless it is already showing."""
        from fintoc_tui.ui.shell.help import HelpScreen

        if not isinstance(self.app.screen, HelpScreen):
            self.app.push_screen(HelpScreen())
