"""The Batch screen: pay every row of a CSV file, validated first, confirmed once, resumable.

The same conversation as `fintoc-tui batch` (commands/batch.py), on the same
core objects, one step on screen at a time:

1. The file: its path (completed as it is typed), and as the command's
   `--results`, `--from` and `--allow-duplicates`, the results path, a source
   for rows without one, and whether identical Mexican rows are allowed.
2. Validation, in a worker (`check.check_batch`): every problem listed by
   row and column, and nothing can be sent while any row is wrong.
3. The preview (count and total per currency, per source account and per
   bank, the largest payments) and one confirmation: Send in sandbox and
   test; in live, each currency's total typed, and a JWS key.
4. Sending, in the money-moving worker group `batch-send` (the environment
   cannot switch under it): `BatchRunner` journals every row, sends at
   Fintoc's rate, asks again about unknown outcomes and follows pending
   transfers; a progress bar with the rate and time left. Pause (`p`) sets
   the runner's event: requests in flight finish and are recorded.
5. The end: rows by status, what to do next, the results file; balances and
   history reload.

Resuming, after a pause or after the app or the command was stopped or
killed, is validating the same file again: its state file (beside the
results) says which rows are paid, and the rest go out with their own keys.

Long module: one screen's five steps share the checked batch, the pause
event and the progress; the steps' words, tables and checks live beside it.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    ContentSwitcher,
    DataTable,
    Input,
    Label,
    LoadingIndicator,
    ProgressBar,
    Static,
)

from fintoc_tui.batch.ratelimit import TRANSFER_RATE_LIMIT
from fintoc_tui.ui import messages
from fintoc_tui.ui.batch.batch_words import PHASES, ending, progress_line, resume_note
from fintoc_tui.ui.batch.check import BatchInvalid, CheckedBatch
from fintoc_tui.ui.batch.path_suggester import PathSuggester
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.widgets.footer import KeysFooter
from fintoc_tui.ui.widgets.header import FintocHeader
from fintoc_tui.ui.widgets.literal_table import LiteralTable
from fintoc_tui.ui.widgets.state_message import StateMessage

if TYPE_CHECKING:
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.batch.runner import Progress
    from fintoc_tui.ui.batch.live_totals import LiveTotals
    from fintoc_tui.ui.shell.app import FintocApp


def problem_title(error: BaseException, environment_label: str) -> str:
    """What went wrong, in the shell's words (`problems.describe`), secrets redacted."""
    from fintoc_tui.ui.shell.problems import describe

    return describe(error, environment_label).title


RESULTS_HINT = "beside the file: <name>.results.csv"
INPUTS = ("#batch-path", "#batch-results", "#batch-source")


