"""`fintoc-tui batch PATH.csv`: validate every row, preview, confirm once, send, resume.

Read and hash the file → connect → validate every row (nothing is sent while
any row is wrong; each problem on its own line, by row and column) →
preview on stderr → one confirmation (live: type each currency's total) →
`batch.runner` sends at the rate limit with a progress bar → results CSV →
an exit status (`ExitCode`). Ctrl-C pauses cleanly (requests in flight finish
and are recorded); running the same command again resumes, and a run killed
any other way resumes the same: every row is paid exactly once.

Long module: one command's whole conversation (read, validate, preview,
confirm, send, report); each step is a short function.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import signal
import sys
from pathlib import Path
from typing import Any

from fintoc_tui.batch.csvfile import BatchFile, BatchFileError, BatchProblem, read_batch
from fintoc_tui.batch.results import ResultsTaken, check_results_belong, default_results_path
from fintoc_tui.batch.state import state_path_for
from fintoc_tui.commands.confirm import ask, confirm_yes, has_terminal, not_confirmed
from fintoc_tui.commands.connection import (
    CommandError,
    Connection,
    environment_name,
    run_with_connection,
)
from fintoc_tui.commands.create import LIVE_NEEDS_SIGNER
from fintoc_tui.commands.exit_codes import ExitCode
from fintoc_tui.commands.output import error, note, write_json
from fintoc_tui.money import AmountError, format_amount, parse_amount


def _check_results_belong(results: Path, state_path: Path) -> None:
    """The core's rule (`batch.results.check_results_belong`), in the command's words."""
    try:
        check_results_belong(results, state_path)
    except ResultsTaken as exc:
        raise CommandError(
            str(exc).replace("choose a new results path", "pass --results with a new path")
        ) from None


def _problems(problems: list[BatchProblem], path: Path, as_json: bool) -> int:
    for problem in problems:
        error(str(problem))
    note(f"{len(problems)} problem(s) in {path}; nothing was sent. Fix them and run again.")
    if as_json:
        write_json(
            {
                "valid": False,
                "problems": [
                    {"row": p.row, "column": p.column, "message": p.message} for p in problems
                ],
            }
        )
    return ExitCode.INVALID


def _totals(rows: list[Any]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in rows:
        totals[row.currency] = totals.get(row.currency, 0) + row.amount
    return totals


def _totals_text(totals: dict[str, int]) -> str:
    return " + ".join(format_amount(amount, code) for code, amount in sorted(totals.items()))


_CODE = re.compile(r"\b(MXN|CLP)\b", re.IGNORECASE)


def _confirm_live(args: argparse.Namespace, totals: dict[str, int]) -> None:
    """Live: the person types each currency's total (or passes it with --confirm-live-total)."""
    if args.confirm_live_total:
        given: dict[str, int] = {}
        for text in args.confirm_live_total:
            match = _CODE.search(text)
            if match is None:
                raise CommandError(
                    f"--confirm-live-total {text!r}: add the currency, as in '12,345.67 MXN'"
                )
            code = match.group(1).upper()
            try:
                given[code] = parse_amount(text, code)
            except AmountError as exc:
                raise CommandError(f"--confirm-live-total {text!r}: {exc}") from None
        if given != totals:
            raise not_confirmed(
                f"--confirm-live-total does not match the batch's totals ({_totals_text(totals)}). "
                "Nothing was sent."
            )
        return
    if not has_terminal():
        raise not_confirmed(
            "a live batch needs a person to confirm it: run it in a terminal, or pass "
            "--confirm-live-total with each currency's total. Nothing was sent."
        )
    for code, total in sorted(totals.items()):
        answer = ask(
            f"Live: real money moves. Type the total in {code} to send "
            f"({format_amount(total, code)}): "
        )
        try:
            typed = parse_amount(answer or "", code)
        except AmountError:
            typed = None
        if typed != total:
            raise not_confirmed("That is not the total. Nothing was sent.")


