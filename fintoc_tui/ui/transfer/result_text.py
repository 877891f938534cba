"""What the result screen says for each status: its title, the status line, the notes.

Words only (no state), so the screen stays about following the transfer.
The title says what happened — "Transfer failed", never "Transfer sent" for
a transfer that failed — and an unknown outcome is put in the error's own
sentence, which says why it is unknown.
"""

from __future__ import annotations

from textual.content import Content

from fintoc_tui.api.errors import FintocError

STATUS_STYLE = {
    "pending": "bold $text-warning",
    "succeeded": "bold $text-success",
    "failed": "bold $text-error",
    "rejected": "bold $text-error",
    "returned": "bold $text-warning",
    "return_pending": "bold $text-warning",
    "reject_failed": "bold $text-error",
    "partially_succeeded": "bold $text-warning",
}
STATUS_TITLE = {
    "pending": ("Transfer sent", "bold"),
    "succeeded": ("Transfer succeeded", "bold $text-success"),
    "failed": ("Transfer failed", "bold $text-error"),
    "rejected": ("Transfer rejected", "bold $text-error"),
    "returned": ("Transfer returned", "bold $text-warning"),
    "return_pending": ("Transfer being returned", "bold $text-warning"),
    "reject_failed": ("Transfer in an unexplained state", "bold $text-error"),
    "partially_succeeded": ("Transfer partly sent", "bold $text-warning"),
}
STATUS_TEXT = {
    "pending": "Fintoc accepted it; waiting for the bank.",
    "succeeded": "The money reached the destination account.",
    "failed": "It never reached the destination; the amount was given back to the account.",
    "rejected": "The receiving bank refused it; the amount was given back to the account.",
    "returned": "It arrived, then was returned; the amount was given back to the account.",
    "return_pending": "The receiving bank is sending it back.",
    "reject_failed": (
        "Fintoc says reject_failed, a status its docs list but do not explain: "
        "check the transfer and the balance in Fintoc's dashboard."
    ),
    "partially_succeeded": (
        "Fintoc says partially_succeeded: only part of it went through. "
        "Check the transfer and the balance in Fintoc's dashboard."
    ),
}
UNKNOWN_SENTENCE = (
    "The outcome is unknown: the request may have reached Fintoc, but no answer from "
    "Fintoc said what happened to it."
)
"""Said when the error does not say it in its own words (`OutcomeUnknownError` does)."""


def title(status: str) -> Content:
    """`Transfer failed  ·  It never reached the destination; …`."""
    heading, style = STATUS_TITLE.get(status, (f"Transfer {status}", "bold"))
    return Content.assemble((heading, style), f"  ·  {STATUS_TEXT.get(status, status)}")


def status_line(status: str, *, following: bool) -> Content:
    """The status, and what the screen is still doing about it."""
    doing = ""
    if following:
        doing = "  (watching for a return)" if status == "succeeded" else "  (checking…)"
    return Content.assemble((status, STATUS_STYLE.get(status, "bold")), (doing, "$text-muted"))


def watch_note(watching: bool, *, following: bool, seconds: int) -> Content:
    """Under a success: that a return is watched for (and how long), or no longer."""
    if not watching:
        return Content("")
    if following:
        return Content(
            f"Watching for a return for {seconds} s after it succeeded: the receiving "
            "bank can still send the money back. A later return shows in the history."
        )
    return Content(
        "Stopped watching for a return. A later one shows in the history; press r to check now."
    )


def unknown_sentence(error: BaseException | None) -> str:
    """The error's own "The outcome is unknown: …" sentence, or a neutral one."""
    said = error.message if isinstance(error, FintocError) else ""
    return said if said.startswith("The outcome is unknown") else UNKNOWN_SENTENCE
