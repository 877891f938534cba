"""The words for a failed worker: one full stop per sentence, whatever the error said."""

from __future__ import annotations

import re

import pytest

from fintoc_tui.api.errors import (
    AuthenticationError,
    FintocError,
    InvalidRequestError,
    NetworkError,
    ServerError,
)
from fintoc_tui.ui.shell import problems
from fintoc_tui.ui.shell.problems import describe, sentence
from fintoc_tui.ui.shell.sandbox_link import SandboxStartError

#: Two marks in a row ("Fintoc..", "Fintoc.:"), or a mark after a space.
DOUBLED = re.compile(r"[.!?:;,]{2,}|\s[.!?:;,]")
ENDINGS = ["", ".", "..", " .", "!", "?", ":", " "]
LABELS = ["", "SANDBOX", "TEST", "LIVE"]


def every_problem() -> list[problems.Problem]:
    """Each branch of problems.py, fed messages that do and do not end in a period."""
    found = [problems.no_environment()]
    for label in LABELS:
        found.append(problems.no_key(label or "TEST"))
        found.append(describe(ValueError("boom"), label))
        for end in ENDINGS:
            found += [
                describe(NetworkError(f"Could not connect to Fintoc{end}"), label),
                describe(AuthenticationError(f"Invalid API key{end}", status=401), label),
                describe(InvalidRequestError(f"Missing amount{end}", status=400), label),
                describe(ServerError(f"Internal error{end}", status=500), label),
                describe(SandboxStartError(f"it printed nothing{end}"), label),
            ]
    return found


def test_a_network_error_on_test_ends_in_one_full_stop():
    problem = describe(NetworkError("Could not connect to Fintoc."), "TEST")
    assert problem.title == "Could not reach Fintoc for TEST: Could not connect to Fintoc."
    assert problem.kind == "network"


def test_no_message_doubles_its_punctuation():
    texts = {text for problem in every_problem() for text in (problem.title, problem.advice)}
    bad = sorted(text for text in texts if DOUBLED.search(text) or text[-1] not in ".!?")
    assert bad == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Could not connect to Fintoc", "Could not connect to Fintoc."),
        ("Could not connect to Fintoc.", "Could not connect to Fintoc."),
        ("Could not connect to Fintoc..", "Could not connect to Fintoc."),
        ("Fintoc answered: ", "Fintoc answered."),
        ("Is it running?", "Is it running?"),
        ("Stop! ", "Stop!"),
        ("", ""),
    ],
)
def test_sentence_ends_in_exactly_one_mark(text, expected):
    assert sentence(text) == expected


def test_an_empty_fintoc_message_still_says_something():
    assert describe(FintocError("", status=502)).title == "Fintoc answered with an error (502)."


def test_a_sandbox_that_printed_its_key_does_not_show_it():
    key = "sk_test_" + "sandboxPrintedThis0000"
    problem = describe(SandboxStartError(f'printed {{"secret_key": "{key}"}}'))
    assert key not in problem.title and "sk_test_…" in problem.title
