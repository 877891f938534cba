"""The bar of issue 11 §3, in a real terminal (tmux) with the installed app: send
$590.13 MXN by keyboard, press `1` — the balance is lower by exactly $590.13 with no
`r`; press `3` — the new transfer is the first row.

The figures expected come from the sandbox's own state file, read beside the app.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fintoc_tui.money import format_amount
from fintoc_tui.testing.tmux_app import app_in_tmux, fill_mx_transfer, type_keys, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CLABE = "012180000000000015"
AMOUNT = 59013
TRANSFER_ID_RE = re.compile(r"\btr_[A-Za-z0-9]+")


def _mxn_balance(home: Path) -> int:
    """The MXN account's balance, from the sandbox's state file."""
    from fintoc_tui.sandbox.store import SandboxStore

    store = SandboxStore(home / "data" / "sandbox.sqlite3")
    try:
        balances = store.balances()
        account_id = next(a for a in balances if store.get("accounts", a)["currency"] == "MXN")
        return balances[account_id]
    finally:
        store.close()


def _line_with(screen: str, text: str) -> str:
    return next((line for line in screen.splitlines() if text in line), "")


def test_a_send_shows_on_the_accounts_and_the_history_without_r(tmp_path):
    home = tmp_path / "home"
    with app_in_tmux(home, "--sandbox") as session:
        screen = wait_for(session, lambda s: "Total MXN" in s, "the accounts table")
        before = _mxn_balance(home)
        assert format_amount(before, "MXN") in _line_with(screen, "Cuenta MXN"), screen

        # Send $590.13 MXN by keyboard.
        fill_mx_transfer(session, "2", CLABE, "590.13", AMOUNT)
        type_keys(session, "C-s")
        wait_for(session, lambda s: "Confirm the transfer" in s, "the confirm screen")
        type_keys(session, "C-s")
        screen = wait_for(session, lambda s: TRANSFER_ID_RE.search(s) is not None, "the result")
        assert "Traceback" not in screen
        match = TRANSFER_ID_RE.search(screen)
        assert match is not None
        transfer_id = match.group(0)
        assert _mxn_balance(home) == before - AMOUNT

        # `1`: the balance is lower by exactly $590.13, and no `r` was pressed.
        after = format_amount(before - AMOUNT, "MXN")
        type_keys(session, "1")
        screen = wait_for(
            session, lambda s: after in _line_with(s, "Cuenta MXN"), "the new balance"
        )
        assert format_amount(before, "MXN") not in screen

        # `3`: the new transfer is the first row.
        type_keys(session, "3")
        screen = wait_for(
            session, lambda s: "Date (UTC)" in s and "-$590.13 MXN" in s, "the history"
        )
        lines = screen.splitlines()
        header = next(i for i, line in enumerate(lines) if "Date (UTC)" in line)
        first_row = lines[header + 1]
        assert "-$590.13 MXN" in first_row and "↑ out" in first_row, screen
        from fintoc_tui.sandbox.store import SandboxStore

        store = SandboxStore(home / "data" / "sandbox.sqlite3")
        try:
            rows, _ = store.page("transfers", limit=1)
        finally:
            store.close()
        assert transfer_id in rows[0]  # the sandbox's newest transfer is the one sent
