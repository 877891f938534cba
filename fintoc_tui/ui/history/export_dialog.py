"""Export the filtered history to CSV or JSON, with a progress bar.

The worker walks the API's pages with the history's filters (300 a page,
the API's maximum), applies the local search if one is active, and hands
each page to `fintoc_tui.export.ExportWriter` in a thread so the screen stays
responsive. The file appears (atomically) only when the export completes.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, RadioButton, RadioSet, Static

from fintoc_tui.ui import messages
from fintoc_tui.ui.history.filters import HistoryFilters
from fintoc_tui.ui.shell import bindings

if TYPE_CHECKING:
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.ui.shell.app import FintocApp

EXPORT_PAGE_SIZE = 300


class HistoryExportDialog(ModalScreen[Path | None]):
    """Pick a format and a path, run the export, show where the file is."""

    app: FintocApp

    BINDINGS: ClassVar[list[BindingType]] = bindings.HISTORY_EXPORT_DIALOG  # type: ignore[assignment]

    DEFAULT_CSS = """
    HistoryExportDialog { align: center middle; }
    HistoryExportDialog > Vertical {
        width: 84; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    HistoryExportDialog RadioSet { layout: horizontal; height: auto; }
    HistoryExportDialog ProgressBar { margin-top: 1; }
    HistoryExportDialog #export-status { height: auto; margin-top: 1; }
    HistoryExportDialog #export-status.-error { color: $text-error; }
    HistoryExportDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    HistoryExportDialog Button { margin-left: 1; }
    """

    def __init__(
        self,
        filters: HistoryFilters,
        search: str = "",
        *,
        known_total: int | None = None,
        page_size: int = EXPORT_PAGE_SIZE,
    ) -> None:
        super().__init__()
        self.filters = filters
        self.search = search
        self.known_total = known_total
        self.page_size = page_size
        self.result: Path | None = None
        self.running = False

    @staticmethod
    def _clock_now() -> datetime:
        return datetime.now(UTC)

    def compose(self) -> ComposeResult:
        from fintoc_tui.export import default_export_path

        chips = self.filters.describe()
        if self.search:
            chips.append(f"search “{self.search}”")
        scope = " · ".join(chips) if chips else "every transfer"
        with Vertical():
            title = Text("Export transfers", style="bold")
            title.append(f" — {scope}")
            yield Static(title)
            with RadioSet(id="export-format"):
                yield RadioButton("CSV", value=True, id="export-csv")
                yield RadioButton("JSON", id="export-json")
            yield Label("Save to")
            yield Input(str(default_export_path("csv", self._clock_now())), id="export-path")
            yield ProgressBar(total=self.known_total, show_eta=False, id="export-progress")
            yield Static("", id="export-status")
            with Horizontal():
                yield Button("Close", id="export-close")
                yield Button("Export", variant="primary", id="export-start")

    @property
    def fmt(self) -> Literal["csv", "json"]:
        return "json" if self.query_one("#export-json", RadioButton).value else "csv"

    @on(RadioSet.Changed)
    def _format_changed(self) -> None:
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        if path.suffix.lower() in {".csv", ".json"}:
            path_input.value = str(path.with_suffix(f".{self.fmt}"))

    @on(Button.Pressed, "#export-start")
    @on(Input.Submitted, "#export-path")
    def start(self) -> None:
        if self.running:
            return
        client = self.app.client
        if client is None:
            self._status("Not connected: press e to pick an environment.", error=True)
            return
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self._status("Choose where to save the file.", error=True)
            return
        path = Path(text).expanduser()
        if path.exists():
            self._status(f"{path} already exists: choose another name.", error=True)
            return
        self.running = True
        self.query_one("#export-start", Button).disabled = True
        self._status("Exporting…")
        self.run_export(client, path, self.fmt)

    @work(exclusive=True, group="history-export", exit_on_error=False)
    async def run_export(
        self, client: FintocClient, path: Path, fmt: Literal["csv", "json"]
    ) -> None:
        from fintoc_tui.export import ExportWriter
        from fintoc_tui.ui.history.rows import history_row, matches

        needle = self.search
        try:
            writer = ExportWriter(path, fmt)
        except OSError as error:
            self.post_message(messages.HistoryExportFailed(error))
            return
        try:
            page = await client.list_transfers_page(
                limit=self.page_size, **self.filters.api_params()
            )
            while True:
                items = page.items
                if needle:
                    items = [t for t in items if matches(history_row(t), needle)]
                count = await asyncio.to_thread(writer.write, items)
                self.post_message(messages.HistoryExportProgress(count))
                if not page.next_url:
                    break
                page = await client.list_transfers_page(next_url=page.next_url)
            final = await asyncio.to_thread(writer.close)
        except BaseException as error:
            writer.abort()
            if isinstance(error, Exception):
                self.post_message(messages.HistoryExportFailed(error))
                return
            raise  # cancelled: nothing written, nothing to say
        self.post_message(messages.HistoryExportFinished(final, writer.count))

    @on(messages.HistoryExportProgress)
    def _progress(self, message: messages.HistoryExportProgress) -> None:
        bar = self.query_one(ProgressBar)
        if bar.total is not None and message.count > bar.total:
            bar.update(total=message.count)
        bar.update(progress=message.count)
        self._status(f"{message.count:,} transfers written…")

    @on(messages.HistoryExportFinished)
    def _finished(self, message: messages.HistoryExportFinished) -> None:
        self.running = False
        self.result = Path(message.path)
        bar = self.query_one(ProgressBar)
        bar.update(total=max(message.count, 1), progress=max(message.count, 1))
        noun = "transfer" if message.count == 1 else "transfers"
        self._status(f"Saved {message.count:,} {noun} to {message.path}")
        start = self.query_one("#export-start", Button)
        start.disabled = False
        start.label = "Export again"
        self.query_one("#export-close", Button).focus()
        from fintoc_tui.export import default_export_path

        self.query_one("#export-path", Input).value = str(
            default_export_path(self.fmt, self._clock_now())
        )

    @on(messages.HistoryExportFailed)
    def _failed(self, message: messages.HistoryExportFailed) -> None:
        from fintoc_tui.ui.shell.problems import describe

        self.running = False
        self.query_one("#export-start", Button).disabled = False
        if isinstance(message.error, OSError) and not hasattr(message.error, "status"):
            self._status(f"Could not write the file: {message.error.strerror}", error=True)
            return
        problem = describe(message.error)
        self._status(f"Export stopped, no file written. {problem.title}", error=True)

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.update(Text(text))
        status.set_class(error, "-error")

    @on(Button.Pressed, "#export-close")
    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "history-export")
        self.dismiss(self.result)
