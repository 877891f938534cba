"""The confirm screen's "From" line: the source account and its balance of now.

The draft holds the account as it was when the form was reviewed. After
money moves (`shell/money_moved.py`: a transfer settles, money arrives while
the person looks at another screen) the line fetches the account again, so
the balance read before Send is the current one, and it says when the
amount is now more than that balance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.widgets import Static

from fintoc_tui.money import format_amount
from fintoc_tui.ui import messages
from fintoc_tui.ui.shell.money_moved import MoneyFollower

if TYPE_CHECKING:
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.transfer.restate import SourceAccount
    from fintoc_tui.ui.shell.app import FintocApp
    from fintoc_tui.ui.transfer.draft import TransferDraft


def source_text(account: SourceAccount, amount: int) -> Content:
    """`Cuenta MXN  ·  balance $1.00 MXN`, and a warning when `amount` is more than it."""
    balance = format_amount(account.available_balance, account.currency)
    text = Content(f"{account.description or account.id}  ·  balance {balance}")
    if account.available_balance < amount:
        text += Content.styled("  ·  less than this transfer", "bold $text-error")
    return text


class SourceBalanceLine(Static):
    """The source account's description and balance, reloaded after money moves."""

    app: FintocApp

    def __init__(self, draft: TransferDraft) -> None:
        account, amount = draft.account, draft.request.amount
        super().__init__(source_text(account, amount), markup=False, id="confirm-from")
        self.add_class("value")  # styled as the confirm screen's other row values
        self.account = account
        self.amount = amount
        self.money: MoneyFollower | None = None

    def on_mount(self) -> None:
        self.money = MoneyFollower(self, self.reload)

    def on_unmount(self) -> None:
        """Closed with the confirm screen: leave the app's signals, so nothing holds it."""
        if self.money is not None:
            self.money.forget()

    def reload(self) -> None:
        client = self.app.client
        if client is not None:
            self._load(client, self.account.id)

    @work(exclusive=True, group="confirm-balance", exit_on_error=False)
    async def _load(self, client: FintocClient, account_id: str) -> None:
        try:
            account = await client.get_account(account_id)
        except Exception:
            self.post_message(messages.ConfirmBalanceLoaded(None))
        else:
            self.post_message(messages.ConfirmBalanceLoaded(account))

    def on_confirm_balance_loaded(self, message: messages.ConfirmBalanceLoaded) -> None:
        message.stop()
        if message.account is not None:
            self.account = message.account
            self.update(source_text(message.account, self.amount))
        else:  # sending does not depend on it; say the figure is from before
            self.update(
                source_text(self.account, self.amount)
                + Content.styled("  ·  may be out of date (could not reload it)", "$text-warning")
            )