class ProgressDisplay:
    """A progress bar (rich) on a terminal, a line every few seconds otherwise; on stderr."""

    def __init__(self, total: int, rate_limit: float) -> None:
        self.total = total
        self.rate_limit = rate_limit
        self._last_line = 0.0
        self._last_phase = ""
        self._bar: Any = None
        self._task: Any = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[detail]}"),
                console=Console(stderr=True),
                transient=False,
            )
            self._task = self._bar.add_task("Journaling", total=total, detail="")
            self._bar.start()

    @staticmethod
    def _eta(seconds: float | None) -> str:
        if seconds is None:
            return "time left unknown"
        seconds = int(seconds + 0.5)
        return (
            f"about {seconds // 60} min {seconds % 60:02d} s left"
            if seconds >= 60
            else (f"about {seconds} s left")
        )

    def detail(self, p: Any) -> str:
        parts = [f"{p.rate:.1f}/s (limit {self.rate_limit:g}/s)", self._eta(p.eta_seconds)]
        if p.refused:
            parts.append(f"{p.refused} refused")
        if p.unknown:
            parts.append(f"{p.unknown} unknown")
        if p.rate_limited:
            parts.append(f"{p.rate_limited}×429")
        if p.phase == "following":
            parts = [f"{p.pending} still pending"]
        elif p.phase in ("done", "paused"):
            parts = [f"{p.made} made", *parts[2:]]
            if p.pending:
                parts.append(f"{p.pending} still pending")
        return " · ".join(parts)

    def update(self, p: Any) -> None:
        done = p.made + p.refused
        if self._bar is not None:
            self._bar.update(
                self._task, completed=done, total=p.total, description=p.phase.capitalize(),
                detail=self.detail(p),
            )  # fmt: skip
            return
        import time

        now = time.monotonic()
        if p.phase != self._last_phase or now - self._last_line >= 5.0:
            self._last_line, self._last_phase = now, p.phase
            note(f"{p.phase}: {done}/{p.total} rows · {self.detail(p)}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _discard_unsent(
    args: argparse.Namespace, file: BatchFile, results: Path, state_path: Path
) -> int:
    """Give up a paused batch's rows that never reached Fintoc (no network needed)."""
    from fintoc_tui.batch.results import refresh_results
    from fintoc_tui.batch.runner import discard_unsent
    from fintoc_tui.batch.state import BatchBusy, BatchState, BatchStateMismatch
    from fintoc_tui.journal import Journal

    if not state_path.exists():
        raise CommandError(f"{file.path} has no batch in progress here ({state_path} is missing)")
    environment = environment_name(args)
    try:
        state = BatchState.open(
            state_path, sha256=file.sha256, environment=environment, source=file.path.resolve()
        )
    except (BatchBusy, BatchStateMismatch) as exc:
        raise CommandError(str(exc)) from None
    try:
        with Journal() as journal:
            discarded, left = discard_unsent(state, journal, environment)
        refresh_results(results, state.rows())
    finally:
        state.close()
    if args.json:
        write_json({"discarded": discarded, "left": left, "results": str(results)})
    else:
        print(f"Discarded {len(discarded)} rows that never reached Fintoc; results: {results}")
    if left:
        note(
            f"{len(left)} rows may have reached Fintoc and cannot be discarded (rows "
            f"{', '.join(map(str, left[:10]))}{'…' if len(left) > 10 else ''}): run the batch "
            "again to find out what happened to them."
        )
        return ExitCode.UNKNOWN
    return ExitCode.OK


def run_batch(args: argparse.Namespace) -> int:
    path = Path(args.path).expanduser()
    try:
        file = read_batch(path)
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None
    except BatchFileError as exc:
        return _problems(exc.problems, path, args.json)
    results = Path(args.results).expanduser() if args.results else default_results_path(path)
    state_path = state_path_for(results, file.sha256)
    if args.discard_unsent:
        return _discard_unsent(args, file, results, state_path)
    _check_results_belong(results, state_path)
    live = environment_name(args) == "live"
    if live and args.yes:
        raise CommandError(
            "--yes does not confirm a live batch: type each total at the prompt, or pass "
            "--confirm-live-total"
        )
    if args.confirm_live_total and not live:
        raise CommandError(
            "--confirm-live-total is for live batches; in sandbox and test use --yes"
        )
    if args.rate <= 0:
        raise CommandError("--rate must be more than 0")

    from fintoc_tui.api.client import RetryPolicy
    from fintoc_tui.batch.ratelimit import RateLimitedTransport, TokenBucket

    transports: list[RateLimitedTransport] = []

    def wrap(inner: Any) -> Any:
        transport = RateLimitedTransport(inner, TokenBucket(args.rate))
        transports.append(transport)
        return transport

    async def body(connection: Connection) -> int:
        from fintoc_tui.batch.preview import preview_batch, preview_lines
        from fintoc_tui.batch.validate import plan_batch

        plan, made = await plan_batch(
            connection.client, file, state_path,
            default_source=args.source, allow_duplicates=args.allow_duplicates,
        )  # fmt: skip
        if not plan.ok:
            return _problems(plan.problems, path, args.json)
        to_send = [row for row in plan.rows if row.number not in made]
        preview = preview_batch(to_send)
        title = (
            f"Batch {path.name} (sha256 {file.sha256[:12]}) in "
            f"{connection.environment.label}: {len(plan.rows)} rows valid"
            + (f", {len(made)} already paid" if made else "")
            + (f", {len(to_send)} to send" if to_send else ", nothing left to send")
        )
        for line in preview_lines(preview, title=title) if to_send else [title]:
            note(line)
        if args.check:
            if args.json:
                write_json({"valid": True, "rows": len(plan.rows), "already_paid": len(made),
                            "preview": preview.to_dict()})  # fmt: skip
            else:
                print(
                    f"{len(plan.rows)} rows valid; {len(to_send)} to send. Nothing was sent (--check)."
                )
            return ExitCode.OK
        if live and connection.signer is None:
            raise CommandError(LIVE_NEEDS_SIGNER)
        if to_send:
            totals = _totals(to_send)
            if live:
                _confirm_live(args, totals)
            else:
                confirm_yes(
                    f"Send {len(to_send)} transfers ({_totals_text(totals)})? [y/N] ",
                    yes=args.yes, what="the batch",
                )  # fmt: skip
        return await _run(args, connection, plan, file, results, state_path, transports)

    return run_with_connection(
        args, body, need_signer=True, wrap_transport=wrap, retry=RetryPolicy(max_attempts=5)
    )


