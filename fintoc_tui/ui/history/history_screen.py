"""Transfer history: every transfer, newest first, paged by the API's cursor.

The first page shows as soon as it arrives; the next page is fetched in a
worker when the cursor (or the viewport) comes near the last loaded row, so
a history of 100,000 transfers costs what one page costs. Only small row
tuples of display strings are kept (for the table and the local search);
the detail screen fetches the full transfer when it opens. After money
moves (`shell/money_moved.py`) the first page is fetched again and merged in
(`rows.merge_newest`): new transfers on top, filters and search kept; a
person at the top sees the new ones, one further down keeps the cursor's
transfer in place.

Long module: paging, the local search, the API filters and the actions all
read and reset the same state (generation, rows, cursor); rows, filters and
the table are in their own modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, LoadingIndicator, Select, Static

from fintoc_tui.ui import messages
from fintoc_tui.ui.history.filter_dialog import HistoryFilterDialog
from fintoc_tui.ui.history.filters import HistoryFilters
from fintoc_tui.ui.history.history_table import HistoryTable
from fintoc_tui.ui.history.rows import COLUMNS, HistoryRow, history_row, matches, merge_newest
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.shell.money_moved import MoneyFollower
from fintoc_tui.ui.widgets.footer import KeysFooter
from fintoc_tui.ui.widgets.header import FintocHeader
from fintoc_tui.ui.widgets.state_message import StateMessage

if TYPE_CHECKING:
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.api.models import Account, AccountNumber, Transfer
    from fintoc_tui.ui.shell.app import FintocApp

#: Rows asked for on the first request: small, so the first rows show fast.
FIRST_PAGE_SIZE = 100
#: Rows per later request (the API's maximum is 300).
PAGE_SIZE = 200


def with_limit(next_url: str, limit: int) -> str:
    """The API's next-page URL with another page size.

    The `Link` URL repeats the first request's `limit` (small, for a fast
    first screen); the cursor (`starting_after`) and filters stay as given.
    """
    import httpx

    return str(httpx.URL(next_url).copy_set_param("limit", str(limit)))


class HistoryScreen(Screen[None]):
    """The history mode's screen."""

    app: FintocApp

    BINDINGS: ClassVar[list[BindingType]] = bindings.HISTORY_SCREEN  # type: ignore[assignment]

    AUTO_FOCUS = "HistoryTable"

    DEFAULT_CSS = """
    HistoryScreen #history-bar { height: 1; padding: 0 1; background: $panel; }
    HistoryScreen #history-filters { width: 1fr; color: $text-accent; }
    HistoryScreen #history-count { width: auto; color: $text-muted; }
    HistoryScreen #history-search { display: none; height: 3; }
    HistoryScreen #history-search.-open { display: block; }
    HistoryScreen #history-state { display: none; }
    HistoryScreen #history-state.-shown { display: block; }
    HistoryScreen LoadingIndicator { display: none; height: 3; }
    HistoryScreen LoadingIndicator.-shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.filters = HistoryFilters()
        self.search = ""
        self.rows: list[HistoryRow] = []
        """Every loaded row, in API order (the table may show a searched subset)."""
        self.next_url: str | None = None
        self.loading_more = False
        self.exhausted = False
        self.generation = 0
        self.error: Exception | None = None
        self.accounts: list[Account] = []
        self.account_numbers: list[AccountNumber] = []
        self._clearable = False
        self.money: MoneyFollower | None = None

    def compose(self) -> ComposeResult:
        yield FintocHeader()
        with Horizontal(id="history-bar"):
            yield Static("", id="history-filters")
            yield Static("", id="history-count")
        search = Input(
            placeholder="Search loaded transfers: reference, comment, name, id", id="history-search"
        )
        search.can_focus = False  # only while open: `/` opens it
        yield search
        yield LoadingIndicator()
        yield StateMessage(id="history-state")
        yield HistoryTable(COLUMNS, id="history-table")
        yield KeysFooter()

    @property
    def client(self) -> FintocClient | None:
        return self.app.client

    @property
    def table(self) -> HistoryTable:
        return self.query_one(HistoryTable)

    @property
    def test_mode(self) -> bool:
        environment = self.app.environment
        return environment is not None and environment.mode == "test"

    def on_mount(self) -> None:
        self.app.client_changed_signal.subscribe(self, self._client_changed)
        self.money = MoneyFollower(self, self.refresh_newest)
        self.reload()

    def _client_changed(self, client: FintocClient | None) -> None:
        self.accounts = []
        self.account_numbers = []
        self.filters = HistoryFilters()
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "simulate_inbound":
            return self.test_mode
        if action == "clear_filters":
            return self.filters.active or bool(self.search)
        return True

    # -- loading ---------------------------------------------------------------------

    def reload(self) -> None:
        """Start again from the first page with the current filters."""
        self.generation += 1
        self.rows = []
        self.next_url = None
        self.exhausted = False
        self.loading_more = False
        self.error = None
        self.table.clear()
        self.workers.cancel_group(self, "history-page")
        if self.client is None:
            problem = self.app.client_problem
            if problem is not None:
                self._show_state(problem.title, problem.advice, kind=problem.kind)
            else:
                self._show_state(
                    "Connecting…", "The history loads as soon as the connection is up."
                )
            self._update_bar()
            return
        self._show_loading(True)
        self._show_state(None)
        self._update_bar()
        self._fetch_page(self.generation, None, first=True)

    @work(exclusive=True, group="history-page", exit_on_error=False)
    async def _fetch_page(self, generation: int, next_url: str | None, *, first: bool) -> None:
        client = self.client
        if client is None:
            return
        try:
            if next_url is None:
                page = await client.list_transfers_page(
                    limit=FIRST_PAGE_SIZE, **self.filters.api_params()
                )
            else:
                page = await client.list_transfers_page(next_url=with_limit(next_url, PAGE_SIZE))
            rows = [history_row(t) for t in page.items]
        except Exception as error:  # shown as a message, never a traceback
            self.post_message(messages.HistoryPageFailed(generation, error, first=first))
            return
        self.post_message(messages.HistoryPageLoaded(generation, rows, page.next_url, first=first))

    def load_more(self) -> bool:
        """Fetch the next page unless one is on its way or there is none; True if started."""
        if self.loading_more or self.exhausted or self.next_url is None or self.error:
            return False
        self.loading_more = True
        self._update_bar()
        self._fetch_page(self.generation, self.next_url, first=False)
        return True

    @on(messages.HistoryPageLoaded)
    def _page_loaded(self, message: messages.HistoryPageLoaded) -> None:
        if message.generation != self.generation:
            return
        self.loading_more = False
        self._show_loading(False)
        self.rows.extend(message.rows)
        self.next_url = message.next_url
        self.exhausted = message.next_url is None
        needle = self.search
        shown = [r for r in message.rows if matches(r, needle)] if needle else message.rows
        self.table.append_rows(shown)
        if not self.rows:
            self._show_state(*self._empty_text())
        else:
            self._show_state(None)
        self._update_bar()

    @on(messages.HistoryPageFailed)
    def _page_failed(self, message: messages.HistoryPageFailed) -> None:
        if message.generation != self.generation:
            return
        from fintoc_tui.ui.shell.problems import describe

        self.loading_more = False
        self._show_loading(False)
        environment = self.app.environment
        problem = describe(message.error, environment.label if environment else "")
        if message.first:
            self.error = message.error
            self._show_state(
                f"Could not load the history. {problem.title}", problem.advice, kind=problem.kind
            )
        else:
            # Keep what is loaded; the next scroll near the end tries again.
            self.notify(f"{problem.title} {problem.advice}", title="History", severity="error")
        self._update_bar()

    def refresh_newest(self) -> None:
        """Money moved: fetch the first page again and merge it in, keeping the person's place."""
        if self.client is None or self.error is not None or not self.rows:
            self.reload()
        else:
            self._fetch_newest(self.generation)

    @work(exclusive=True, group="history-newest", exit_on_error=False)
    async def _fetch_newest(self, generation: int) -> None:
        client = self.client
        if client is None:
            return
        try:
            page = await client.list_transfers_page(
                limit=FIRST_PAGE_SIZE, **self.filters.api_params()
            )
        except Exception as error:
            from fintoc_tui.ui.shell.problems import describe

            problem = describe(error)
            self.notify(f"{problem.title} {problem.advice}", title="History", severity="warning")
            return
        rows = [history_row(t) for t in page.items]
        self.post_message(messages.HistoryNewestLoaded(generation, rows))

    @on(messages.HistoryNewestLoaded)
    def _newest_loaded(self, message: messages.HistoryNewestLoaded) -> None:
        if message.generation != self.generation:
            return
        merged = merge_newest(self.rows, message.rows)
        if merged is None:
            self.reload()
            return
        table = self.table
        at, top = table.cursor_row, round(table.scroll_offset.y)
        current = table.row(at)[6] if table.row_count else None  # HistoryRow.id
        self.rows = merged
        shown = [r for r in merged if matches(r, self.search)] if self.search else merged
        table.set_rows(shown)
        index = next((i for i, r in enumerate(shown) if r.id == current), None)
        if at == 0 and top == 0:  # at the top: the newest stay in view, new ones first
            table.cursor_row = 0
        elif index is not None:  # the same transfer under the cursor, at the same height
            table.scroll_to(y=top + index - at, animate=False, immediate=True)
            table.cursor_row = index
        self._update_bar()

    @on(HistoryTable.NearEnd)
    def _near_end(self, event: HistoryTable.NearEnd) -> None:
        event.stop()
        self.load_more()

    # -- what the screen says --------------------------------------------------------

    def _empty_text(self) -> tuple[str, str]:
        if self.filters.active:
            return "No transfers match these filters.", "Press c to clear them or f to change them."
        if self.test_mode:
            return (
                "No transfers yet.",
                "Press t to make one, or i to simulate an incoming transfer.",
            )
        return "No transfers yet.", "Press t to make one."

    def _show_loading(self, shown: bool) -> None:
        self.query_one(LoadingIndicator).set_class(shown, "-shown")

    def _show_state(self, title: str | None, advice: str = "", *, kind: str = "info") -> None:
        """Show the empty/error message instead of the table, or hide it (title None)."""
        state = self.query_one("#history-state", StateMessage)
        if title is not None:
            state.show(title, advice, kind=kind)
        state.set_class(title is not None, "-shown")
        self.table.display = title is None

    def _update_bar(self) -> None:
        chips = self.filters.describe()
        if self.search:
            chips.append(f"search: “{self.search}”")
        text = (
            "Filters: " + " · ".join(chips) + "  (c clears)"
            if chips
            else "All transfers · f to filter, / to search"
        )
        self.query_one("#history-filters", Static).update(Text(text))
        loaded = len(self.rows)
        if self.loading_more:
            more = "loading more…"
        elif self.exhausted:
            more = "all loaded"
        elif self.next_url:
            more = "more available"
        else:
            more = ""
        shown = ""
        if self.search:
            shown = f"{self.table.row_count:,} shown of "
        count = f"{shown}{loaded:,} loaded" + (f" · {more}" if more else "")
        self.query_one("#history-count", Static).update(Text(count))
        # Only when "clear filters" changes: refreshing the footer re-lays it out (~tens of ms).
        clearable = self.filters.active or bool(self.search)
        if clearable != self._clearable:
            self._clearable = clearable
            self.refresh_bindings()

    def update_transfer(self, transfer: Transfer) -> None:
        """A fresher copy of a loaded transfer (the detail screen saw it change)."""
        row = history_row(transfer)
        for index, old in enumerate(self.rows):
            if old.id == row.id:
                self.rows[index] = row
                break
        else:
            return
        self.table.replace_row(lambda r: r[6] == row.id, row)

    @on(messages.TransferRefreshed)
    def _transfer_refreshed(self, message: messages.TransferRefreshed) -> None:
        self.update_transfer(message.transfer)

    # -- search ------------------------------------------------------------------------

    def action_filter(self) -> None:
        """`/` (the shared "filter" key): the quick local search."""
        search = self.query_one("#history-search", Input)
        search.add_class("-open")
        search.can_focus = True
        search.focus()

    def _hide_search(self) -> None:
        """Close the search box; while closed it cannot take focus (mode keys stay keys)."""
        search = self.query_one("#history-search", Input)
        search.remove_class("-open")
        search.can_focus = False
        if self.focused is search or self.focused is None:
            self.table.focus()

    def action_close_search(self) -> None:
        search = self.query_one("#history-search", Input)
        if search.has_class("-open"):
            self._hide_search()

    @on(Input.Changed, "#history-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.apply_search(event.value)

    @on(Input.Submitted, "#history-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.table.focus()

    def apply_search(self, text: str) -> None:
        """Filter what is loaded, locally: reference, comment, name, bank, id, tracking key."""
        self.search = text.strip().casefold()
        needle = self.search
        self.table.set_rows([r for r in self.rows if matches(r, needle)] if needle else self.rows)
        self._update_bar()

    # -- filters -----------------------------------------------------------------------

    def set_filters(self, filters: HistoryFilters) -> None:
        if filters != self.filters:
            self.filters = filters
            self.reload()

    def action_filters(self) -> None:
        if not self.accounts:
            self.accounts = list(self.app.accounts)
        choices = [(_account_label(a), a.id) for a in self.accounts]

        def done(result: HistoryFilters | None) -> None:
            if result is not None:
                self.set_filters(result)

        self.app.push_screen(HistoryFilterDialog(self.filters, choices), done)
        if not self.accounts:
            self._load_accounts()

    def action_clear_filters(self) -> None:
        search = self.query_one("#history-search", Input)
        search.value = ""
        self._hide_search()
        self.search = ""
        if self.filters.active:
            self.filters = HistoryFilters()
            self.reload()
        else:
            self.apply_search("")
        self.table.focus()

    def action_refresh(self) -> None:
        self.reload()

    @work(exclusive=True, group="history-accounts", exit_on_error=False)
    async def _load_accounts(self) -> None:
        client = self.client
        if client is None:
            return
        try:
            accounts = await client.list_accounts()
            numbers = await client.list_account_numbers()
        except Exception as error:
            from fintoc_tui.ui.shell.problems import describe

            self.notify(describe(error).title, title="Accounts", severity="error")
            return
        self.post_message(messages.HistoryAccountsLoaded(accounts, numbers))

    @on(messages.HistoryAccountsLoaded)
    def _accounts_loaded(self, message: messages.HistoryAccountsLoaded) -> None:
        self.accounts = list(message.accounts)
        self.account_numbers = list(message.account_numbers)
        dialog = self.app.screen
        if isinstance(dialog, HistoryFilterDialog):
            dialog.query_one("#filter-account", Select).set_options(
                [(_account_label(a), a.id) for a in self.accounts]
            )

    # -- detail, export, simulate -------------------------------------------------------

    @on(HistoryTable.Selected)
    def _open(self, event: HistoryTable.Selected) -> None:
        event.stop()
        row = self.table.row(event.row)
        self.app.navigator.open_transfer_detail(row[6])  # HistoryRow.id

    def action_export(self) -> None:
        if self.client is None:
            self.notify("Connect to an environment first (press e).", severity="warning")
            return
        from fintoc_tui.ui.history.export_dialog import HistoryExportDialog

        total = len(self.rows) if self.exhausted and not self.search else None
        self.app.push_screen(HistoryExportDialog(self.filters, self.search, known_total=total))

    def action_simulate_inbound(self) -> None:
        if not self.test_mode or self.client is None:
            return
        from fintoc_tui.ui.history.simulate_dialog import SimulateInboundDialog

        def done(transfer: Transfer | None) -> None:
            if transfer is not None:
                # The list updates itself: the app announced the movement.
                if str(transfer.status) == "pending":  # as in Fintoc's test mode
                    text = (
                        f"Inbound transfer {transfer.id} is on its way (pending); it arrives "
                        "in a few seconds."
                    )
                else:
                    text = f"Inbound transfer {transfer.id} arrived."
                self.notify(text, title="Simulated", timeout=8)

        self.app.push_screen(SimulateInboundDialog(), done)


def _account_label(account: Account) -> str:
    description = account.description or account.id
    return f"{description} ({account.currency})"
