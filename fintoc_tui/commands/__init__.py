"""The scriptable face of fintoc-tui: `accounts`, `transfers`, `doctor`, `journal`, `batch`.

The same core as the screens (`api/`, `journal`, `credentials`, `money`,
`banking`, `transfer_draft`, `export`, `batch/`) behind commands, with no
Textual import. Tables for people on stdout; `--json` / `--csv` for machines
(amounts as int minor units plus the formatted text); prompts, progress and
errors on stderr, an error in one line with Fintoc's code. Exit statuses:
`exit_codes.ExitCode` (docs/cli.md).
"""

from __future__ import annotations

import argparse


def run_command(args: argparse.Namespace) -> int:
    """Run the command `args` names; every error becomes one line on stderr and an exit code."""
    from fintoc_tui.commands.runner import run

    return run(args)
