"""Issue 11 §4: every error the app's own modules raise has a sentence of its own.

The walk imports every module of the package, finds each exception class
defined there, and puts an instance through `problems.describe`: none may
fall to the generic "unexpected error" branch, and none may say "Something
went wrong". A new exception class without a sentence fails here by name.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from ui_helpers import screen_text

import fintoc_tui
from fintoc_tui.ui.shell.problems import describe


def _modules() -> list[str]:
    names = [fintoc_tui.__name__]
    for info in pkgutil.walk_packages(fintoc_tui.__path__, prefix="fintoc_tui."):
        # `fintoc_tui.testing` is the tests' support code: its errors fail a test, never a screen.
        if info.name.rsplit(".", 1)[-1] != "__main__" and not info.name.startswith(
            "fintoc_tui.testing"
        ):
            names.append(info.name)
    return names


def _own_exception_classes() -> list[type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for name in _modules():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
            ):
                found[f"{name}.{value.__qualname__}"] = value
    return [found[key] for key in sorted(found)]


def _instance(cls: type[BaseException]) -> BaseException:
    """An instance made the way the app makes one (its required arguments filled in)."""
    message = "The thing it names is wrong"
    if cls.__name__ == "OutcomeUnknownError":
        return cls(message, idempotency_key="key-1")  # type: ignore[call-arg]
    if cls.__name__ == "DraftError":
        from fintoc_tui.transfer.draft import FieldProblem

        return cls([FieldProblem("amount", "fix the amount", message)])  # type: ignore[call-arg]
    if cls.__name__ == "BatchFileError":
        from fintoc_tui.batch.csvfile import BatchProblem

        params = inspect.signature(BatchProblem).parameters
        problem = BatchProblem(**{p: message if p == "message" else None for p in params})
        return cls([problem])  # type: ignore[call-arg]
    values = {"status": 400, "code": "some_code", "message": message}
    try:
        signature = inspect.signature(cls)
    except ValueError:  # a builtin's __init__ (a ValueError subclass): one message
        return cls(message)
    params = [
        p
        for p in signature.parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    return cls(*[values.get(p.name, message) for p in params])


CLASSES = _own_exception_classes()


def test_the_walk_finds_the_errors_the_issue_names():
    names = {cls.__name__ for cls in CLASSES}
    assert {
        "KeyPrefixError",
        "KeyringTimeout",
        "UnexpectedResponseError",
        "OutcomeUnknownError",
        "RateLimitError",
        "ExportError",
        "BatchFileError",
        "CommandError",
        "DraftError",
    } <= names
    assert len(CLASSES) >= 35


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_own_exception_has_a_sentence_of_its_own(cls):
    from fintoc_tui.ui.widgets.state_message import StateMessage

    problem = describe(_instance(cls), "TEST")
    assert problem.kind != "bug", problem
    assert problem.kind in StateMessage.KINDS  # shown with a border that fits
    assert "Something went wrong" not in problem.title
    assert cls.__name__ not in problem.title + problem.advice  # words, not a class name
    assert problem.title[-1] in ".!?" and problem.advice[-1] in ".!?"


def test_an_error_from_outside_the_app_is_still_said_plainly():
    problem = describe(ZeroDivisionError("division by zero"))
    assert problem.kind == "bug"
    assert "Something went wrong" not in problem.title
    assert "report" in problem.advice


def test_a_non_fintoc_answer_says_what_to_check():
    from fintoc_tui.api.errors import error_from_response

    error = error_from_response(403, b"<html>Blocked</html>", content_type="text/html")
    problem = describe(error, "TEST")
    assert problem.title == (
        "Something between this app and Fintoc answered for TEST instead of Fintoc (HTTP 403)."
    )
    assert "VPN or proxy" in problem.advice and "press r" in problem.advice


def test_keyring_sentences_are_the_credential_stores_own():
    from fintoc_tui.credentials import TIMEOUT_ADVICE, KeyringTimeout

    problem = describe(
        KeyringTimeout("The keyring did not answer within 3 s (read).", TIMEOUT_ADVICE)
    )
    assert problem.title == "The keyring did not answer within 3 s (read)."
    assert problem.advice == TIMEOUT_ADVICE


async def test_a_live_key_in_the_test_variable_is_named_on_screen(make_app, settle):
    """`FINTOC_TEST_SECRET_KEY=sk_live_… fintoc-tui --env test`: the key-prefix sentence."""
    from fintoc_tui.credentials import CredentialStore
    from fintoc_tui.keyring_memory import MemoryKeyring

    live = "sk_live_" + "n0tForTheTestSlot000000000"
    store = CredentialStore(keyring=MemoryKeyring(), env={"FINTOC_TEST_SECRET_KEY": live})
    app = make_app("test", credentials=store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "FINTOC_TEST_SECRET_KEY: That is a live key" in shown
        assert "Something went wrong" not in shown and "KeyPrefixError" not in shown
        assert live not in shown
