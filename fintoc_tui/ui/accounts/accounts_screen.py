"""The accounts screen: every account with its number, bank and balance, and totals.

States: loading (a LoadingIndicator), the table, and a message that says
what to do next (no environment, no key, refused key, offline, empty).

With `fintoc-tui --sandbox` the first frame shows the accounts the app
prefetched while it loaded (`api.prefetch`, display-only snapshots); the
client lists them again once it is built, and its validated models replace
the snapshots (or its error replaces the table).

After money moves (`shell/money_moved.py`) the table reloads in place: the
rows stay while the new balances are fetched, the title says so, and a
failure then keeps the rows and says they may be out of date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, LoadingIndicator, Static

from fintoc_tui.ui import messages
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.shell.money_moved import MoneyFollower
from fintoc_tui.ui.widgets.cells import (
    account_number_text,
    amount_text,
    right_aligned,
    status_text,
)
from fintoc_tui.ui.widgets.footer import KeysFooter
from fintoc_tui.ui.widgets.header import FintocHeader
from fintoc_tui.ui.widgets.literal_table import LiteralTable
from fintoc_tui.ui.widgets.narrow import is_narrow
from fintoc_tui.ui.widgets.state_message import StateMessage

if TYPE_CHECKING:
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.api.models import Account
    from fintoc_tui.api.prefetch import AccountSnapshot, AccountsPrefetch
    from fintoc_tui.ui.shell.app import FintocApp
    from fintoc_tui.ui.shell.problems import Problem

    ShownAccount = Account | AccountSnapshot
    """What the table shows: the client's models, or the start-up prefetch's snapshots."""


def totals_by_currency(accounts: Sequence[ShownAccount]) -> dict[str, tuple[int, int]]:
    """{currency: (sum of available balances, number of accounts)}, in first-seen order."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for account in accounts:
        entry = totals[account.currency.upper()]
        entry[0] += account.available_balance
        entry[1] += 1
    return {code: (total, count) for code, (total, count) in totals.items()}


def organisation_of(accounts: Sequence[ShownAccount]) -> str:
    """The organisation's name: the root account's entity holder (the API has no org call)."""
    root = next((a for a in accounts if a.is_root), None)
    holder = root or (accounts[0] if accounts else None)
    entity = holder.entity if holder is not None else None
    return (entity.holder_name if entity is not None else "") or ""


