"""The small dialog that sets the movements' filters: direction, since and until (UTC days)."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from fintoc_tui.ui.accounts.movements_table import MovementFilters
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.widgets.dialog import dialog_css


def parse_day(text: str, what: str) -> date | None:
    """A `YYYY-MM-DD` day, or None when left empty; ValueError says what is wrong in words."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"“{what}” must be a day written YYYY-MM-DD, like 2025-08-01.") from None


class MovementFilterDialog(ModalScreen[MovementFilters | None]):
    """Dismisses with the new filters, or None when cancelled."""

    BINDINGS = bindings.ACCOUNT_DETAIL_DIALOGS  # type: ignore[assignment]
    DEFAULT_CSS = (
        dialog_css("MovementFilterDialog")
        + """
    MovementFilterDialog Grid { grid-size: 2; grid-columns: 12 1fr; height: auto; }
    MovementFilterDialog Grid Label { padding: 1 0 0 0; }
    """
    )

    def __init__(self, current: MovementFilters) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        current = self.current
        with Vertical(id="dialog"):
            yield Static("Filter movements", classes="dialog-title")
            with Grid():
                yield Label("Direction")
                yield Select(
                    [("Money in (inbound)", "inbound"), ("Money out (outbound)", "outbound")],
                    prompt="Both directions",
                    value=current.direction or Select.NULL,
                    id="movement-direction",
                )
                yield Label("Since")
                yield Input(
                    current.since.isoformat() if current.since else "",
                    placeholder="YYYY-MM-DD (UTC)",
                    id="movement-since",
                )
                yield Label("Until")
                yield Input(
                    current.until.isoformat() if current.until else "",
                    placeholder="YYYY-MM-DD (UTC, inclusive)",
                    id="movement-until",
                )
            yield Static("", id="movement-filter-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Show all", id="movement-filter-clear")
                yield Button("Cancel", id="movement-filter-cancel")
                yield Button("Apply", variant="primary", id="movement-filter-apply")

    def collect(self) -> MovementFilters:
        since = parse_day(self.query_one("#movement-since", Input).value, "Since")
        until = parse_day(self.query_one("#movement-until", Input).value, "Until")
        if since and until and since > until:
            raise ValueError("“Since” is after “Until”: swap them or clear one.")
        direction = self.query_one("#movement-direction", Select).value
        return MovementFilters(
            direction=None if direction is Select.NULL else str(direction),
            since=since,
            until=until,
        )

    @on(Button.Pressed, "#movement-filter-apply")
    @on(Input.Submitted)
    def apply(self) -> None:
        try:
            filters = self.collect()
        except ValueError as error:
            self.query_one("#movement-filter-problem", Static).update(str(error))
            return
        self.dismiss(filters)

    @on(Button.Pressed, "#movement-filter-clear")
    def show_all(self) -> None:
        self.dismiss(MovementFilters())

    @on(Button.Pressed, "#movement-filter-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
