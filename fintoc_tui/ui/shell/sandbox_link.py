"""The app's sandbox child: the Textual-free `fintoc_tui.sandbox_process`, under its old name.

`fintoc-tui --sandbox` starts the sandbox after the first frame (or first
thing, when its state file cannot stand in for it: `run.py`); the app waits
for its one-line JSON announcement in a worker. The commands (`--env sandbox`)
start it the same way, so there is one copy of the launcher, and of its
guarantees: no `FINTOC_*` secret in the child's environment, a private log,
and a child that stops when its parent dies.
"""

from __future__ import annotations

from fintoc_tui.sandbox_process import (
    SANDBOX_FINTOC_VARIABLES,
    SandboxInfo,
    SandboxProcess,
    SandboxStartError,
    child_environment,
)

__all__ = [
    "SANDBOX_FINTOC_VARIABLES",
    "SandboxInfo",
    "SandboxProcess",
    "SandboxStartError",
    "child_environment",
]
