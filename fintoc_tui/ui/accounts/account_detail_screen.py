"""One account: all its movements (paged as you scroll, filtered), its account numbers
(create, edit, disable/enable, delete) and its monthly statements (download the PDF),
each in a tab, and a way to start a transfer from it. Pushed over the accounts screen.

The panels live in their own modules (movements_table, account_numbers_panel,
statements_panel); this screen owns the state, starts the workers and
handles their messages.

Long module: one screen with three panels; their widgets, dialogs and the
confirmations' words are already apart (the modules above, number_changes),
and what is left is each action's worker and handler, which share the
screen's state (the client, the filters, the notes) and belong together.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    LoadingIndicator,
    Static,
    TabbedContent,
    TabPane,
)

from fintoc_tui.ui import messages
from fintoc_tui.ui.accounts import number_changes
from fintoc_tui.ui.accounts.account_numbers_panel import AccountNumbersPanel
from fintoc_tui.ui.accounts.movements_table import (
    PAGE_SIZE,
    MovementFilters,
    MovementsTable,
    movement_row,
)
from fintoc_tui.ui.accounts.statements_panel import StatementsPanel
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.shell.money_moved import MoneyFollower
from fintoc_tui.ui.widgets.cells import account_number_text, amount_text, status_text
from fintoc_tui.ui.widgets.footer import KeysFooter
from fintoc_tui.ui.widgets.header import FintocHeader
from fintoc_tui.ui.widgets.state_message import StateMessage

if TYPE_CHECKING:
    from fintoc_tui.api.account_number_models import ManagedAccountNumber
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.api.models import Account, AccountNumber
    from fintoc_tui.api.prefetch import AccountSnapshot
    from fintoc_tui.api.statement_models import AccountStatement
    from fintoc_tui.ui.shell.app import FintocApp
    from fintoc_tui.ui.shell.problems import Problem

__all__ = ["PAGE_SIZE", "AccountDetailScreen", "movement_row"]

TABS = ("tab-movements", "tab-numbers", "tab-statements")
HINTS = {
    "tab-movements": "f  filter movements    v  next view    n  new transfer    esc  back",
    "tab-numbers": "c  new number    u  edit    d  disable/enable    x  delete    v  next view",
    "tab-statements": "s  download the PDF to the exports folder    v  next view    esc  back",
}


class AccountDetailScreen(Screen[None]):
    """Opened with Enter on an account; Escape goes back."""

    app: FintocApp

    BINDINGS = bindings.ACCOUNT_DETAIL_SCREEN  # type: ignore[assignment]
    DEFAULT_CSS = """
    AccountDetailScreen #detail-body { padding: 1 2 0 2; }
    AccountDetailScreen #detail-title { height: auto; margin-bottom: 1; }
    AccountDetailScreen .panel-note { height: auto; color: $text-muted; }
    AccountDetailScreen #detail-hint { height: 1; margin-top: 1; color: $text-muted; }
    AccountDetailScreen ContentSwitcher { height: 1fr; }
    AccountDetailScreen #detail-view { height: 1fr; }
    AccountDetailScreen TabPane { padding: 0; height: 1fr; }
    AccountDetailScreen TabPane DataTable { height: 1fr; }
    """

    def __init__(self, account: Account | AccountSnapshot) -> None:
        super().__init__()
        self.account = account
        self.filters = MovementFilters()
        self.money: MoneyFollower | None = None
        self._quiet = False
        """This load follows a money movement: keep the figures on screen meanwhile."""

    @property
    def currency(self) -> str:
        return self.account.currency.upper()

    def compose(self) -> ComposeResult:
        yield FintocHeader()
        with Vertical(id="detail-body"):
            yield Static(self._title(), id="detail-title")
            with ContentSwitcher(initial="detail-loading"):
                yield LoadingIndicator(id="detail-loading")
                with TabbedContent(id="detail-view", initial="tab-movements"):
                    with TabPane("Movements", id="tab-movements"):
                        yield Static("", id="detail-movements-title", classes="panel-note")
                        yield MovementsTable(id="detail-movements")
                    with TabPane("Account numbers", id="tab-numbers"):
                        yield AccountNumbersPanel(self.currency, id="detail-numbers")
                        yield Static("", id="numbers-note", classes="panel-note")
                    with TabPane("Statements", id="tab-statements"):
                        yield StatementsPanel(self.currency, id="detail-statements")
                        yield Static(
                            "Loading statements…", id="statements-note", classes="panel-note"
                        )
                yield StateMessage(id="detail-message")
            yield Static(HINTS["tab-movements"], id="detail-hint")
        yield KeysFooter()

    def _title(self) -> Text:
        account = self.account
        number, bank = account_number_text(account.root_account_number, account.currency)
        text = Text(account.description or "(no description)", style="bold")
        text.append(f"   {number} · {bank} · {account.currency.upper()}   ")
        text.append("Available ")
        text.append(amount_text(account.available_balance, account.currency), style="bold")
        text.append("   ")
        text.append_text(status_text(account.status))
        return text

    def on_mount(self) -> None:
        app = self.app
        if app.client is None and app.connecting:
            # Opened from the prefetched accounts before the client was built:
            # wait for it rather than say there is no environment.
            app.client_changed_signal.subscribe(self, self._client_arrived)
        self.money = MoneyFollower(self, self._money_moved)
        self.action_refresh()

    def on_unmount(self) -> None:
        """Closed: leave the app's signals, so nothing holds this screen (`MoneyFollower`)."""
        if self.money is not None:
            self.money.forget()
        self.app.client_changed_signal.unsubscribe(self)

    def _money_moved(self) -> None:
        """The balance, numbers and newest movements again, in place (`shell/money_moved.py`)."""
        client = self.app.client
        if client is None:
            return
        if self.query_one(ContentSwitcher).current != "detail-view":
            self.action_refresh()
            return
        self._quiet = True
        self._fetch(client, self.account.id, self.filters)

    def _client_arrived(self, client: FintocClient | None) -> None:
        if client is not None or self.app.client_problem is not None:
            self.app.client_changed_signal.unsubscribe(self)
            self.action_refresh()

    def _problem(self, error: Exception) -> Problem:
        from fintoc_tui.ui.shell.problems import describe

        environment = self.app.environment
        return describe(error, environment.label if environment else "")

    # -- loading ---------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self._quiet = False
        client = self.app.client
        if client is None and self.app.connecting:
            self.query_one(ContentSwitcher).current = "detail-loading"
            return
        if client is None:
            from fintoc_tui.ui.shell.problems import no_environment

            problem = self.app.client_problem or no_environment()
            self.query_one(StateMessage).show(problem.title, problem.advice, kind=problem.kind)
            self.query_one(ContentSwitcher).current = "detail-message"
            return
        self.query_one(ContentSwitcher).current = "detail-loading"
        self._fetch(client, self.account.id, self.filters)
        self._fetch_statements(client, self.account.id)

    @work(exclusive=True, group="account-detail", exit_on_error=False)
    async def _fetch(self, client: FintocClient, account_id: str, filters: MovementFilters) -> None:
        import asyncio

        try:
            account, numbers, page = await asyncio.gather(
                client.get_account(account_id),  # the header's balance is the one of now
                client.list_account_number_details(account_id=account_id),
                client.list_movements_page(account_id, limit=PAGE_SIZE, **filters.api_params()),
            )
        except Exception as error:
            self.post_message(messages.AccountDetailFailed(error))
        else:
            self.post_message(messages.AccountDetailLoaded(account, list(numbers), []))
            self.post_message(
                messages.MovementsPageLoaded(list(page.items), page.next_url, first=True)
            )

    @work(exclusive=True, group="account-movements", exit_on_error=False)
    async def _fetch_movements(
        self, client: FintocClient, account_id: str, filters: MovementFilters, next_url: str | None
    ) -> None:
        try:
            page = await client.list_movements_page(
                account_id, limit=PAGE_SIZE, next_url=next_url, **filters.api_params()
            )
        except Exception as error:
            self.post_message(messages.MovementsPageFailed(error))
        else:
            first = next_url is None
            self.post_message(
                messages.MovementsPageLoaded(list(page.items), page.next_url, first=first)
            )

    @work(exclusive=True, group="account-statements", exit_on_error=False)
    async def _fetch_statements(self, client: FintocClient, account_id: str) -> None:
        try:
            statements = await client.list_account_statements(account_id)
        except Exception as error:
            self.post_message(messages.AccountStatementsLoaded([], error))
        else:
            self.post_message(messages.AccountStatementsLoaded(statements))

    def on_account_detail_loaded(self, message: messages.AccountDetailLoaded) -> None:
        quiet, self._quiet = self._quiet, False
        self.account = message.account
        self.query_one("#detail-title", Static).update(self._title())
        self.query_one(AccountNumbersPanel).show(message.account_numbers)
        self._numbers_note("")
        if quiet:  # a reload after money moved: the person stays where they are
            return
        self.query_one(ContentSwitcher).current = "detail-view"
        self._focus_tab()

    def on_account_detail_failed(self, message: messages.AccountDetailFailed) -> None:
        problem = self._problem(message.error)
        self.query_one(StateMessage).show(problem.title, problem.advice, kind=problem.kind)
        self.query_one(ContentSwitcher).current = "detail-message"

    # -- movements ---------------------------------------------------------------------------

    def on_movements_page_loaded(self, message: messages.MovementsPageLoaded) -> None:
        table = self.query_one(MovementsTable)
        if message.first:
            table.show_first(message.movements, message.next_url)
        else:
            table.add_page(message.movements, message.next_url)
        self._movements_title()
        self._more_if_near_end()

    def on_movements_page_failed(self, message: messages.MovementsPageFailed) -> None:
        table = self.query_one(MovementsTable)
        table.loading_more = False
        problem = self._problem(message.error)
        self.query_one("#detail-movements-title", Static).update(
            Text(f"{problem.title} {problem.advice} Scroll down to try again.", style="bold red")
        )

    def _movements_title(self) -> None:
        table = self.query_one(MovementsTable)
        shown = len(table.movements)
        more = "; more load as you scroll" if table.next_url else " (all of them)"
        what = (
            "All movements" if not self.filters.active else f"Movements: {self.filters.describe()}"
        )
        self.query_one("#detail-movements-title", Static).update(
            f"{what}, newest first: {shown:,} shown{more}. f to filter."
        )

    @on(DataTable.RowHighlighted, "#detail-movements")
    @on(MovementsTable.Scrolled)
    def _more_if_near_end(self) -> None:
        table = self.query_one(MovementsTable)
        client = self.app.client
        if client is None or not table.wants_more:
            return
        table.loading_more = True
        self._fetch_movements(client, self.account.id, self.filters, table.next_url)

    def action_movement_filters(self) -> None:
        from fintoc_tui.ui.accounts.movement_filter_dialog import MovementFilterDialog

        def chosen(filters: MovementFilters | None) -> None:
            client = self.app.client
            if filters is None or client is None:
                return
            self.filters = filters
            self._show_tab("tab-movements")
            table = self.query_one(MovementsTable)
            table.loading_more = True
            self.query_one("#detail-movements-title", Static).update("Loading movements…")
            self._fetch_movements(client, self.account.id, filters, None)

        self.app.push_screen(MovementFilterDialog(self.filters), chosen)

    # -- tabs ------------------------------------------------------------------------------

    def _show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._focus_tab()

    def _focus_tab(self) -> None:
        active = self.query_one(TabbedContent).active or TABS[0]
        self.query_one(f"#{active} DataTable", DataTable).focus()

    def action_next_view(self) -> None:
        active = self.query_one(TabbedContent).active or TABS[0]
        self._show_tab(TABS[(TABS.index(active) + 1) % len(TABS)])

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or TABS[0]
        self.query_one("#detail-hint", Static).update(HINTS.get(pane, ""))

    # -- account numbers ------------------------------------------------------------------

    def _numbers_note(self, text: str | Text) -> None:
        self.query_one("#numbers-note", Static).update(text)

    def _selected_number(self) -> AccountNumber | None:
        self._show_tab("tab-numbers")
        number = self.query_one(AccountNumbersPanel).selected
        if number is None:
            self._numbers_note("No account number is highlighted: choose one with ↑ ↓ first.")
        return number

    def _confirm(
        self,
        confirmation: number_changes.Confirmation,
        done: str,
        change: Callable[[FintocClient], Awaitable[ManagedAccountNumber]],
        *,
        danger: bool = False,
    ) -> None:
        from fintoc_tui.ui.accounts.confirm_change_dialog import ConfirmChangeDialog

        title, body, label = confirmation

        def answered(yes: bool | None) -> None:
            client = self.app.client
            if not yes:
                self._numbers_note("Nothing was changed.")
                return
            if client is None:
                self._numbers_note("Not connected: nothing was changed. Press r once connected.")
                return
            self._numbers_note("Sending…")
            self._change_number(done, change(client))

        self.app.push_screen(ConfirmChangeDialog(title, body, label, danger=danger), answered)

    @work(group="account-number-change", exit_on_error=False)
    async def _change_number(self, done: str, change: Awaitable[ManagedAccountNumber]) -> None:
        try:
            number = await change
        except Exception as error:
            self.post_message(messages.AccountNumberChanged(done, None, error))
        else:
            self.post_message(messages.AccountNumberChanged(done, number))

    def on_account_number_changed(self, message: messages.AccountNumberChanged) -> None:
        panel = self.query_one(AccountNumbersPanel)
        if message.error is not None or message.number is None:
            problem = self._problem(message.error or RuntimeError("no answer"))
            self._numbers_note(
                Text(f"Nothing was changed. {problem.title} {problem.advice}", style="bold red")
            )
            return
        number = message.number
        numbers = [number if n.id == number.id else n for n in panel.numbers]
        if message.done == "created":
            numbers.insert(0, number)
        panel.show(numbers)
        grouped, _bank = account_number_text(number.number, self.currency)
        self._numbers_note(f"Account number {grouped} {message.done}.")
        self.notify(f"Account number {grouped} {message.done}.", title="Account numbers")

    def action_create_number(self) -> None:
        from fintoc_tui.api.account_number_models import (
            AccountNumberCreateRequest,
            AccountNumberOptions,
        )
        from fintoc_tui.ui.accounts.account_number_dialog import AccountNumberDialog

        self._show_tab("tab-numbers")
        account_id = self.account.id
        label = self.account.description or account_id

        def filled(form: number_changes.NumberForm | None) -> None:
            if form is None:
                self._numbers_note("Nothing was created.")
                return
            request = AccountNumberCreateRequest(
                account_id=account_id,
                description=form.description,
                metadata=form.metadata or None,
                options=AccountNumberOptions(
                    min_amount=form.min_amount, max_amount=form.max_amount
                ),
            )
            self._confirm(
                number_changes.confirm_create(form, label, self.currency),
                "created",
                lambda client: client.create_account_number(request),
            )

        self.app.push_screen(
            AccountNumberDialog(f"New account number for {label}", self.currency), filled
        )

    def action_edit_number(self) -> None:
        from fintoc_tui.api.account_number_models import (
            AccountNumberOptions,
            AccountNumberUpdateRequest,
        )
        from fintoc_tui.ui.accounts.account_number_dialog import AccountNumberDialog

        number = self._selected_number()
        if number is None:
            return
        options = getattr(number, "options", None)
        current = number_changes.NumberForm(
            description=number.description,
            min_amount=getattr(options, "min_amount", None),
            max_amount=getattr(options, "max_amount", None),
            metadata={str(k): str(v) for k, v in number.metadata.items()},
        )

        def filled(form: number_changes.NumberForm | None) -> None:
            if form is None:
                self._numbers_note("Nothing was changed.")
                return
            request = AccountNumberUpdateRequest(
                description=form.description,
                metadata=form.metadata,
                options=AccountNumberOptions(
                    min_amount=form.min_amount, max_amount=form.max_amount
                ),
            )
            self._confirm(
                number_changes.confirm_edit(number, form, self.currency),
                "changed",
                lambda client: client.update_account_number(number.id, request),
            )

        grouped, _bank = account_number_text(number.number, self.currency)
        self.app.push_screen(
            AccountNumberDialog(f"Edit account number {grouped}", self.currency, current), filled
        )

    def action_toggle_number(self) -> None:
        number = self._selected_number()
        if number is None:
            return
        enable = not number.is_enabled
        self._confirm(
            number_changes.confirm_toggle(number, self.currency),
            "enabled" if enable else "disabled",
            lambda client: client.set_account_number_enabled(number.id, enable),
            danger=not enable,
        )

    def action_delete_number(self) -> None:
        number = self._selected_number()
        if number is None:
            return
        if number.is_root:
            self._numbers_note(
                "The root account number cannot be deleted: it is the account's own number, "
                "the one its transfers are sent from. Disable it (d) to refuse inbound money."
            )
            return
        self._confirm(
            number_changes.confirm_delete(number, self.currency),
            "deleted",
            lambda client: client.delete_account_number(number.id),
            danger=True,
        )

    # -- statements ------------------------------------------------------------------------

    def on_account_statements_loaded(self, message: messages.AccountStatementsLoaded) -> None:
        self.query_one(StatementsPanel).show(message.statements)
        note = self.query_one("#statements-note", Static)
        if message.error is not None:
            problem = self._problem(message.error)
            note.update(Text(f"{problem.title} {problem.advice}", style="bold red"))
        elif message.statements:
            note.update("One statement per month, made at the start of the next one.")
        else:
            note.update("No statements yet: the first comes at the start of next month.")

    def action_download_statement(self) -> None:
        self._show_tab("tab-statements")
        statement = self.query_one(StatementsPanel).selected
        note = self.query_one("#statements-note", Static)
        client = self.app.client
        if statement is None:
            note.update("No statement is highlighted: choose one with ↑ ↓ first.")
            return
        if client is None:
            note.update("Not connected: press r once connected.")
            return
        note.update(f"Downloading the statement for {statement.period}…")
        self._download(client, statement)

    @work(group="statement-download", exit_on_error=False)
    async def _download(self, client: FintocClient, statement: AccountStatement) -> None:
        import asyncio

        from fintoc_tui.downloads import save_document

        try:
            pdf = await client.download_account_statement(statement)
            stem = f"statement-{self.account.id}-{statement.start_date.strftime('%Y-%m')}"
            path = await asyncio.to_thread(save_document, pdf, stem, ".pdf")
        except Exception as error:
            self.post_message(messages.StatementDownloaded(statement.period, None, error))
        else:
            self.post_message(messages.StatementDownloaded(statement.period, path))

    def on_statement_downloaded(self, message: messages.StatementDownloaded) -> None:
        note = self.query_one("#statements-note", Static)
        if message.path is None:
            problem = self._problem(message.error or RuntimeError("no file"))
            note.update(
                Text(f"The PDF was not saved. {problem.title} {problem.advice}", style="bold red")
            )
            return
        note.update(f"Saved the {message.period} statement to {message.path}")
        self.notify(str(message.path), title=f"Statement {message.period} saved")

    # -- the rest ----------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_new_transfer(self) -> None:
        self.app.new_transfer(self.account.id)