class AccountsScreen(Screen[None]):
    """Mode "accounts"."""

    app: FintocApp

    BINDINGS = bindings.ACCOUNTS_SCREEN  # type: ignore[assignment]
    DEFAULT_CSS = """
    AccountsScreen #accounts-body { padding: 1 2 0 2; }
    AccountsScreen #accounts-title { text-style: bold; height: 1; margin-bottom: 1; }
    AccountsScreen #accounts-table { height: auto; max-height: 1fr; }
    AccountsScreen #accounts-totals { height: auto; margin-top: 1; padding: 0 1; }
    AccountsScreen ContentSwitcher { height: 1fr; }
    AccountsScreen #accounts-view { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.accounts: Sequence[ShownAccount] = []
        self._prefetch: AccountsPrefetch | None = None
        """`app.accounts_prefetch`, taken once in compose, used in on_mount."""
        self._prefetched_for: str | None = None
        """The environment whose prefetched snapshots are on screen, until the client answers."""
        self._updating = False
        """The rows on screen are being reloaded because money moved."""
        self.money: MoneyFollower | None = None
        self._narrow: bool | None = None
        """Whether the table on screen was laid out for a narrow terminal."""

    def compose(self) -> ComposeResult:
        app = self.app
        self._prefetch, app.accounts_prefetch = app.accounts_prefetch, None
        # Start on the table when its rows are already here: the table is then
        # focused from the first frame, and the footer builds its keys once.
        initial = "accounts-view" if self._prefetch_ready() else "accounts-loading"
        yield FintocHeader()
        with Vertical(id="accounts-body"):
            yield Static("Accounts", id="accounts-title")
            with ContentSwitcher(initial=initial):
                loading = LoadingIndicator(id="accounts-loading")
                loading.display = initial == "accounts-loading"
                yield loading
                with Vertical(id="accounts-view") as view:
                    view.display = initial == "accounts-view"
                    table: DataTable[object] = LiteralTable(
                        id="accounts-table", zebra_stripes=True, cursor_type="row"
                    )
                    if initial == "accounts-view" and self._prefetch is not None:
                        # Rows in the table before it mounts: it measures them as it
                        # mounts, so the screen's first frame already shows them.
                        self._set_rows(table, self._prefetch.accounts or [])
                    yield table
                    yield Static(id="accounts-totals")
                message = StateMessage(id="accounts-message")
                message.display = False
                yield message
        yield KeysFooter()

    def _prefetch_ready(self) -> bool:
        """The start-up prefetch has accounts and nothing else is connected yet."""
        prefetch = self._prefetch
        return (
            self._prefetch_pending()
            and prefetch is not None
            and prefetch.done
            and bool(prefetch.accounts)
        )

    def _prefetch_pending(self) -> bool:
        """A start-up prefetch is there to use: no client yet, an environment chosen."""
        app = self.app
        return self._prefetch is not None and app.client is None and app.environment is not None

    def on_mount(self) -> None:
        app = self.app
        app.client_changed_signal.subscribe(self, self._client_changed)
        self.money = MoneyFollower(self, self._money_moved)
        prefetch, environment = self._prefetch, app.environment
        if self._prefetch_ready() and prefetch is not None and environment is not None:
            # Painted on this screen's first frame: the point of the prefetch.
            self._show_prefetched(environment.name, prefetch.accounts or [], in_table=True)
        elif self._prefetch_pending() and prefetch is not None and environment is not None:
            name = environment.name

            def arrived(accounts: list[AccountSnapshot] | None) -> None:  # on the prefetch thread
                if accounts:
                    self.post_message(messages.AccountsPrefetched(name, accounts))

            prefetch.when_done(arrived)
        self._prefetch = None
        if not self._showing_prefetched():
            self._client_changed(app.client)

    def on_resize(self) -> None:
        """Lay the table out again when the terminal crosses the narrow width."""
        if self._narrow is not None and self._narrow != is_narrow(self.app) and self.accounts:
            self._fill_table(self.accounts)

    # -- loading ----------------------------------------------------------------------------

    def _showing_prefetched(self) -> bool:
        """Snapshots for the environment now chosen are on screen, awaiting the client."""
        environment = self.app.environment
        return environment is not None and self._prefetched_for == environment.name

    def _client_changed(self, client: FintocClient | None) -> None:
        app = self.app
        if client is not None:
            self.load()
        elif app.client_problem is not None:
            self._prefetched_for = None
            self._show_problem(app.client_problem)
        elif not self._showing_prefetched():
            self._prefetched_for = None
            self._show("accounts-loading")

    def _money_moved(self) -> None:
        """Balances changed: reload, keeping the rows on screen until the new ones come."""
        client = self.app.client
        if client is None:
            return
        if self.query_one(ContentSwitcher).current != "accounts-view":
            self.load()
            return
        self._updating = True
        self._title("updating balances…")
        self._fetch(client)

    def _title(self, note: str = "", style: str = "$text-muted") -> None:
        parts: list[str | tuple[str, str]] = ["Accounts"]
        if note:
            parts.append((f"  ·  {note}", style))
        self.query_one("#accounts-title", Static).update(Content.assemble(*parts))

    def action_refresh(self) -> None:
        app = self.app
        if app.client is not None:
            self.load()
        elif app.environment is not None and not app.connecting:
            app.apply_environment(app.environment.name)  # e.g. the sandbox failed to start

    def load(self) -> None:
        if not self._showing_prefetched():
            self._show("accounts-loading")
        client = self.app.client
        if client is not None:
            self._fetch(client)

    @work(exclusive=True, group="accounts", exit_on_error=False)
    async def _fetch(self, client: FintocClient) -> None:
        message: messages.AccountsFailed | messages.AccountsLoaded
        try:
            accounts = await client.list_accounts()
        except Exception as error:
            message = messages.AccountsFailed(error)
        else:
            message = messages.AccountsLoaded(accounts)
        if client is self.app.client:
            # An answer for a client the app has since dropped (another
            # environment or key) would show the wrong organisation's money.
            self.post_message(message)

    def on_accounts_prefetched(self, message: messages.AccountsPrefetched) -> None:
        """Late snapshots still beat a spinner, until the client has answered itself."""
        environment = self.app.environment
        still_loading = self.query_one(ContentSwitcher).current == "accounts-loading"
        if still_loading and environment is not None and environment.name == message.environment:
            self._show_prefetched(message.environment, message.accounts)

    def _show_prefetched(
        self, environment: str, snapshots: list[AccountSnapshot], *, in_table: bool = False
    ) -> None:
        """Show the prefetched snapshots; `app.accounts` waits for the client's models.

        `in_table`: compose already put them in the table (the start-up path).
        """
        self._prefetched_for = environment
        self.accounts = snapshots
        self.app.organisation = organisation_of(snapshots)
        self._fill_table(snapshots, rows_in_place=in_table)

    def on_accounts_loaded(self, message: messages.AccountsLoaded) -> None:
        app = self.app
        self._updating = False
        self._title()
        self._prefetched_for = None
        self.accounts = app.accounts = message.accounts
        app.organisation = organisation_of(message.accounts)
        if not message.accounts:
            self._show_message(
                "This organisation has no accounts yet.",
                "Create one in the Fintoc dashboard, then press r to refresh.",
            )
            return
        self._fill_table(message.accounts)

    def _fill_table(self, accounts: Sequence[ShownAccount], *, rows_in_place: bool = False) -> None:
        """The table and totals for `accounts` (models or prefetched snapshots alike)."""
        app = self.app
        table: DataTable[object] = self.query_one(DataTable)
        if not rows_in_place:
            cursor = table.cursor_row
            self._set_rows(table, accounts)
            if 0 <= cursor < table.row_count:
                table.move_cursor(row=cursor)
        self.query_one("#accounts-totals", Static).update(self._totals_text())
        self._show("accounts-view")
        table.focus()
        # Through the app's queue: Textual reads it only once the app has mounted,
        # and a refresh callback during that start-up batch runs before any frame.
        app.call_later(self.call_after_refresh, app.accounts_painted)

    def _set_rows(self, table: DataTable[object], accounts: Sequence[ShownAccount]) -> None:
        """Columns and one row per account (the table may not be mounted yet)."""
        table.clear(columns=True)
        balances, balance_header = right_aligned(
            [amount_text(a.available_balance, a.currency) for a in accounts],
            "Available balance",
        )
        table.add_column("Description", key="description")
        table.add_column("Account number", key="number")
        table.add_column("Bank", key="bank")
        narrow = self._narrow = is_narrow(self.app)
        if not narrow:  # the balance names its currency; a narrow screen needs the room
            table.add_column("Currency", key="currency")
        table.add_column(balance_header, key="balance")
        table.add_column("Status", key="status")
        for account, balance in zip(accounts, balances, strict=True):
            number, bank = account_number_text(account.root_account_number, account.currency)
            currency = [] if narrow else [account.currency.upper()]
            table.add_row(
                Text(account.description or "(no description)"),
                number,
                bank,
                *currency,
                balance,
                status_text(account.status),
                key=account.id,
            )

    def _totals_text(self) -> Text:
        totals = totals_by_currency(self.accounts)
        amounts = [amount_text(total, code) for code, (total, _) in totals.items()]
        width = max((len(amount) for amount in amounts), default=0)
        text = Text()
        for index, (code, (_, count)) in enumerate(totals.items()):
            if index:
                text.append("\n")
            plural = "account" if count == 1 else "accounts"
            text.append(f"Total {code}  ", style="bold")
            text.append(amounts[index].rjust(width), style="bold")
            text.append(f"   across {count} {plural}", style="dim")
        return text

    def on_accounts_failed(self, message: messages.AccountsFailed) -> None:
        from fintoc_tui.ui.shell.problems import describe

        app = self.app
        self._prefetched_for = None
        label = app.environment.label if app.environment else ""
        problem = describe(message.error, label)
        if self._updating:
            # The rows are still those of before the movement: keep them, and say so.
            self._updating = False
            self._title(f"balances may be out of date: {problem.title} Press r.", "$text-warning")
            return
        self._show_problem(problem)

    # -- states -----------------------------------------------------------------------------

    def _show(self, view: str) -> None:
        self.query_one(ContentSwitcher).current = view

    def _show_problem(self, problem: Problem) -> None:
        self._show_message(problem.title, problem.advice, kind=problem.kind)

    def _show_message(self, title: str, advice: str, kind: str = "info") -> None:
        self.query_one(StateMessage).show(title, advice, kind=kind)
        self._show("accounts-message")

    # -- opening an account -------------------------------------------------------------------

    @on(DataTable.RowSelected, "#accounts-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_account(event.row_key.value)

    def action_open_account(self) -> None:
        table: DataTable[object] = self.query_one(DataTable)
        if self.accounts and table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            self.open_account(row_key.value)

    def open_account(self, account_id: str | None) -> None:
        account = next((a for a in self.accounts if a.id == account_id), None)
        if account is None:
            return
        self.app.navigator.open_account_detail(account)
