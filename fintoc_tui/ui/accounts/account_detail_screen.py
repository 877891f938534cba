"""One account: its account numbers, recent movements with the balance after
each, and a way to start a transfer from it. Pushed over the accounts screen.

Every load fetches the account itself too, so the header's balance is the
one of now; after money moves (`shell/money_moved.py`) the screen reloads in
place, keeping what is shown until the new figures come.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
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
from fintoc_tui.ui.widgets.narrow import is_narrow
from fintoc_tui.ui.widgets.state_message import StateMessage

if TYPE_CHECKING:
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.api.models import Account, Movement
    from fintoc_tui.api.prefetch import AccountSnapshot
    from fintoc_tui.ui.shell.app import FintocApp

RECENT_MOVEMENTS = 20


def movement_row(movement: Movement) -> tuple[str, str, str, str, str]:
    """Date, type, signed amount, balance after; outbound movements read negative."""
    sign = -1 if movement.direction == "outbound" else 1
    when = movement.transaction_date
    date = when.strftime("%Y-%m-%d %H:%M")
    return (
        date,
        movement.type.replace("_", " "),
        movement.direction,
        amount_text(sign * movement.amount, movement.currency, signed=True),
        # Every source but one old docs page sends the balance; none is shown as such.
        "—" if movement.balance is None else amount_text(movement.balance, movement.currency),
    )


class AccountDetailScreen(Screen[None]):
    """Opened with Enter on an account; Escape goes back."""

    app: FintocApp

    BINDINGS = bindings.ACCOUNT_DETAIL_SCREEN  # type: ignore[assignment]
    DEFAULT_CSS = """
    AccountDetailScreen #detail-body { padding: 1 2 0 2; }
    AccountDetailScreen #detail-title { height: auto; margin-bottom: 1; }
    AccountDetailScreen .section { text-style: bold; height: 1; margin-top: 1; }
    AccountDetailScreen #detail-numbers { height: auto; max-height: 6; }
    AccountDetailScreen #detail-movements { height: 1fr; }
    AccountDetailScreen #detail-hint { height: 1; margin-top: 1; color: $text-muted; }
    AccountDetailScreen ContentSwitcher { height: 1fr; }
    AccountDetailScreen #detail-view { height: 1fr; }
    """

    def __init__(self, account: Account | AccountSnapshot) -> None:
        super().__init__()
        self.account = account
        self.money: MoneyFollower | None = None
        self._quiet = False
        """This load follows a money movement: keep the figures on screen meanwhile."""
        self._loaded: messages.AccountDetailLoaded | None = None
        self._narrow: bool | None = None
        """Whether the movements on screen were laid out for a narrow terminal."""

    def compose(self) -> ComposeResult:
        yield FintocHeader()
        with Vertical(id="detail-body"):
            yield Static(self._title(), id="detail-title")
            with ContentSwitcher(initial="detail-loading"):
                yield LoadingIndicator(id="detail-loading")
                with Vertical(id="detail-view"):
                    yield Static("Account numbers", classes="section")
                    yield DataTable(id="detail-numbers", zebra_stripes=True, cursor_type="row")
                    yield Static(
                        f"Recent movements (last {RECENT_MOVEMENTS})",
                        classes="section",
                        id="detail-movements-title",
                    )
                    yield DataTable(id="detail-movements", zebra_stripes=True, cursor_type="row")
                yield StateMessage(id="detail-message")
            yield Static(
                "n  new transfer from this account    esc  back to accounts", id="detail-hint"
            )
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
        numbers: DataTable[object] = self.query_one("#detail-numbers", DataTable)
        numbers.add_columns("Number", "Bank", "Description", "Status", "Root")
        app = self.app
        if app.client is None and app.connecting:
            # Opened from the prefetched accounts before the client was built:
            # wait for it rather than say there is no environment.
            app.client_changed_signal.subscribe(self, self._client_arrived)
        self.money = MoneyFollower(self, self._money_moved)
        self.action_refresh()

    def _money_moved(self) -> None:
        client = self.app.client
        if client is None:
            return
        if self.query_one(ContentSwitcher).current != "detail-view":
            self.action_refresh()
            return
        self._quiet = True
        self._fetch(client, self.account.id)

    def _client_arrived(self, client: FintocClient | None) -> None:
        if client is not None or self.app.client_problem is not None:
            self.app.client_changed_signal.unsubscribe(self)
            self.action_refresh()

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
        self._fetch(client, self.account.id)

    @work(exclusive=True, group="account-detail", exit_on_error=False)
    async def _fetch(self, client: FintocClient, account_id: str) -> None:
        import asyncio

        try:
            account, numbers, page = await asyncio.gather(
                client.get_account(account_id),
                client.list_account_numbers(account_id=account_id),
                client.list_movements_page(account_id, limit=RECENT_MOVEMENTS),
            )
        except Exception as error:
            self.post_message(messages.AccountDetailFailed(error))
        else:
            self.post_message(messages.AccountDetailLoaded(account, numbers, list(page.items)))

    def on_resize(self) -> None:
        """Lay the movements out again when the terminal crosses the narrow width."""
        if self._loaded is not None and self._narrow != is_narrow(self.app):
            self.on_account_detail_loaded(self._loaded)

    def on_account_detail_loaded(self, message: messages.AccountDetailLoaded) -> None:
        self._quiet = False
        self.account = message.account
        self.query_one("#detail-title", Static).update(self._title())
        self._loaded = message
        narrow = self._narrow = is_narrow(self.app)
        numbers: DataTable[object] = self.query_one("#detail-numbers", DataTable)
        numbers.clear()
        for number in message.account_numbers:
            grouped, bank = account_number_text(number.number, self.account.currency)
            numbers.add_row(
                grouped,
                bank,
                Text(number.description or ""),
                status_text(number.status),
                "yes" if number.is_root else "",
                key=number.id,
            )
        movements: DataTable[object] = self.query_one("#detail-movements", DataTable)
        cursor = movements.cursor_row
        movements.clear(columns=True)
        rows = [movement_row(m) for m in message.movements[:RECENT_MOVEMENTS]]
        amounts, amount_header = right_aligned([row[3] for row in rows], "Amount")
        balances, balance_header = right_aligned([row[4] for row in rows], "Balance after")
        movements.add_column("Date (UTC)", key="date")
        movements.add_column("Type", key="type")
        if not narrow:  # the amount's sign says it; a narrow screen needs the room
            movements.add_column("Direction", key="direction")
        movements.add_column(amount_header, key="amount")
        movements.add_column(balance_header, key="balance")
        for movement, row, amount, balance in zip(
            message.movements, rows, amounts, balances, strict=False
        ):
            first = row[:2] if narrow else row[:3]
            movements.add_row(*first, amount, balance, key=movement.id)
        if not rows:
            blanks = ["", ""] if narrow else ["", "", ""]
            movements.add_row("", Text("No movements yet.", style="dim"), *blanks)
        elif 0 < cursor < movements.row_count:
            movements.move_cursor(row=cursor)  # a reload after money moved keeps the place
        self.query_one(ContentSwitcher).current = "detail-view"
        movements.focus()

    def on_account_detail_failed(self, message: messages.AccountDetailFailed) -> None:
        from fintoc_tui.ui.shell.problems import describe

        environment = self.app.environment
        problem = describe(message.error, environment.label if environment else "")
        if self._quiet:
            # Keep the figures of before the movement on screen, and say they may be old.
            self._quiet = False
            title = self._title()
            title.append(f"\nMay be out of date: {problem.title} Press r.", style="yellow")
            self.query_one("#detail-title", Static).update(title)
            return
        self.query_one(StateMessage).show(problem.title, problem.advice, kind=problem.kind)
        self.query_one(ContentSwitcher).current = "detail-message"

    def action_back(self) -> None:
        self.dismiss()

    def action_new_transfer(self) -> None:
        self.app.new_transfer(self.account.id)
