"""Asking a person before money moves, and the rules for when nobody can be asked.

- sandbox / test: a terminal asks "y"; without one, `--yes` says it.
- live: a terminal asks for something only the person who read the
  restatement can type (the destination's last four digits; a batch's total).
  Without a terminal there is no yes-flag: only `--confirm-live <last four>`
  (one transfer) or `--confirm-live-total <amount currency>` (a batch), which
  carry the same proof.
"""

from __future__ import annotations

import sys

from fintoc_tui.commands.connection import CommandError
from fintoc_tui.commands.exit_codes import ExitCode


def has_terminal() -> bool:
    """A person at a terminal can answer (stdin is a TTY)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def ask(prompt: str) -> str | None:
    """Show `prompt` on stderr and read one line from the terminal; None at end of input."""
    print(prompt, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    if not line:
        print(file=sys.stderr)
        return None
    return line.strip()


def not_confirmed(message: str) -> CommandError:
    return CommandError(message, ExitCode.NOT_CONFIRMED)


def confirm_yes(prompt: str, *, yes: bool, what: str) -> None:
    """Sandbox and test: `--yes`, or "y" typed at a terminal; else `NOT_CONFIRMED`."""
    if yes:
        return
    if not has_terminal():
        raise not_confirmed(
            f"no terminal to confirm on: pass --yes to send {what} without asking "
            "(sandbox and test only). Nothing was sent."
        )
    answer = ask(prompt)
    if (answer or "").lower() not in ("y", "yes"):
        raise not_confirmed("Not confirmed. Nothing was sent.")