async def _run(
    args: argparse.Namespace,
    connection: Connection,
    plan: Any,
    file: BatchFile,
    results: Path,
    state_path: Path,
    transports: list[Any],
) -> int:
    from fintoc_tui.api.submit import TransferSubmitter
    from fintoc_tui.batch.runner import BatchRunner
    from fintoc_tui.batch.state import BatchBusy, BatchState, BatchStateMismatch
    from fintoc_tui.journal import Journal

    try:
        state = BatchState.open(
            state_path,
            sha256=file.sha256,
            environment=connection.environment.name,
            source=file.path.resolve(),
        )
    except (BatchBusy, BatchStateMismatch) as exc:
        raise CommandError(str(exc)) from None
    journal = Journal()
    pause = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_interrupt() -> None:
        note("\nPausing: the requests in flight finish and are recorded; nothing is lost. "
             "Ctrl-C again stops at once (still safe: run the same command to resume).")  # fmt: skip
        pause.set()
        loop.remove_signal_handler(signal.SIGINT)

    try:
        loop.add_signal_handler(signal.SIGINT, on_interrupt)
    except (NotImplementedError, RuntimeError):  # pragma: no cover - not on Windows' loop
        pass
    display = ProgressDisplay(len(plan.rows), args.rate)
    try:
        submitter = TransferSubmitter(connection.client, journal, connection.environment.name)
        runner = BatchRunner(
            plan, state, submitter, results,
            on_progress=display.update, pause=pause, follow_seconds=args.follow,
            rate_limited=lambda: sum(t.rate_limited for t in transports),
        )  # fmt: skip
        outcome = await runner.run()
    finally:
        display.close()
        try:
            loop.remove_signal_handler(signal.SIGINT)
        except (NotImplementedError, RuntimeError):  # pragma: no cover
            pass
        journal.close()
        state.close()
    return _report(args, outcome, file, results, state_path, connection)


def _report(
    args: argparse.Namespace, outcome: Any, file: BatchFile, results: Path, state_path: Path,
    connection: Connection,
) -> int:  # fmt: skip
    if outcome.paused:
        code = ExitCode.PAUSED
    elif outcome.unknown or outcome.queued:
        code = ExitCode.UNKNOWN if outcome.unknown else ExitCode.ERROR
    elif outcome.refused:
        code = ExitCode.REFUSED
    else:
        code = ExitCode.OK
    if args.json:
        write_json({
            "file": str(file.path), "sha256": file.sha256,
            "environment": connection.environment.name, "results": str(results),
            "state": str(state_path), "rows": outcome.total, "made": outcome.made,
            "refused": outcome.refused, "unknown": outcome.unknown, "not_sent": outcome.queued,
            "pending": outcome.pending, "paused": outcome.paused, "stopped": outcome.stopped,
            "by_status": outcome.by_status, "exit_code": int(code),
        })  # fmt: skip
    else:
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(outcome.by_status.items()))
        print(f"Batch {file.path.name}: {outcome.total} rows — {statuses}.")
        print(f"Results: {results}")
    if outcome.stopped:
        error(
            f"stopped: {outcome.stopped}. Nothing is lost; fix it and run the same command again."
        )
    if outcome.paused:
        note(f"Paused with {outcome.made} of {outcome.total} rows made. "
             "Run the same command again to resume; no row is paid twice.")  # fmt: skip
    elif outcome.unknown:
        note(f"{outcome.unknown} rows have an unknown outcome (they may have been made). "
             "Run the same command again: it asks Fintoc with the same keys and never pays twice.")  # fmt: skip
    elif outcome.queued:
        note(f"{outcome.queued} rows were not sent. Run the same command again to send them.")
    elif outcome.refused:
        note(f"{outcome.refused} rows were refused by Fintoc (no transfer was made; the results "
             "file says why). Running the command again retries them with new keys.")  # fmt: skip
    if outcome.pending and not outcome.paused:
        note(f"{outcome.pending} transfers are still pending; run the same command again later "
             "to refresh the results file.")  # fmt: skip
    return code