class BatchScreen(Screen[None]):
    """The `batch` mode: one file at a time, from its path to its results."""

    app: FintocApp

    BINDINGS = [*bindings.BATCH_SCREEN]
    DEFAULT_CSS = """
    BatchScreen #batch-body { padding: 0 2; }
    BatchScreen #batch-title { text-style: bold; height: 1; margin-bottom: 1; }
    BatchScreen .batch-field { height: 1; }
    BatchScreen .batch-label { width: 9; color: $text-muted; }
    BatchScreen .batch-field Input { width: 1fr; }
    BatchScreen #batch-source { width: 1fr; max-width: 60; }
    BatchScreen #batch-duplicates { margin-left: 2; }
    BatchScreen #batch-validate { margin-left: 2; }
    BatchScreen #batch-steps { height: 1fr; margin-top: 1; }
    BatchScreen #batch-problems-title, BatchScreen #batch-preview-title { height: auto; }
    BatchScreen #batch-problems-table { height: 1fr; margin-top: 1; }
    BatchScreen #batch-resume { height: auto; color: $text-warning; margin-bottom: 1; }
    BatchScreen #batch-confirm-status { height: auto; }
    BatchScreen #batch-send { margin: 1 0; }
    BatchScreen #batch-preview { height: 1fr; }
    BatchScreen #batch-details { height: auto; border-top: solid $panel; }
    BatchScreen #batch-sending { height: auto; margin-top: 1; }
    BatchScreen #batch-phase { text-style: bold; height: auto; }
    BatchScreen #batch-progress { margin: 1 0; }
    BatchScreen #batch-detail { height: auto; }
    BatchScreen #batch-pause { margin-top: 1; }
    BatchScreen #batch-ending { height: auto; margin-top: 1; }
    """

    follow_seconds: float = 60.0
    """After sending, follow pending transfers this long (the command's `--follow`)."""
    rate_limit: float = TRANSFER_RATE_LIMIT
    """Rows started per second at most: Fintoc's documented limit (the command's `--rate`)."""

    def __init__(self) -> None:
        super().__init__()
        self.checked: CheckedBatch | None = None
        """The batch validated for the current environment, awaiting its confirmation."""
        self.sent: CheckedBatch | None = None
        """The batch last confirmed (its results path is shown at the end)."""
        self.sending = False
        self.pause: asyncio.Event | None = None
        self.progress: Progress | None = None
        self._money_said_at = float("-inf")
        """When money moved was last said during a run (`_say_money_moved`)."""
        self.invalid: BatchInvalid | None = None
        """The problems shown (laid out again when the terminal is resized)."""

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield FintocHeader()
        with Vertical(id="batch-body"):
            yield Static("Batch payouts from a CSV file", id="batch-title")
            with Horizontal(classes="batch-field"):
                yield Label("File", classes="batch-label")
                yield Input(
                    placeholder="path to the CSV file, e.g. payouts.csv",
                    id="batch-path",
                    suggester=PathSuggester(),
                    compact=True,
                )
                yield Button("Validate", id="batch-validate", compact=True)
            with Horizontal(classes="batch-field"):
                yield Label("Results", classes="batch-label")
                yield Input(
                    placeholder=RESULTS_HINT,
                    id="batch-results",
                    suggester=PathSuggester(),
                    compact=True,
                )
            with Horizontal(classes="batch-field"):
                yield Label("From", classes="batch-label")
                yield Input(
                    placeholder="default from_account",
                    id="batch-source",
                    compact=True,
                )
                yield Checkbox("Allow identical rows (Mexico)", id="batch-duplicates", compact=True)
            with ContentSwitcher(initial="batch-intro", id="batch-steps"):
                yield StateMessage(id="batch-intro")
                yield LoadingIndicator(id="batch-loading")
                with Vertical(id="batch-problems"):
                    yield Static(id="batch-problems-title")
                    yield LiteralTable(
                        id="batch-problems-table", zebra_stripes=True, cursor_type="row"
                    )
                # One scroll for the whole preview: on a small terminal the
                # tables under Send are still reachable before confirming.
                with VerticalScroll(id="batch-preview"):
                    yield Static(id="batch-preview-title")
                    yield Static(id="batch-resume")
                    yield Static(id="batch-to-send")
                    yield Static(id="batch-confirm-status")
                    yield Button("Send", id="batch-send", variant="success", compact=True)
                    with Vertical(id="batch-details"):
                        yield Static(id="batch-tables")
                with VerticalScroll(id="batch-sending"):
                    yield Static(id="batch-phase")
                    yield ProgressBar(id="batch-progress", show_eta=False)
                    yield Static(id="batch-detail")
                    yield Button("Pause", id="batch-pause", variant="warning")
                    yield Static(id="batch-ending")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.app.client_changed_signal.subscribe(self, self._client_changed)
        self._intro()
        self.query_one("#batch-path", Input).focus()

    def _step(self, step: str) -> None:
        self.query_one("#batch-steps", ContentSwitcher).current = step
        self.refresh_bindings()

    @property
    def step(self) -> str | None:
        return self.query_one("#batch-steps", ContentSwitcher).current

    def _say(self, title: str, advice: str, *, kind: str = "info") -> None:
        self.query_one("#batch-intro", StateMessage).show(title, advice, kind=kind)
        self._step("batch-intro")

    def _intro(self) -> None:
        self._say(
            "Pay every row of a CSV file.",
            "Type the file's path above (→ completes it) and press Enter. Every row is checked as the transfer "
            "form checks it before anything can be sent, and you confirm once. Rows go out at "
            "Fintoc's 10 per second; a paused or stopped batch resumes without paying any row "
            "twice. The columns are in docs/cli.md (Batch payouts).",
        )

    def _client_changed(self, client: FintocClient | None) -> None:
        """A preview or a list of problems was for the old environment: check again."""
        if self.sending or self.step not in ("batch-preview", "batch-problems", "batch-loading"):
            return
        self.checked = None
        self.workers.cancel_group(self, "batch-validate")
        environment = self.app.environment
        label = environment.label if environment is not None else "another environment"
        self._say(
            f"The environment changed to {label}.",
            "Nothing was sent. Press Enter (or F5) to validate the file again for it.",
        )

    # -- bindings ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":
            return self.step == "batch-preview" and not self.sending
        if action == "pause":
            return self.sending
        if action == "validate":
            return not self.sending
        return True

    def action_leave_field(self) -> None:
        """Escape: leave a text field, so the mode keys (1, 2, 3, e…) act again."""
        if isinstance(self.focused, Input):
            self.set_focus(None)

    # -- 1-2. validate ----------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id and f"#{event.input.id}" in INPUTS:
            self.action_validate()

    @on(Button.Pressed, "#batch-validate")
    def _validate_pressed(self) -> None:
        self.action_validate()

    def action_validate(self) -> None:
        if self.sending:
            self.app.bell()
            return
        app = self.app
        self.checked = None
        if app.client is None or app.environment is None:
            from fintoc_tui.ui.shell.problems import no_environment

            problem = app.client_problem or no_environment()
            self._say(problem.title, problem.advice, kind=problem.kind)
            return
        self._step("batch-loading")
        self._check(
            self.query_one("#batch-path", Input).value,
            self.query_one("#batch-results", Input).value,
            self.query_one("#batch-source", Input).value.strip(),
            self.query_one("#batch-duplicates", Checkbox).value,
        )

    @work(exclusive=True, group="batch-validate", exit_on_error=False)
    async def _check(self, path: str, results: str, source: str, duplicates: bool) -> None:
        from fintoc_tui.ui.batch.check import BatchCheckError, check_batch

        app = self.app
        client, environment = app.client, app.environment
        generation = app.connection_generation
        if client is None or environment is None:
            return
        try:
            result = await check_batch(
                client, environment.name, path, typed_results=results,
                default_source=source or None, allow_duplicates=duplicates,
            )  # fmt: skip
        except BatchCheckError as error:
            self.post_message(messages.BatchCheckFailed(error.title, error.advice))
        except Exception as error:
            self.post_message(
                messages.BatchCheckFailed(
                    problem_title(error, environment.label),
                    "Nothing was sent. Press F5 to validate again once it is fixed.",
                )
            )
        else:
            self.post_message(messages.BatchChecked(result, generation))

    def on_batch_check_failed(self, message: messages.BatchCheckFailed) -> None:
        self._say(message.title, message.advice, kind="api")
        self.query_one("#batch-path", Input).focus()

    def on_batch_checked(self, message: messages.BatchChecked) -> None:
        if message.generation != self.app.connection_generation or self.sending:
            return  # checked against an environment no longer in use
        result = message.result
        if isinstance(result, BatchInvalid):
            self._show_problems(result)
        else:
            self._show_preview(result)

    def _show_problems(self, invalid: BatchInvalid) -> None:
        count = len(invalid.problems)
        title = Text()
        title.append(
            f"{count} problem{'s' if count != 1 else ''} in {invalid.path.name}: ",
            style="bold red",
        )
        title.append("nothing can be sent while any row is wrong.", style="bold")
        title.append(
            "\nFix each one in the file (rows are numbered as a spreadsheet numbers them, the "
            "header is row 1), save it, and press F5 to validate again. Nothing was sent."
        )
        self.query_one("#batch-problems-title", Static).update(title)
        self.invalid = invalid
        self._fill_problems(invalid)
        self._step("batch-problems")
        self.query_one("#batch-problems-table", DataTable).focus()

    def _fill_problems(self, invalid: BatchInvalid) -> None:
        """One line a problem; a long one wraps in its column instead of being cut off."""
        table: DataTable[object] = self.query_one("#batch-problems-table", DataTable)
        table.clear(columns=True)
        rows = [
            (str(p.row) if p.row is not None else "—", p.column or "—", p.message)
            for p in invalid.problems
        ]
        row_width = max([3, *(len(row) for row, _, _ in rows)])
        column_width = max([6, *(len(column) for _, column, _ in rows)])
        # What the screen leaves: the body's padding (4), a cell's padding (2 a
        # column) and the scroll bar (2).
        problem_width = max(20, self.size.width - 4 - 6 - 2 - row_width - column_width)
        table.add_column("Row", width=row_width)
        table.add_column("Column", width=column_width)
        table.add_column("Problem", width=problem_width)
        for row, column, problem in rows:
            table.add_row(Text(row, justify="right"), column, Text(problem), height=None)

    def on_resize(self) -> None:
        if self.invalid is not None and self.step == "batch-problems":
            self._fill_problems(self.invalid)

    # -- 3. preview and the one confirmation ------------------------------------------------

    def _show_preview(self, checked: CheckedBatch) -> None:
        from fintoc_tui.ui.batch.preview_tables import details_tables, to_send_table

        self.checked = checked
        environment = self.app.environment
        label = environment.label if environment is not None else checked.environment.upper()
        to_send = checked.to_send
        title = Text()
        title.append(f"{checked.file.path.name}", style="bold")
        title.append(f" in {label}: {len(checked.plan.rows):,} rows valid", style="bold")
        if checked.made:
            title.append(f", {len(checked.made):,} already paid")
        title.append(f", {len(to_send):,} to send" if to_send else ", nothing left to send")
        title.append(f"   sha256 {checked.file.sha256[:12]}", style="dim")
        title.append(f"\nResults: {checked.results} (written as rows are sent and settle)")
        self.query_one("#batch-preview-title", Static).update(title)
        note = resume_note(len(checked.made), checked.earlier)
        resume = self.query_one("#batch-resume", Static)
        resume.update(note)
        resume.display = bool(note)
        self.query_one("#batch-to-send", Static).update(
            to_send_table(checked.preview) if to_send else ""
        )
        self.query_one("#batch-tables", Static).update(
            details_tables(checked.preview) if to_send else ""
        )
        # Nothing left to send: no empty tables, no rule over nothing.
        self.query_one("#batch-to-send", Static).display = bool(to_send)
        self.query_one("#batch-details", Vertical).display = bool(to_send)
        self._mount_live_totals(checked)
        send = self.query_one("#batch-send", Button)
        send.label = (
            f"Send {len(to_send):,} transfers ({self._totals_text(checked)})"
            if to_send
            else "Check their statuses and update the results"
        )
        send.variant = "error" if self._live else "success"
        self._step("batch-preview")
        self._update_send()
        self.call_after_refresh(self._focus_confirmation)

    def _focus_confirmation(self) -> None:
        """The first total to type in live (once its fields are mounted), else Send."""
        self._update_send()
        live = self._live_totals()
        fields = live.query(Input) if live is not None else None
        if fields:
            fields.first().focus()
        else:
            self.query_one("#batch-send", Button).focus()

    @staticmethod
    def _totals_text(checked: CheckedBatch) -> str:
        return " + ".join(total.formatted for total in checked.totals)

    @property
    def _live(self) -> bool:
        environment = self.app.environment
        return bool(environment and environment.is_live)

    def _live_totals(self) -> LiveTotals | None:
        from fintoc_tui.ui.batch.live_totals import LiveTotals

        found = self.query(LiveTotals)
        return found.first() if found else None

    def _mount_live_totals(self, checked: CheckedBatch) -> None:
        from fintoc_tui.ui.batch.live_totals import LiveTotals

        for old in self.query(LiveTotals):
            old.remove()
        if self._live and checked.to_send:
            self.query_one("#batch-preview", VerticalScroll).mount(
                LiveTotals(checked.totals, id="batch-live"),
                before=self.query_one("#batch-confirm-status"),
            )

    def blockers(self) -> list[str]:
        """Why Send is locked: no connection, no JWS key, or (live) a total not typed.

        Fintoc refuses an unsigned transfer in test mode as in live: without
        a key every row would be refused, so none is started.
        """
        reasons: list[str] = []
        client = self.app.client
        if client is None:
            reasons.append("not connected to Fintoc (press e)")
        elif not client.has_signer:
            which = "a live batch" if self._live else "every transfer"
            reasons.append(
                f"{which} must be signed: add your JWS private key on the environment "
                "screen (press e) and upload its public key to the Fintoc dashboard"
            )
        live = self._live_totals()
        if live is not None and not live.confirmed():
            reasons.append("type each currency's total exactly as shown")
        return reasons

    def _update_send(self) -> None:
        reasons = self.blockers()
        self.query_one("#batch-send", Button).disabled = bool(reasons) or self.sending
        status = self.query_one("#batch-confirm-status", Static)
        if reasons:
            status.update(Text("To send: " + "; ".join(reasons) + ".", style="bold yellow"))
        else:
            status.update(self._before_sending())

    def _before_sending(self) -> str:
        """What pressing Send does, in the words of what is left to do."""
        checked = self.checked
        if checked is not None and not checked.to_send:
            return (
                "Every row is already paid: nothing will be sent. Checking asks Fintoc for the "
                "statuses of the transfers and writes them to the results file."
            )
        resumed = "Rows already paid are skipped. " if checked is not None and checked.made else ""
        return (
            f"Nothing is sent until you press Send. {resumed}Each row is recorded with its own "
            f"key before it goes, so none is paid twice; at most {self.rate_limit:g} a second."
        )

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id == "batch-path":
            # Where the results will go unless another path is typed.
            from fintoc_tui.ui.batch.check import results_path_for

            default = results_path_for(event.value) if event.value.strip() else None
            self.query_one("#batch-results", Input).placeholder = (
                f"{default} (beside the file)" if default else RESULTS_HINT
            )
        elif event.input.id and event.input.id.startswith("live-total-"):
            self._update_send()

    @on(Button.Pressed, "#batch-send")
    def _send_pressed(self) -> None:
        self.action_send()

    def action_send(self) -> None:
        """The one confirmation: send what the preview shows (once; a second press is ignored)."""
        checked = self.checked
        if checked is None or self.sending or self.step != "batch-preview":
            return
        if self.blockers():
            self.app.bell()
            self._update_send()
            return
        self.sending = True
        self.sent = checked
        self.pause = asyncio.Event()
        self.progress = None
        pause_button = self.query_one("#batch-pause", Button)
        pause_button.disabled = False
        pause_button.label = "Pause"
        pause_button.display = True
        bar = self.query_one("#batch-progress", ProgressBar)
        bar.update(total=len(checked.plan.rows), progress=len(checked.made))
        self.query_one("#batch-phase", Static).update(self._phase("journaling"))
        self.query_one("#batch-detail", Static).update("")
        self.query_one("#batch-ending", Static).update("")
        self._step("batch-sending")
        pause_button.focus()
        self._send(checked, self.pause)

    # -- 4. sending --------------------------------------------------------------------------

    @work(exclusive=True, group="batch-send", exit_on_error=False)
    async def _send(self, checked: CheckedBatch, pause: asyncio.Event) -> None:
        from fintoc_tui.batch.ratelimit import TokenBucket
        from fintoc_tui.batch.runner import BatchRunner
        from fintoc_tui.batch.state import BatchBusy, BatchState, BatchStateMismatch
        from fintoc_tui.ui.batch.rate_limit import RateLimitedSubmitter
        from fintoc_tui.ui.transfer.submitter import transfer_submitter

        try:
            submitter = await transfer_submitter(self.app)
            # Opened on this thread: the runner writes to it from the event loop.
            state = BatchState.open(
                checked.state_path, sha256=checked.file.sha256,
                environment=checked.environment, source=checked.file.path.resolve(),
            )  # fmt: skip
        except BatchBusy as error:
            self.post_message(
                messages.BatchSendFailed(
                    "Another run is sending this file right now.",
                    f"{error}. Nothing was sent from here.",
                )
            )
            return
        except BatchStateMismatch as error:
            self.post_message(
                messages.BatchSendFailed(
                    "This file's results belong to another batch or environment.",
                    f"{error}. In the app: switch environment (e), or type another path in "
                    "the Results field. Nothing was sent.",
                )
            )
            return
        except Exception as error:
            self.post_message(
                messages.BatchSendFailed(
                    problem_title(error, checked.environment.upper()),
                    "Nothing was sent. Press F5 to validate the file again once it is fixed.",
                )
            )
            return
        new_key = self.app.idempotency_keys or (lambda: str(uuid.uuid4()))

        def report(progress: Progress) -> None:
            self.post_message(messages.BatchProgressed(progress))

        try:
            limited = RateLimitedSubmitter(submitter, TokenBucket(self.rate_limit))
            runner = BatchRunner(
                checked.plan, state, limited, checked.results, on_progress=report,
                pause=pause, follow_seconds=self.follow_seconds, new_key=new_key,
                rate_limited=lambda: limited.rate_limited,
            )  # fmt: skip
            outcome = await runner.run()
        except Exception as error:
            self.post_message(
                messages.BatchSendFailed(
                    problem_title(error, checked.environment.upper()),
                    "Every row sent so far is recorded. Press F5 to validate the same file "
                    "again and send: it resumes, and no row is paid twice.",
                )
            )
        else:
            self.post_message(messages.BatchFinished(outcome))
        finally:
            state.close()

    #: At most one "money moved" a second while a batch runs: a screen shown
    #: meanwhile (the accounts, say) follows the batch without a reload per row.
    MONEY_MOVED_EVERY_S = 1.0

    def on_batch_progressed(self, message: messages.BatchProgressed) -> None:
        before, progress = self.progress, message.progress
        self.progress = progress
        self._say_money_moved(before, progress)
        bar = self.query_one("#batch-progress", ProgressBar)
        bar.update(total=max(progress.total, 1), progress=progress.done)
        pausing = self.pause is not None and self.pause.is_set() and progress.phase != "paused"
        phase = self._pausing_phase(progress.phase) if pausing else progress.phase
        self.query_one("#batch-phase", Static).update(self._phase(phase))
        if phase == "following":
            self.query_one("#batch-pause", Button).label = "Stop following"
        detail = self.query_one("#batch-detail", Static)
        detail.display = True
        detail.update(progress_line(progress, self.rate_limit))

    def _say_money_moved(self, before: Progress | None, now: Progress) -> None:
        """Rows made, or statuses settled, since the last progress: money moved."""
        moved = before is None or now.made > before.made or now.pending < before.pending
        if not moved or (now.made == 0 and now.pending == 0):
            return
        at = time.monotonic()
        if at - self._money_said_at >= self.MONEY_MOVED_EVERY_S:
            self._money_said_at = at
            self.app.money_moved("sent")

    def _phase(self, phase: str) -> str:
        """`Sending · payouts.csv in SANDBOX`: the phase, the file and where it goes."""
        sent = self.sent
        where = f" · {sent.file.path.name} in {sent.environment.upper()}" if sent else ""
        return PHASES.get(phase, phase) + where

    @on(Button.Pressed, "#batch-pause")
    def _pause_pressed(self) -> None:
        self.action_pause()

    def action_pause(self) -> None:
        """Stop starting rows; those in flight finish and are recorded; nothing is lost."""
        if not self.sending or self.pause is None or self.pause.is_set():
            return
        self.pause.set()
        button = self.query_one("#batch-pause", Button)
        button.disabled = True
        following = self.progress is not None and self.progress.phase == "following"
        button.label = "Stopping…" if following else "Pausing…"
        self.query_one("#batch-phase", Static).update(
            self._phase(self._pausing_phase(self.progress.phase if self.progress else "sending"))
        )

    @staticmethod
    def _pausing_phase(phase: str) -> str:
        """Pausing while rows go out; stopping while only statuses are being followed."""
        return "stopping" if phase == "following" else "pausing"

    # -- 5. the end --------------------------------------------------------------------------

    def on_batch_finished(self, message: messages.BatchFinished) -> None:
        outcome = message.outcome
        self.sending = False
        self.checked = None
        words = ending(outcome)
        style = {"done": "bold green", "paused": "bold yellow", "warning": "bold yellow"}.get(
            words.kind, "bold red"
        )
        text = Text()
        text.append(words.title, style=style)
        text.append(f"\n{outcome.total:,} rows: {words.statuses}.")
        results = self._last_results()
        if results:
            text.append("\nResults: ", style="bold")
            text.append(results)
        for line in words.advice:
            text.append(f"\n• {line}")
        phase = "stopped" if outcome.stopped else "paused" if words.kind == "paused" else "done"
        self.query_one("#batch-phase", Static).update(self._phase(phase))
        self.query_one("#batch-detail", Static).display = False
        self.query_one("#batch-pause", Button).display = False
        self.query_one("#batch-ending", Static).update(text)
        self.refresh_bindings()
        if self.app.screen is not self:
            self.app.notify(f"{words.title} {words.statuses}.", title="Batch")
        if outcome.made:  # every balance and history follows (shell/money_moved.py)
            self.app.money_moved("sent")

    def _last_results(self) -> str:
        return str(self.sent.results) if self.sent is not None else ""

    def on_batch_send_failed(self, message: messages.BatchSendFailed) -> None:
        self.sending = False
        self.checked = None
        self._say(message.title, message.advice, kind="api")
