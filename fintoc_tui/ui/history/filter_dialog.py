"""The dialog that edits the history's API filters (`history.filters.HistoryFilters`)."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from fintoc_tui.ui.history.filters import DIRECTIONS, STATUSES, HistoryFilters, parse_day
from fintoc_tui.ui.shell import bindings


class HistoryFilterDialog(ModalScreen[HistoryFilters | None]):
    """Edit the API filters; dismisses with the new filters, or None on cancel."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.HISTORY_FILTER_DIALOG  # type: ignore[assignment]

    DEFAULT_CSS = """
    HistoryFilterDialog { align: center middle; }
    HistoryFilterDialog > Vertical {
        width: 72; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    HistoryFilterDialog Grid { grid-size: 2; grid-columns: 14 1fr; grid-rows: auto; height: auto; }
    HistoryFilterDialog Grid Label { padding: 1 0 0 0; }
    HistoryFilterDialog #filter-error { color: $text-error; height: auto; }
    HistoryFilterDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    HistoryFilterDialog Button { margin-left: 1; }
    """

    def __init__(self, current: HistoryFilters, accounts: list[tuple[str, str]]) -> None:
        """`accounts` is `(label, id)` pairs for the account picker."""
        super().__init__()
        self.current = current
        self.accounts = accounts

    def compose(self) -> ComposeResult:
        current = self.current
        with Vertical():
            yield Static("[b]Filter transfers[/b] — sent to the API")
            with Grid():
                yield Label("Account")
                yield Select(
                    self.accounts,
                    prompt="Any account",
                    value=current.account_id or Select.NULL,
                    id="filter-account",
                )
                yield Label("Direction")
                yield Select(
                    [(d, d) for d in DIRECTIONS],
                    prompt="Any direction",
                    value=current.direction or Select.NULL,
                    id="filter-direction",
                )
                yield Label("Status")
                yield Select(
                    [(s, s) for s in STATUSES],
                    prompt="Any status",
                    value=current.status or Select.NULL,
                    id="filter-status",
                )
                yield Label("Since")
                yield Input(
                    current.since.isoformat() if current.since else "",
                    placeholder="YYYY-MM-DD (UTC)",
                    id="filter-since",
                )
                yield Label("Until")
                yield Input(
                    current.until.isoformat() if current.until else "",
                    placeholder="YYYY-MM-DD (UTC, inclusive)",
                    id="filter-until",
                )
            yield Static("", id="filter-error")
            with Horizontal():
                yield Button("Clear", id="filter-clear")
                yield Button("Cancel", id="filter-cancel")
                yield Button("Apply", variant="primary", id="filter-apply")

    def _value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else str(value)

    def collect(self) -> HistoryFilters:
        """The filters as typed; raises ValueError with a sentence for a person."""
        since = parse_day(self.query_one("#filter-since", Input).value)
        until = parse_day(self.query_one("#filter-until", Input).value)
        if since and until and since > until:
            raise ValueError("“Since” is after “Until”: swap them or clear one.")
        account_id = self._value("#filter-account")
        label = next((lbl for lbl, value in self.accounts if value == account_id), None)
        return replace(
            HistoryFilters(),
            account_id=account_id,
            account_label=label,
            direction=self._value("#filter-direction"),
            status=self._value("#filter-status"),
            since=since,
            until=until,
        )

    @on(Button.Pressed, "#filter-apply")
    @on(Input.Submitted)
    def apply(self) -> None:
        try:
            filters = self.collect()
        except ValueError as error:
            self.query_one("#filter-error", Static).update(str(error))
            return
        self.dismiss(filters)

    @on(Button.Pressed, "#filter-clear")
    def clear(self) -> None:
        self.dismiss(HistoryFilters())

    @on(Button.Pressed, "#filter-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
