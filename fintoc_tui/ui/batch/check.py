"""The Batch screen's first step, without widgets: read the file, validate every row, preview.

The same steps as `fintoc-tui batch` (commands/batch.py) on the same core
objects: `read_batch` hashes the file, the results path defaults beside it
and must not belong to another batch (`check_results_belong`), `plan_batch`
validates every row with what Fintoc and the batch's state file say now, and
`preview_batch` sums what is left to send. A file already started (the app
or the command was stopped, or killed) is found through its state file: rows
already paid are counted and skipped, the others resume with their own keys.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fintoc_tui.batch.csvfile import BatchFile, BatchFileError, BatchProblem, read_batch
from fintoc_tui.batch.results import ResultsTaken, check_results_belong, default_results_path
from fintoc_tui.batch.state import read_rows, state_path_for

if TYPE_CHECKING:
    from fintoc_tui.batch.preview import BatchPreview, Total
    from fintoc_tui.batch.validate import BatchPlan, PlannedRow

__all__ = ["BatchCheckError", "BatchInvalid", "CheckedBatch", "check_batch", "results_path_for"]


class BatchCheckError(Exception):
    """The batch could not be checked at all: what happened (`title`) and what to do (`advice`)."""

    def __init__(self, title: str, advice: str) -> None:
        super().__init__(title)
        self.title = title
        self.advice = advice


@dataclass(frozen=True)
class BatchInvalid:
    """The file, or some of its rows, are wrong: nothing can be sent until every one is fixed."""

    path: Path
    problems: list[BatchProblem]


@dataclass(frozen=True)
class CheckedBatch:
    """A valid batch, ready for its one confirmation."""

    file: BatchFile
    plan: BatchPlan
    results: Path
    state_path: Path
    environment: str
    made: frozenset[int]
    """Rows an earlier run already paid (they are skipped)."""
    earlier: dict[str, int]
    """What the state file says of the rows left, by status (`unknown`, `refused`, `queued`)."""
    preview: BatchPreview

    @property
    def to_send(self) -> list[PlannedRow]:
        return [row for row in self.plan.rows if row.number not in self.made]

    @property
    def totals(self) -> list[Total]:
        """What is left to send, per currency (the live confirmation asks for each)."""
        return self.preview.by_currency


def results_path_for(typed_path: str, typed_results: str = "") -> Path:
    """The results file: as typed, else `payouts.results.csv` beside `payouts.csv`."""
    if typed_results.strip():
        return Path(typed_results.strip()).expanduser()
    return default_results_path(Path(typed_path.strip()).expanduser())


async def check_batch(
    client: Any,
    environment: str,
    typed_path: str,
    *,
    typed_results: str = "",
    default_source: str | None = None,
    allow_duplicates: bool = False,
) -> CheckedBatch | BatchInvalid:
    """Read and validate the file as the command does; raises `BatchCheckError` in words."""
    from fintoc_tui.batch.preview import preview_batch
    from fintoc_tui.batch.validate import plan_batch

    text = typed_path.strip()
    if not text:
        raise BatchCheckError(
            "Choose a CSV file first.", "Type its path in the File field, then press Enter."
        )
    path = Path(text).expanduser()
    try:
        file = await asyncio.to_thread(read_batch, path)
    except IsADirectoryError:
        raise BatchCheckError(
            f"{path} is a folder, not a file.", "Type the path of the CSV file itself."
        ) from None
    except FileNotFoundError:
        raise BatchCheckError(
            f"There is no file at {path}.",
            "Check the path (relative paths start in the folder fintoc-tui was started from).",
        ) from None
    except OSError as exc:
        raise BatchCheckError(
            f"Cannot read {path}: {exc.strerror or exc}.", "Check the file's permissions."
        ) from None
    except BatchFileError as exc:
        return BatchInvalid(path, exc.problems)
    results = results_path_for(text, typed_results)
    state_path = state_path_for(results, file.sha256)
    try:
        check_results_belong(results, state_path)
    except ResultsTaken as exc:
        raise BatchCheckError(
            str(exc), "Type another path in the Results field, then validate again."
        ) from None
    plan, made = await plan_batch(
        client, file, state_path, default_source=default_source or None,
        allow_duplicates=allow_duplicates,
    )  # fmt: skip
    if not plan.ok:
        return BatchInvalid(path, plan.problems)
    known = await asyncio.to_thread(read_rows, state_path)
    earlier: dict[str, int] = {}
    for number, (status, _) in known.items():
        if number not in made:
            earlier[status] = earlier.get(status, 0) + 1
    to_send = [row for row in plan.rows if row.number not in made]
    return CheckedBatch(
        file=file,
        plan=plan,
        results=results,
        state_path=state_path,
        environment=environment,
        made=frozenset(made),
        earlier=earlier,
        preview=preview_batch(to_send),
    )
