"""Turn an error from a worker into words for a person: what happened, what to do next.

Screens show these instead of tracebacks. Messages come from `FintocError`,
which already redacts keys and PEMs; anything else is named by its type only.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: A run of sentence-ending marks (and the spaces around them) at the end of a text.
_ENDING = re.compile(r"[\s.!?…:;,]+$")


def sentence(text: str) -> str:
    """`text` ending in exactly one full stop (or its own ! ? …), however it arrived.

    Titles wrap messages from Fintoc, httpx and the sandbox, which may or may
    not end in a period; gluing them on must never give "Fintoc.." or "Fintoc".
    """
    text = text.strip()
    match = _ENDING.search(text)
    tail = match.group().strip() if match else ""
    head = text[: match.start()] if match else text
    ending = next((mark for mark in "!?…" if mark in tail), ".")
    return f"{head}{ending}" if head else ""


class Problem(NamedTuple):
    title: str
    advice: str
    kind: str  # "auth" | "network" | "api" | "no_key" | "no_environment" | "sandbox" | "bug"


def describe(error: BaseException, environment_label: str = "") -> Problem:
    from fintoc_tui.api.errors import AuthenticationError, FintocError, NetworkError, redact
    from fintoc_tui.ui.shell.sandbox_link import SandboxStartError

    where = f" for {environment_label}" if environment_label else ""
    if isinstance(error, AuthenticationError):
        return Problem(
            f"Fintoc refused the key{where}.",
            "Press e to open the environment screen and set a valid secret key.",
            "auth",
        )
    if isinstance(error, NetworkError):
        return Problem(
            sentence(f"Could not reach Fintoc{where}: {error.message}"),
            "Check the network (or that the sandbox is running), then press r to retry.",
            "network",
        )
    if isinstance(error, SandboxStartError):
        return Problem(
            # What the child printed may hold its key: redact, as FintocError does.
            sentence(f"The local sandbox did not start: {redact(str(error))}"),
            "Press r to try again, or run `fintoc-tui sandbox` in another terminal to see why.",
            "sandbox",
        )
    if isinstance(error, FintocError):
        status = f" ({error.status})" if error.status else ""
        said = f": {error.message}" if error.message.strip() else f" with an error{status}"
        return Problem(sentence(f"Fintoc answered{said}"), "Press r to try again.", "api")
    return Problem(
        f"Something went wrong ({type(error).__name__}).",
        "Press r to try again; if it keeps happening, please report it.",
        "bug",
    )


def no_key(environment_label: str) -> Problem:
    return Problem(
        f"No secret key is set up for {environment_label}.",
        "Press e to open the environment screen and add one.",
        "no_key",
    )


def no_environment() -> Problem:
    return Problem(
        "No environment is chosen yet.",
        "Press e to pick the sandbox, test or live (or run fintoc-tui --sandbox).",
        "no_environment",
    )
