"""What a command's exit status means; docs/cli.md has the same table.

A script must be able to tell "nothing happened" from "Fintoc said no" from
"we do not know": `UNKNOWN` is never reported as a failure, because the
transfer may exist. Its journal entry finds out without paying twice.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    #: Done: the list was printed, the transfer made, every batch row has a transfer.
    OK = 0
    #: Nothing moved: Fintoc could not be reached, or something unexpected happened.
    ERROR = 1
    #: Usage, configuration or input: a bad option, a missing key, a field or a CSV
    #: row that does not validate. Nothing was sent.
    INVALID = 2
    #: Fintoc definitely refused (a 4xx answer): no transfer was made.
    REFUSED = 3
    #: The outcome is not known: a transfer may or may not exist. It is journaled;
    #: `fintoc-tui journal resolve` asks Fintoc with the same key (never pays twice).
    UNKNOWN = 4
    #: Not confirmed: declined at the prompt, or no terminal to ask on and no
    #: `--yes` / `--confirm-live`. Nothing was sent.
    NOT_CONFIRMED = 5
    #: A batch paused by Ctrl-C: run the same command again to resume.
    PAUSED = 6
