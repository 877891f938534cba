"""The installed app in a real terminal (tmux), started as a person starts it.

`--sandbox`: the balances on screen are the balances in the sandbox's state
file. `--env test` with keys and server in environment variables: a transfer
typed in is signed by the app's own client and accepted by a sandbox that
verifies it, and the environment screen names the variable the key came from.
"""

from __future__ import annotations

import re

import pytest

from fintoc_tui.masking import mask_key
from fintoc_tui.money import format_amount
from fintoc_tui.testing.served_sandbox import served_sandbox
from fintoc_tui.testing.tmux_app import app_in_tmux, fill_mx_transfer, type_keys, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

BALANCE_RE = re.compile(r"\$[0-9][0-9.,]* (MXN|CLP)")
TRANSFER_ID_RE = re.compile(r"\btr_[A-Za-z0-9]+")
CLABE = "012180000000000015"


def test_sandbox_accounts_in_a_real_terminal(tmp_path):
    home = tmp_path / "home"
    with app_in_tmux(home, "--sandbox") as session:
        screen = wait_for(session, lambda s: "Total MXN" in s, "the accounts table")
        assert "SANDBOX" in screen
        assert "Traceback" not in screen

        from fintoc_tui.sandbox.store import SandboxStore

        store = SandboxStore(home / "data" / "sandbox.sqlite3")
        try:
            expected = {
                format_amount(balance, store.get("accounts", account_id)["currency"])
                for account_id, balance in store.balances().items()
            }
        finally:
            store.close()
        account_lines = [line for line in screen.splitlines() if "Total" not in line]
        shown = {m.group(0) for line in account_lines for m in BALANCE_RE.finditer(line)}
        assert expected and shown == expected, screen


def test_a_transfer_typed_into_the_real_app_is_signed_and_accepted(tmp_path):
    """`fintoc-tui --env test` with its keys and server in environment variables only.

    The sandbox (on a socket, in this process) accepts only that key and
    verifies every transfer's JWS: the transfer exists because the app's
    own client factory signed it with the key from its own credential store.
    """
    with (
        served_sandbox(tmp_path) as served,
        app_in_tmux(tmp_path / "home", "--env", "test", env=served.environ()) as session,
    ):
        screen = wait_for(session, lambda s: "Total MXN" in s, "the accounts table")
        assert "TEST" in screen and mask_key(served.secret_key) in screen

        fill_mx_transfer(session, "t", CLABE, "61.23", 6123)
        type_keys(session, "C-s")
        wait_for(session, lambda s: "Confirm the transfer" in s, "the confirm screen")
        type_keys(session, "C-s")
        screen = wait_for(session, lambda s: "Transfer sent" in s, "the result")
        assert "Traceback" not in screen

        transfer_id = TRANSFER_ID_RE.search(screen)
        assert transfer_id, screen
        stored = served.store.get("transfers", transfer_id.group(0))
        assert stored is not None, f"{transfer_id.group(0)} is not in the sandbox"
        assert stored["amount"] == 6123
        assert stored["counterparty"]["account_number"] == CLABE

        type_keys(session, "e")
        screen = wait_for(
            session, lambda s: "env FINTOC_TEST_SECRET_KEY" in s, "the environment screen"
        )
        assert f"{mask_key(served.secret_key)}   env FINTOC_TEST_SECRET_KEY" in screen
        assert served.secret_key not in screen
