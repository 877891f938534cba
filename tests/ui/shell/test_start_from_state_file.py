"""`fintoc-tui --sandbox` paints its first frame from the sandbox's state file, then starts it.

`run._accounts_from_state_file` seeds a missing state file (or waits for
the child `run._start_seeding` started to seed it while Textual loaded) and
reads the accounts from it; the app shows them with no sandbox running and
starts the sandbox child only once they are on screen (its connect), and the
client's answer then replaces them.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from textual.widgets import ContentSwitcher, DataTable

from fintoc_tui import paths
from fintoc_tui.api.models import Account
from fintoc_tui.money import format_amount
from fintoc_tui.ui.shell.run import _accounts_from_state_file, _start_seeding
from fintoc_tui.ui.shell.sandbox_link import SandboxProcess


def _balances(app) -> list[str]:
    table = app.screen.query_one("#accounts-table", DataTable)
    return [str(table.get_row_at(i)[4]).strip() for i in range(table.row_count)]


def test_a_first_run_seeds_the_state_file_and_reads_it():
    path = paths.sandbox_state_file()
    assert not path.exists()
    prefetch = _accounts_from_state_file()
    assert path.exists()
    assert prefetch is not None and prefetch.done
    assert [a.currency for a in prefetch.accounts] == ["MXN", "CLP"]
    again = _accounts_from_state_file()
    assert again is not None and again.accounts == prefetch.accounts


def test_a_first_run_is_seeded_by_a_child_while_this_process_goes_on():
    path = paths.sandbox_state_file()
    seeding = _start_seeding()
    assert seeding is not None and seeding.pid != os.getpid()
    prefetch = _accounts_from_state_file(seeding)  # waits for it
    assert seeding.returncode == 0 and path.exists()
    assert prefetch is not None and [a.currency for a in prefetch.accounts] == ["MXN", "CLP"]
    assert _start_seeding() is None  # seeded: a later run starts no child


def test_a_seeding_child_that_fails_is_made_up_for_in_process():
    failed = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    prefetch = _accounts_from_state_file(failed)
    assert failed.returncode == 3
    assert paths.sandbox_state_file().exists()
    assert prefetch is not None and [a.currency for a in prefetch.accounts] == ["MXN", "CLP"]


def test_a_state_file_with_a_transfer_due_is_left_to_the_sandbox():
    assert _accounts_from_state_file() is not None
    with sqlite3.connect(paths.sandbox_state_file()) as db:
        db.execute(
            "UPDATE transfers SET settle_at = 1 WHERE seq = (SELECT MIN(seq) FROM transfers)"
        )
    assert _accounts_from_state_file() is None  # run.py then starts the child at once


async def test_the_first_frame_needs_no_sandbox_which_starts_after_it(make_app, settle):
    prefetch = _accounts_from_state_file()
    assert prefetch is not None
    launched: list[SandboxProcess] = []
    on_screen_at_launch: list[list[str]] = []
    expected = [format_amount(a.available_balance, a.currency) for a in prefetch.accounts]

    def launch() -> SandboxProcess:  # on the connect worker's thread
        on_screen_at_launch.append(app.call_from_thread(_balances, app))
        sandbox = SandboxProcess(ephemeral=True)
        launched.append(sandbox)
        return sandbox

    app = make_app("sandbox", accounts_prefetch=prefetch, sandbox=None, sandbox_launcher=launch)
    async with app.run_test(size=(120, 36)) as pilot:
        # Composed with the rows, from the file alone.
        assert app.screen.query_one(ContentSwitcher).current == "accounts-view"
        assert _balances(app) == expected
        for _ in range(100):
            await settle(pilot)
            if app.client is not None:
                break
        assert len(launched) == 1  # started by the connect, once the rows were on screen
        assert on_screen_at_launch == [expected]
        assert app.environment is not None and app.environment.base_url.startswith("http://127.")
        assert app.accounts and all(isinstance(a, Account) for a in app.accounts)
