"""The first section of the transfer form: the account the money leaves from.

A picker and a note under it: the chosen account's balance and number, why
it cannot send, or why there is nothing to choose (no connection, a failed
load). Which account to choose is the form's decision; this says it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, Select, Static

from fintoc_tui.banking import format_clabe
from fintoc_tui.money import format_amount

if TYPE_CHECKING:
    from fintoc_tui.api.models import Account
    from fintoc_tui.ui.shell.problems import Problem


def account_label(account: Account) -> str:
    """One line per source account: description · balance · status."""
    description = account.description or account.id
    balance = format_amount(account.available_balance, account.currency)
    return f"{description}  ·  {balance}  ·  {account.status}"


def preselect(
    accounts: list[Account], prefill_id: str | None, current: str | None, source_id: str | None
) -> str | None:
    """The account to choose when the list arrives, or None.

    A prefill wins, then what the person already chose, then "new transfer
    from this account" (which may predate the form); failing those, the
    first active account.
    """
    wanted = prefill_id or current or source_id
    if wanted not in [a.id for a in accounts]:
        active = [a.id for a in accounts if a.is_active]
        wanted = active[0] if active else None
    return wanted


class SourceAccountPicker(Vertical):
    """`#source-group`: `#source-account` (a Select of account ids) and `#source-note`."""

    def compose(self) -> ComposeResult:
        yield Label("From account", classes="field-label")
        yield Select[str]([], prompt="Loading accounts…", id="source-account")
        yield Static(Content(""), id="source-note", classes="field-note")

    @property
    def select(self) -> Select[str]:
        return self.query_one("#source-account", Select)

    @property
    def chosen(self) -> str | None:
        value = self.select.value
        return value if isinstance(value, str) else None

    def offer(self, accounts: list[Account]) -> None:
        """The accounts to choose from (none chosen yet)."""
        options = [(account_label(a), a.id) for a in accounts]
        select = self.select
        select.prompt = "Choose the account to send from…" if options else "No accounts"
        select.set_options(options)

    def offer_none(self, why: str) -> None:
        """Nothing to choose from, and why (connecting, no key, …)."""
        select = self.select
        select.set_options([])
        select.prompt = "No accounts"
        self._note(Content(why))

    def describe(self, account: Account | None, *, any_accounts: bool) -> None:
        """The note under the picker for the account now chosen."""
        if account is None:
            if any_accounts:
                self._note(Content("Choose the account the money leaves from."))
            return
        currency = account.currency.upper()
        number = account.root_account_number or ""
        shown = format_clabe(number) if currency == "MXN" and len(number) == 18 else number
        parts: list[str | tuple[str, str]] = [
            (format_amount(account.available_balance, currency), "bold"),
            " available",
        ]
        if shown:
            parts.append(f"  ·  {shown}")
        if not account.is_active:
            parts.append((f"  ·  {account.status}: it cannot send", "$text-error"))
        self._note(Content.assemble(*parts))

    def show_problem(self, problem: Problem) -> None:
        self._note(Content.assemble((problem.title, "$text-error"), " " + problem.advice))

    def _note(self, content: Content) -> None:
        self.query_one("#source-note", Static).update(content)
