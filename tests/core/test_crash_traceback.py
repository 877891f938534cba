"""The crash report's traceback: built from the exception alone, every text redacted, no locals."""

from __future__ import annotations

import subprocess
import sys

from fintoc_tui.crash_report import crash_traceback

LIVE_KEY = "sk_live_" + "CrashR3portL1veKey0000aa"


def test_the_report_redacts_every_text_it_takes_from_the_exception():
    secret = LIVE_KEY

    def inner() -> None:
        raise ExceptionGroup(
            f"two failures near {secret}",
            [KeyError(f"missing {secret}"), SyntaxError(f"bad {secret}", ("f.py", 1, 1, secret))],
        )

    try:
        inner()
    except ExceptionGroup as error:
        trace = crash_traceback(error).trace
    texts: list[str] = []

    def walk(trace) -> None:
        for stack in trace.stacks:
            texts.extend([stack.exc_value, *stack.notes])
            if stack.syntax_error is not None:
                texts.extend([stack.syntax_error.msg, stack.syntax_error.line])
            for frame in stack.frames:
                assert frame.locals is None
                texts.append(frame.line)
            for member in stack.exceptions:
                walk(member)

    walk(trace)
    assert any("sk_live_…" in text for text in texts)
    assert not [text for text in texts if secret in text]


def test_the_crash_report_module_does_not_import_textual():
    code = "import sys, fintoc_tui.crash_report; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
