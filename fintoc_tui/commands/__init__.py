"""The scriptable face of fintoc-tui: `accounts`, `transfers`, `doctor`, `journal`, `batch`.

The same core as the screens (`api/`, `journal`, `credentials`, `money`,
`banking`, `transfer/`, `export`, `batch/`) behind commands, with no
Textual import. Tables for people on stdout; `--json` / `--csv` for machines
(amounts as int minor units plus the formatted text); prompts, progress and
errors on stderr, an error in one line with Fintoc's code. Exit statuses:
`exit_codes.ExitCode` (docs/cli.md). `cli.py` hands parsed arguments to
`runner.run`.
"""
