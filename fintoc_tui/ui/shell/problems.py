"""Turn an error from a worker into words for a person: what happened, what to do next.

Screens show these instead of tracebacks. Messages come from `FintocError`,
which already redacts keys and PEMs; anything else is named by its type only.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from fintoc_tui.api.errors import FintocError

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
    kind: str
    """What the problem is about, so a screen can word its own next step:
    "auth" | "network" | "unexpected" | "rate_limit" | "server" | "refused" |
    "unknown" | "api" | "key" | "keyring" | "input" | "file" | "batch" |
    "no_key" | "no_environment" | "sandbox" | "bug"."""


def describe(error: BaseException, environment_label: str = "") -> Problem:
    """What happened and what to do next, for any error a worker can meet.

    Every exception class of the app's own modules has a sentence of its
    own here (`tests/ui/shell/test_problems_every_error.py` walks them all);
    only an error from outside the app reaches the last, generic branch.
    Credential errors carry their sentences with them (`credentials.py`,
    the same words the environment screen shows).
    """
    from fintoc_tui.api.errors import FintocError
    from fintoc_tui.credentials import CredentialError

    where = f" for {environment_label}" if environment_label else ""
    if isinstance(error, FintocError):
        return _fintoc_problem(error, where)
    if isinstance(error, CredentialError):
        return _credential_problem(error)
    return _app_problem(error, where) or Problem(
        f"The app hit an unexpected error ({type(error).__name__}).",
        "Press r to try again; if it keeps happening, please report it.",
        "bug",
    )


def _fintoc_problem(error: FintocError, where: str) -> Problem:
    """An error of the API client: who answered, and whether anything was decided."""
    from fintoc_tui.api.errors import (
        AuthenticationError,
        ConflictError,
        NetworkError,
        NotFoundError,
        OutcomeUnknownError,
        RateLimitError,
        ServerError,
        UnexpectedResponseError,
    )
    from fintoc_tui.api.submit import JournaledFailure, StaleEntryError

    said = error.message.strip()
    if isinstance(error, AuthenticationError):
        return Problem(
            f"Fintoc refused the key{where}.",
            "Press e to open the environment screen and set a valid secret key.",
            "auth",
        )
    if isinstance(error, OutcomeUnknownError):
        return Problem(
            f"The outcome is not known yet{where}: the request may have reached Fintoc.",
            "Nothing is lost: resolve it from the journal (press j on the transfer screen); "
            "it asks Fintoc again with the same idempotency key, so it is never made twice.",
            "unknown",
        )
    if isinstance(error, UnexpectedResponseError):
        status = f" (HTTP {error.status})" if error.status else ""
        return Problem(
            f"Something between this app and Fintoc answered{where} instead of Fintoc{status}.",
            "Check the network, VPN or proxy (a login page or a firewall may be in the way), "
            "then press r to retry.",
            "unexpected",
        )
    if isinstance(error, NetworkError):
        return Problem(
            sentence(f"Could not reach Fintoc{where}: {said}"),
            "Check the network (or that the sandbox is running), then press r to retry.",
            "network",
        )
    if isinstance(error, RateLimitError):
        wait = f" ({error.retry_after:g} s)" if error.retry_after else ""
        return Problem(
            f"Fintoc is limiting requests{where} right now: too many in a short time.",
            f"Wait a moment{wait}, then press r to try again.",
            "rate_limit",
        )
    if isinstance(error, ServerError):
        status = f" (HTTP {error.status})" if error.status else ""
        return Problem(
            f"Fintoc had a problem on its side{where}{status}.",
            "Press r to try again in a moment; if it persists, Fintoc may be having an outage.",
            "server",
        )
    if isinstance(error, StaleEntryError):
        return Problem(
            "This transfer was journaled more than 23 hours ago and may have been sent.",
            "Fintoc may have forgotten its idempotency key, so sending it again could pay "
            "twice: look for it in the history (press 3) instead.",
            "unknown",
        )
    if isinstance(error, JournaledFailure):
        return Problem(
            sentence(
                f"Fintoc already refused this transfer: {said}"
                if said
                else "Fintoc already refused this transfer"
            ),
            "It was not made. Start a new transfer if you still want to send it.",
            "refused",
        )
    if isinstance(error, NotFoundError):
        return Problem(
            sentence(
                f"Fintoc has no such object{where}: {said}"
                if said
                else f"Fintoc has no such object{where}"
            ),
            "It may belong to another environment, or be gone; press r to reload.",
            "refused",
        )
    if isinstance(error, ConflictError):
        return Problem(
            sentence(
                f"Fintoc refused it as things stand: {said}"
                if said
                else "Fintoc refused it as things stand"
            ),
            "Press r to reload the current state, then try again.",
            "refused",
        )
    if error.status in {400, 403, 422}:
        return Problem(
            sentence(
                f"Fintoc refused the request: {said}" if said else "Fintoc refused the request"
            ),
            "Correct what it names, then try again.",
            "refused",
        )
    status = f" ({error.status})" if error.status else ""
    answered = f": {said}" if said else f" with an error{status}"
    return Problem(sentence(f"Fintoc answered{answered}"), "Press r to try again.", "api")


def _credential_problem(error: BaseException) -> Problem:
    """A key or keyring problem, in the words `credentials.py` gives it."""
    from fintoc_tui.credentials import (
        CredentialError,
        InvalidPrivateKey,
        KeyPrefixError,
        PlaintextKeyringRefused,
    )

    assert isinstance(error, CredentialError)
    if isinstance(error, KeyPrefixError):
        advice = "Press e to set the right key, or fix the environment variable that holds it."
        kind = "key"
    elif isinstance(error, InvalidPrivateKey):
        advice = "Press e to load a usable JWS private key (an RSA PEM without a passphrase)."
        kind = "key"
    elif isinstance(error, PlaintextKeyringRefused):
        advice = "Press e to keep the live key for this session only instead."
        kind = "keyring"
    else:
        advice = (
            "Press e to keep the key for this session only, or set it in an environment variable."
        )
        kind = "keyring"
    return Problem(
        sentence(error.message) or "The key could not be used.", error.advice or advice, kind
    )


def _loaded(module: str, name: str) -> type[BaseException] | tuple[()]:
    """The class `module.name` if its module is loaded, else a match for nothing.

    An instance of a class exists only once its module is loaded, so this
    looks a class up without importing anything (the sandbox, the batch or
    pydantic) just to put an error in words.
    """
    found = getattr(sys.modules.get(module), name, None)
    if isinstance(found, type) and issubclass(found, BaseException):
        return found
    return ()


def _app_problem(error: BaseException, where: str) -> Problem | None:
    """The app's other errors (input, files, keys, the sandbox); None for a stranger."""
    from fintoc_tui.banking import BankingError
    from fintoc_tui.environments import BaseUrlError
    from fintoc_tui.money import AmountError, UnknownCurrency
    from fintoc_tui.ui.shell.sandbox_link import SandboxStartError

    said = str(error).strip()
    if isinstance(
        error, (SandboxStartError, _loaded("fintoc_tui.sandbox_process", "SandboxStartError"))
    ):
        return Problem(
            # What the child printed may hold its key: redact, as FintocError does.
            sentence(f"The local sandbox did not start: {_redact(said)}"),
            "Press r to try again, or run `fintoc-tui sandbox` in another terminal to see why.",
            "sandbox",
        )
    jws = (_loaded("fintoc_tui.api.jws", "JWSError"), _loaded("fintoc_tui.api.jws", "JWSKeyError"))
    if isinstance(error, jws):
        return Problem(
            sentence(f"The transfer could not be signed: {_redact(said)}"),
            "Press e to check the JWS private key of this environment.",
            "key",
        )
    if isinstance(error, BaseUrlError):
        return Problem(sentence(said), "Fix the address, then start the app again.", "input")
    typed = (
        AmountError,
        UnknownCurrency,
        BankingError,
        _loaded("fintoc_tui.api.models", "TransferRequestError"),
    )
    if isinstance(error, typed):
        return Problem(sentence(said), "Correct it, then try again.", "input")
    if isinstance(error, _loaded("fintoc_tui.export", "ExportError")):
        return Problem(
            sentence(f"The export was not written: {said}"),
            "Choose another file name or folder, then export again.",
            "file",
        )
    if isinstance(error, _loaded("fintoc_tui.receipts", "ReceiptError")):
        return Problem(
            sentence(f"The receipt was not saved: {said}"), "Press d to try again.", "file"
        )
    if isinstance(error, _loaded("fintoc_tui.api.prefetch", "PrefetchUnusable")):
        return Problem(
            "The accounts saved for a quick start could not be shown.",
            "Press r to load them from Fintoc.",
            "api",
        )
    return _batch_or_command_problem(error, said) or _sandbox_problem(error, said, where)


