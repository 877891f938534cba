"""What the Batch screen says, in plain words: progress while sending, and what happened after.

Plain functions over the runner's `Progress` and `BatchOutcome`, so the
sentences are tested without a screen. Every end state says what happened
and what to do next; an unknown outcome is never called a failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fintoc_tui.batch.runner import BatchOutcome, Progress

__all__ = ["Ending", "ending", "progress_line", "resume_note", "time_left"]

PHASES = {
    "journaling": "Journaling every row before the first is sent",
    "sending": "Sending",
    "resolving": "Asking Fintoc again about rows whose outcome is unknown (same keys)",
    "following": "Following pending transfers until they settle",
    "stopping": "Stopping: the statuses asked for arrive and are recorded",
    "pausing": "Pausing: the requests in flight finish and are recorded",
    "paused": "Paused",
    "done": "Finished",
    "stopped": "Stopped",
}


def time_left(seconds: float | None) -> str:
    """`about 1 min 05 s left`; `time left unknown` until the rate is known."""
    if seconds is None:
        return "time left unknown"
    whole = int(seconds + 0.5)
    if whole >= 60:
        return f"about {whole // 60} min {whole % 60:02d} s left"
    return f"about {whole} s left"


def progress_line(progress: Progress, rate_limit: float) -> str:
    """The line under the progress bar: rate against the limit, time left, what went wrong."""
    if progress.phase == "following":
        return (
            f"{progress.made} made · {progress.pending} still pending · "
            "p stops following (the statuses can be brought in later)"
        )
    # Rows are spaced 1/rate apart, but the runner counts the finishes in a
    # window that holds both its ends, so a steady 10/s can read 10.7/s early
    # on; "10.7/s (limit 10/s)" would look like the limit broken.
    rate = min(progress.rate, rate_limit)
    parts = [
        f"{progress.done} of {progress.total} rows",
        f"{rate:.1f}/s (limit {rate_limit:g}/s)",
        time_left(progress.eta_seconds),
    ]
    if progress.in_flight:
        parts.append(f"{progress.in_flight} in flight")
    if progress.refused:
        parts.append(f"{progress.refused} refused")
    if progress.unknown:
        parts.append(f"{progress.unknown} unknown")
    if progress.rate_limited:
        parts.append(f"{progress.rate_limited}×429 (waited as Fintoc asked)")
    return " · ".join(parts)


def resume_note(made: int, earlier: Mapping[str, int]) -> str:
    """What an earlier run of this file left, when there was one ("" otherwise)."""
    if not made and not earlier:
        return ""
    parts = [f"{made} already paid (skipped)"] if made else []
    if earlier.get("unknown"):
        parts.append(
            f"{earlier['unknown']} may already have been made: asked again with the same key, "
            "never paid twice"
        )
    if earlier.get("queued"):
        parts.append(f"{earlier['queued']} not sent yet (their keys are kept)")
    if earlier.get("refused"):
        parts.append(f"{earlier['refused']} refused before: sent again with new keys")
    return "Resuming an earlier run of this file: " + "; ".join(parts) + "."


@dataclass(frozen=True)
class Ending:
    """How a run ended: a headline, the rows by status, and what to do next."""

    title: str
    kind: str
    """`done`, `paused`, `warning` or `error`: the colour of the headline."""
    statuses: str
    advice: list[str]


def ending(outcome: BatchOutcome) -> Ending:
    """The words for a finished (or paused, or stopped) run."""
    statuses = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(outcome.by_status.items()))
    advice: list[str] = []
    again = "validate the same file again (F5) and send"
    # Paused while following statuses, with every row sent: nothing is left to resume.
    paused = outcome.paused and bool(outcome.queued or outcome.unknown)
    if outcome.stopped:
        title, kind = f"Stopped: {outcome.stopped}", "error"
        advice.append(f"Nothing is lost. Fix the cause, then {again}: no row is paid twice.")
    elif paused:
        title = f"Paused with {outcome.made} of {outcome.total} rows made."
        kind = "paused"
        advice.append(f"To send the rest, {again}: rows already paid are skipped.")
    elif outcome.unknown or outcome.queued:
        title, kind = "Not every row has an answer yet.", "warning"
    elif outcome.refused:
        title, kind = f"{outcome.refused} of {outcome.total} rows were refused by Fintoc.", "error"
    else:
        title, kind = f"Done: all {outcome.total} rows have a transfer.", "done"
    if not paused and not outcome.stopped:
        if outcome.unknown:
            advice.append(
                f"{outcome.unknown} rows have an unknown outcome: they may have been made. "
                f"To find out, {again}: Fintoc is asked with the same keys and never pays twice."
            )
        if outcome.queued:
            advice.append(f"{outcome.queued} rows were not sent. To send them, {again}.")
    if outcome.refused and not paused:
        advice.append(
            f"{outcome.refused} rows were refused: no transfer was made (the results file says "
            "why). Fix the cause, then send again: they go out with new keys."
        )
    if outcome.pending and not paused:
        advice.append(
            f"{outcome.pending} transfers are still pending at the bank; validate again later "
            "to bring their statuses into the results file."
        )
    return Ending(title, kind, statuses, advice)
