"""The accounts screen: every account with its number, bank and balance, and totals.

States: loading (a LoadingIndicator), the table, and a message that says
what to do next (no environment, no key, refused key, offline, empty).

With `fintoc-tui --sandbox` the first frame shows the accounts the app
prefetched while it loaded (`api.prefetch`, display-only snapshots); the
client lists them again once it is built, and its validated models replace
the snapshots (or its error replaces the table).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Footer, LoadingIndicator, Static

from fintoc_tui.ui import messages
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.widgets.header import FintocHeader
from fintoc_tui.ui.widgets.state_message import StateMessage

STATUS_STYLES = {"active": "green", "pending": "yellow", "blocked": "red", "closed": "red dim"}


def account_number_text(number: str | None, currency: str) -> tuple[str, str]:
    """(grouped number, bank) for the table; CLABEs grouped 3-3-11-1, bank from the prefix."""
    if not number:
        return "—", "—"
    from fintoc_tui import banking

    if currency.upper() == "MXN" and len(number) == 18 and number.isdigit():
        bank = banking.clabe_bank(number)
        return banking.format_clabe(number), bank.name if bank else "unknown bank"
    return number, "Fintoc" if currency.upper() == "CLP" else "—"


def status_text(status: str) -> Text:
    return Text(status, style=STATUS_STYLES.get(status, ""))


def amount_text(minor: int, currency: str, **kwargs: Any) -> str:
    from fintoc_tui.money import format_amount

    return format_amount(minor, currency, **kwargs)


def right_aligned(column: list[str], header: str = "") -> tuple[list[Text], Text]:
    """Pad a column of amounts to one width (DataTable cells do not right-justify)."""
    width = max([len(header), *(len(cell) for cell in column)])
    return [Text(cell.rjust(width)) for cell in column], Text(header.rjust(width))


def totals_by_currency(accounts: list[Any]) -> dict[str, tuple[int, int]]:
    """{currency: (sum of available balances, number of accounts)}, in first-seen order."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for account in accounts:
        entry = totals[account.currency.upper()]
        entry[0] += account.available_balance
        entry[1] += 1
    return {code: (total, count) for code, (total, count) in totals.items()}


def organisation_of(accounts: list[Any]) -> str:
    """The organisation's name: the root account's entity holder (the API has no org call)."""
    root = next((a for a in accounts if getattr(a, "is_root", False)), None)
    holder = root or (accounts[0] if accounts else None)
    entity = getattr(holder, "entity", None)
    return getattr(entity, "holder_name", "") or ""


