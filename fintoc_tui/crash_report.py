"""The traceback printed when the app crashes: no local variables, nothing `redact()` would hide.

Textual's own crash report shows every frame's local variables, and a crash
while a secret key or a PEM sits in a local would print it to the terminal
(and into whatever log captures it). This report keeps what a person needs
to file a bug — the frames, the source lines, the exception type — and runs
every text taken from the exception (messages, notes, chained causes,
exception groups) through `api.errors.redact`.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from rich.traceback import Trace, Traceback

from fintoc_tui.api.errors import redact


def crash_traceback(
    error: BaseException,
    *,
    width: int | None = None,
    suppress: Iterable[str | ModuleType] = (),
) -> Traceback:
    """A rich `Traceback` of `error` without locals, its texts redacted."""
    trace = Traceback.extract(type(error), error, error.__traceback__, show_locals=False)
    _redact_trace(trace)
    return Traceback(trace, width=width, suppress=suppress)


def _redact_trace(trace: Trace) -> None:
    for stack in trace.stacks:
        stack.exc_value = redact(stack.exc_value)
        stack.notes = [redact(note) for note in stack.notes]
        if stack.syntax_error is not None:
            stack.syntax_error.msg = redact(stack.syntax_error.msg)
            stack.syntax_error.line = redact(stack.syntax_error.line)
        for frame in stack.frames:
            frame.line = redact(frame.line)
        for group_member in stack.exceptions:
            _redact_trace(group_member)