def _batch_or_command_problem(error: BaseException, said: str) -> Problem | None:
    if isinstance(error, _loaded("fintoc_tui.transfer.draft", "DraftError")):
        return Problem(sentence(said), "Correct the fields it names, then try again.", "input")
    if isinstance(error, _loaded("fintoc_tui.batch.csvfile", "BatchFileError")):
        return Problem(
            sentence(f"The batch file cannot be used: {said}"),
            "Fix the file, then run it again.",
            "batch",
        )
    if isinstance(error, _loaded("fintoc_tui.batch.state", "BatchStateMismatch")):
        return Problem(
            sentence(f"The batch's saved progress does not match: {said}"),
            "Run it with the same file and environment, or move the results file aside.",
            "batch",
        )
    if isinstance(error, _loaded("fintoc_tui.batch.results", "ResultsTaken")):
        return Problem(
            sentence(said),  # says whose results they are and what to do
            "Choose another results file, or move the old one aside.",
            "batch",
        )
    if isinstance(error, _loaded("fintoc_tui.ui.batch.check", "BatchCheckError")):
        title = sentence(getattr(error, "title", said))
        advice = sentence(getattr(error, "advice", "")) or "Fix the file, then check it again."
        return Problem(title, advice, "batch")
    if isinstance(error, _loaded("fintoc_tui.batch.state", "BatchBusy")):
        return Problem(
            "Another run of this batch is going on.",
            "Let it finish (or stop it), then run the batch again.",
            "batch",
        )
    if isinstance(error, _loaded("fintoc_tui.commands.connection", "CommandError")):
        return Problem(sentence(said), "Correct it, then run the command again.", "input")
    if isinstance(error, _loaded("fintoc_tui.ui.environment.key_actions", "NotReady")):
        return Problem(sentence(said), "Then check again.", "no_key")
    return None


def _sandbox_problem(error: BaseException, said: str, where: str) -> Problem | None:
    if isinstance(error, _loaded("fintoc_tui.sandbox.errors", "SandboxError")):
        return Problem(
            sentence(f"The local sandbox refused it{where}: {said}"),
            "Correct it, then try again.",
            "sandbox",
        )
    if isinstance(error, _loaded("fintoc_tui.sandbox.events", "SignatureError")):
        return Problem(
            sentence(f"The webhook signature does not check out: {said}"),
            "Use the endpoint's secret as the sandbox gave it, and the body exactly as received.",
            "sandbox",
        )
    cannot_start = (
        _loaded("fintoc_tui.sandbox.store", "SandboxStateError"),
        _loaded("fintoc_tui.sandbox.server", "NonLoopbackError"),
    )
    if isinstance(error, cannot_start):
        return Problem(
            sentence(f"The local sandbox cannot start: {said}"),
            "Do what it says, then press r to try again.",
            "sandbox",
        )
    return None


def _redact(text: str) -> str:
    from fintoc_tui.api.errors import redact

    return redact(text)


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