class AccountsScreen(Screen):
    """Mode "accounts"."""

    BINDINGS = bindings.ACCOUNTS_SCREEN
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
        self.accounts: list[Any] = []
        self._prefetch: Any = None
        """`app.accounts_prefetch`, taken once in compose, used in on_mount."""
        self._prefetched_for: str | None = None
        """The environment whose prefetched snapshots are on screen, until the client answers."""

    def compose(self) -> ComposeResult:
        app: Any = self.app
        self._prefetch, app.accounts_prefetch = app.accounts_prefetch, None
        # Start on the table when its rows are already here: the table is then
        # focused from the first frame, and the footer builds its keys once.
        initial = "accounts-view" if self._prefetch_ready() else "accounts-loading"
        yield FintocHeader()
        with Vertical(id="accounts-body"):
            yield Static("Accounts", id="accounts-title")
            with ContentSwitcher(initial=initial):
                yield LoadingIndicator(id="accounts-loading")
                with Vertical(id="accounts-view"):
                    table: DataTable[Any] = DataTable(
                        id="accounts-table", zebra_stripes=True, cursor_type="row"
                    )
                    yield table
                    yield Static(id="accounts-totals")
                yield StateMessage(id="accounts-message")
        yield Footer()

    def _prefetch_ready(self) -> bool:
        """The start-up prefetch has accounts and nothing else is connected yet."""
        prefetch = self._prefetch
        return self._prefetch_pending() and prefetch.done and bool(prefetch.accounts)

    def _prefetch_pending(self) -> bool:
        """A start-up prefetch is there to use: no client yet, an environment chosen."""
        app: Any = self.app
        return self._prefetch is not None and app.client is None and app.environment is not None

    def on_mount(self) -> None:
        app: Any = self.app
        app.client_changed_signal.subscribe(self, self._client_changed)
        if self._prefetch_ready():
            # Painted on this screen's first frame: the point of the prefetch.
            self._show_prefetched(app.environment.name, self._prefetch.accounts)
        elif self._prefetch_pending():
            environment = app.environment.name

            def arrived(accounts: list[Any] | None) -> None:  # on the prefetch thread
                if accounts:
                    self.post_message(messages.AccountsPrefetched(environment, accounts))

            self._prefetch.when_done(arrived)
        self._prefetch = None
        if not self._showing_prefetched():
            self._client_changed(app.client)

    # -- loading ----------------------------------------------------------------------------

    def _showing_prefetched(self) -> bool:
        """Snapshots for the environment now chosen are on screen, awaiting the client."""
        environment = self.app.environment  # type: ignore[attr-defined]
        return environment is not None and self._prefetched_for == environment.name

    def _client_changed(self, client: Any) -> None:
        app: Any = self.app
        if client is not None:
            self.load()
        elif app.client_problem is not None:
            self._prefetched_for = None
            self._show_problem(app.client_problem)
        elif not self._showing_prefetched():
            self._prefetched_for = None
            self._show("accounts-loading")

    def action_refresh(self) -> None:
        app: Any = self.app
        if app.client is not None:
            self.load()
        elif app.environment is not None and not app.connecting:
            app.apply_environment(app.environment.name)  # e.g. the sandbox failed to start

    def load(self) -> None:
        if not self._showing_prefetched():
            self._show("accounts-loading")
        self._fetch(self.app.client)  # type: ignore[attr-defined]

    @work(exclusive=True, group="accounts", exit_on_error=False)
    async def _fetch(self, client: Any) -> None:
        try:
            accounts = await client.list_accounts()
        except Exception as error:
            message: Any = messages.AccountsFailed(error)
        else:
            message = messages.AccountsLoaded(accounts)
        if client is self.app.client:  # type: ignore[attr-defined]
            # An answer for a client the app has since dropped (another
            # environment or key) would show the wrong organisation's money.
            self.post_message(message)

    def on_accounts_prefetched(self, message: messages.AccountsPrefetched) -> None:
        """Late snapshots still beat a spinner, until the client has answered itself."""
        environment = self.app.environment  # type: ignore[attr-defined]
        still_loading = self.query_one(ContentSwitcher).current == "accounts-loading"
        if still_loading and environment is not None and environment.name == message.environment:
            self._show_prefetched(message.environment, message.accounts)

    def _show_prefetched(self, environment: str, snapshots: list[Any]) -> None:
        """Show the prefetched snapshots; `app.accounts` waits for the client's models."""
        self._prefetched_for = environment
        self.accounts = snapshots
        self.app.organisation = organisation_of(snapshots)  # type: ignore[attr-defined]
        self._fill_table(snapshots)

    def on_accounts_loaded(self, message: messages.AccountsLoaded) -> None:
        app: Any = self.app
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

    def _fill_table(self, accounts: list[Any]) -> None:
        """The table and totals for `accounts` (models or prefetched snapshots alike)."""
        app: Any = self.app
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        balances, balance_header = right_aligned(
            [amount_text(a.available_balance, a.currency) for a in accounts],
            "Available balance",
        )
        table.add_column("Description", key="description")
        table.add_column("Account number", key="number")
        table.add_column("Bank", key="bank")
        table.add_column("Currency", key="currency")
        table.add_column(balance_header, key="balance")
        table.add_column("Status", key="status")
        for account, balance in zip(accounts, balances, strict=True):
            number, bank = account_number_text(account.root_account_number, account.currency)
            table.add_row(
                Text(account.description or "(no description)"),
                number,
                bank,
                account.currency.upper(),
                balance,
                status_text(account.status),
                key=account.id,
            )
        if 0 <= cursor < table.row_count:
            table.move_cursor(row=cursor)
        self.query_one("#accounts-totals", Static).update(self._totals_text())
        self._show("accounts-view")
        table.focus()
        self.call_after_refresh(app.accounts_painted)

    def _totals_text(self) -> Text:
        from fintoc_tui.money import format_amount

        totals = totals_by_currency(self.accounts)
        amounts = [format_amount(total, code) for code, (total, _) in totals.items()]
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

        app: Any = self.app
        self._prefetched_for = None
        label = app.environment.label if app.environment else ""
        self._show_problem(describe(message.error, label))

    # -- states -----------------------------------------------------------------------------

    def _show(self, view: str) -> None:
        self.query_one(ContentSwitcher).current = view

    def _show_problem(self, problem: Any) -> None:
        self._show_message(problem.title, problem.advice, kind=problem.kind)

    def _show_message(self, title: str, advice: str, kind: str = "info") -> None:
        self.query_one(StateMessage).show(title, advice, kind=kind)
        self._show("accounts-message")

    # -- opening an account -------------------------------------------------------------------

    @on(DataTable.RowSelected, "#accounts-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_account(event.row_key.value)

    def action_open_account(self) -> None:
        table = self.query_one(DataTable)
        if self.accounts and table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            self.open_account(row_key.value)

    def open_account(self, account_id: str | None) -> None:
        account = next((a for a in self.accounts if a.id == account_id), None)
        if account is None:
            return
        from fintoc_tui.ui.accounts.account_detail_screen import AccountDetailScreen

        self.app.push_screen(AccountDetailScreen(account))
