"""`transfers create`: form-exact validation, restatement, confirmation rules, exit statuses."""

from __future__ import annotations

import json
import os
import pty
import subprocess

import pytest
from cli_helpers import FINTOC_TUI, clean_env

from fintoc_tui.api.models import Account
from fintoc_tui.transfer.draft import TransferFields, field_problems

pytestmark = pytest.mark.e2e

GOOD_MX = ["--to", "012180000000000015", "--holder-name", "Juan Pérez"]


def _mx_account(sandbox) -> dict:
    return next(a for a in sandbox.get("/v2/accounts").json() if a["currency"] == "MXN")


def _count(sandbox) -> int:
    return len(sandbox.all_transfers())


def test_sends_journals_and_reports_ints(cli, sandbox):
    account = _mx_account(sandbox)
    before = _count(sandbox)
    result = cli(
        "transfers", "create", "--from", account["id"], *GOOD_MX,
        "--amount", "590.13", "--comment", "Factura 12", "--metadata", "order=12",
        "--yes", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["outcome"] == "succeeded"
    transfer = report["transfer"]
    assert transfer["amount"] == 59013 and type(transfer["amount"]) is int
    assert transfer["amount_formatted"] == "-$590.13 MXN"
    assert transfer["metadata"] == {"order": "12"}
    assert _count(sandbox) == before + 1
    # The restatement is the confirm screen's, on stderr.
    assert "Amount       $590.13 MXN  amount=59013 (minor units sent)" in result.stderr
    assert "Account      012 180 00000000001 5  (CLABE)" in result.stderr
    # Journaled with the key it reports, and resolved.
    journal = cli("journal", "--recent", "1", "--json")
    [entry] = json.loads(journal.stdout)["entries"]
    assert entry["idempotency_key"] == report["idempotency_key"]
    assert entry["state"] == "succeeded" and entry["transfer_id"] == transfer["id"]
    assert entry["amount"] == 59013


def test_invalid_fields_use_the_form_messages_and_send_nothing(cli, sandbox):
    account = _mx_account(sandbox)
    before = _count(sandbox)
    result = cli(
        "transfers", "create", "--from", account["id"], "--to", "012180000000000016",
        "--amount", "1,2", "--reference", "0123", "--holder-id", "ABC", "--yes",
    )  # fmt: skip
    assert result.returncode == 2
    expected = field_problems(
        Account.model_validate(account),
        TransferFields(
            account_number="012180000000000016", amount="1,2", reference_id="0123", holder_id="ABC"
        ),
    )
    lines = [line for line in result.stderr.splitlines() if line.startswith("fintoc-tui: error:")]
    assert len(lines) == len(expected) == 4
    for line, problem in zip(lines, expected, strict=True):
        assert line.endswith(": " + problem.message)
    assert "--to (CLABE): Check digit should be 5, not 6" in lines[0]
    assert _count(sandbox) == before
    as_json = cli("transfers", "create", "--from", account["id"], "--to", "012180000000000016",
                  "--amount", "5", "--yes", "--json")  # fmt: skip
    report = json.loads(as_json.stdout)
    assert report["outcome"] == "invalid"
    assert report["problems"] == [
        {"field": "account_number", "option": "--to (CLABE)",
         "message": "Check digit should be 5, not 6"}
    ]  # fmt: skip


def test_chile_needs_its_fields_and_says_which_flag(cli, sandbox):
    clp = next(a for a in sandbox.get("/v2/accounts").json() if a["currency"] == "CLP")
    result = cli("transfers", "create", "--from", clp["id"], "--cl-account", "900000001",
                 "--rut", "12.345.678-4", "--amount", "12.50", "--yes")  # fmt: skip
    assert result.returncode == 2
    assert "--rut: RUT check digit should be 5, not 4" in result.stderr
    assert "--holder-name: Enter the holder name" in result.stderr
    assert "--institution: Choose the institution" in result.stderr
    assert "--amount: CLP has no cents" in result.stderr
    wrong_kind = cli("transfers", "create", "--from", clp["id"], *GOOD_MX, "--amount", "5", "--yes")
    assert wrong_kind.returncode == 2 and "--cl-account" in wrong_kind.stderr


def test_no_terminal_and_no_yes_is_not_confirmed(cli, sandbox):
    before = _count(sandbox)
    result = cli("transfers", "create", "--from", "Cuenta MXN", *GOOD_MX, "--amount", "10")
    assert result.returncode == 5
    assert "pass --yes" in result.stderr
    assert _count(sandbox) == before


def test_refusal_is_exit_3_with_the_code(cli, sandbox):
    # Fintoc's once-a-day rule in Chile: the same transfer again is refused (409),
    # something only Fintoc can know (the sandbox has no magic refusal any more).
    import uuid

    args = ("transfers", "create", "--from", "Cuenta CLP", "--cl-account", "900000001",
            "--rut", "11.111.111-1", "--holder-name", "Proveedora Éxito SpA",
            "--institution", "cl_banco_estado", "--account-type", "checking_account",
            "--amount", "1.000", "--comment", f"dup {uuid.uuid4().hex[:8]}", "--yes", "--json")  # fmt: skip
    first = cli(*args)
    assert first.returncode == 0, first.stderr
    result = cli(*args)
    assert result.returncode == 3
    assert json.loads(result.stdout)["outcome"] == "refused"
    assert "code invalid_duplicated_transfer" in result.stderr


# -- live -------------------------------------------------------------------------------------


def _live_transfers(live_server) -> int:
    return sum(t["direction"] == "outbound" for t in _all(live_server))


def _all(live_server) -> list[dict]:
    import httpx
    from cli_helpers import LIVE_KEY

    out: list[dict] = []
    url: str | None = "/v2/transfers?limit=300"
    with httpx.Client(base_url=live_server.base_url, headers={"Authorization": LIVE_KEY}) as c:
        while url:
            response = c.get(url)
            out += response.json()
            url = response.links.get("next", {}).get("url") or None
    return out


def test_live_without_terminal_or_confirm_live_refuses(live_cli, live_server):
    before = _live_transfers(live_server)
    args = ["transfers", "create", "--from", "Cuenta MXN", *GOOD_MX, "--amount", "10"]
    no_terminal = live_cli(*args)
    assert no_terminal.returncode == 5
    assert "--confirm-live" in no_terminal.stderr
    assert "Environment  LIVE  ·  real money will move" in no_terminal.stderr
    with_yes = live_cli(*args, "--yes")
    assert with_yes.returncode == 2 and "--yes does not confirm a live transfer" in with_yes.stderr
    wrong = live_cli(*args, "--confirm-live", "0016")
    assert wrong.returncode == 5 and "does not match" in wrong.stderr
    assert _live_transfers(live_server) == before
    right = live_cli(*args, "--confirm-live", "0015", "--json")
    assert right.returncode == 0, right.stderr
    assert json.loads(right.stdout)["transfer"]["amount"] == 1000
    assert _live_transfers(live_server) == before + 1


def test_live_needs_a_jws_key(live_cli, live_server):
    result = live_cli(
        "transfers", "create", "--from", "Cuenta MXN", *GOOD_MX, "--amount", "10",
        "--confirm-live", "0015", env={"FINTOC_LIVE_JWS_PRIVATE_KEY_FILE": ""},
    )  # fmt: skip
    assert result.returncode == 2 and "must be signed" in result.stderr


def _run_on_terminal(args: list[str], env: dict[str, str], typed: bytes) -> tuple[int, str]:
    """Run with stdin on a pty (a person at a terminal) and type `typed`."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [FINTOC_TUI, *args], stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    os.close(slave)
    os.write(master, typed)
    out, err = process.communicate(timeout=60)
    os.close(master)
    return process.returncode, out.decode() + err.decode()


def test_live_on_a_terminal_asks_for_the_last_four(live_server, home):
    from cli_helpers import LIVE_KEY

    env = clean_env(
        home,
        FINTOC_LIVE_SECRET_KEY=LIVE_KEY,
        FINTOC_LIVE_JWS_PRIVATE_KEY_FILE=live_server.private_key_file,
    )
    args = ["transfers", "create", "--from", "Cuenta MXN", *GOOD_MX, "--amount", "11",
            "--env", "live", "--base-url", live_server.base_url]  # fmt: skip
    before = _live_transfers(live_server)
    code, output = _run_on_terminal(args, env, b"1234\n")
    assert code == 5 and "Type the last four digits" in output
    assert _live_transfers(live_server) == before
    code, output = _run_on_terminal(args, env, b"0015\n")
    assert code == 0, output
    assert _live_transfers(live_server) == before + 1


def test_unknown_outcome_is_exit_4_and_resolve_finds_it_once(live_server, home):
    """Every attempt commits then drops: unknown, never "failed"; resolve finds the one transfer."""
    from cli_helpers import run_cli

    env = clean_env(home, FINTOC_TEST_JWS_PRIVATE_KEY_FILE=live_server.private_key_file)
    where = ["--env", "sandbox", "--base-url", live_server.base_url]
    before = _live_transfers(live_server)
    live_server.faults.force_next("drop", 4)
    try:
        result = run_cli(["transfers", "create", "--from", "Cuenta MXN", *GOOD_MX,
                          "--amount", "12.34", "--yes", "--json", *where], env)  # fmt: skip
    finally:
        live_server.faults.clear()
    assert result.returncode == 4, result.stderr
    report = json.loads(result.stdout)
    assert report["outcome"] == "unknown" and report["transfer"] is None
    line = next(x for x in result.stderr.splitlines() if x.startswith("fintoc-tui: error:"))
    assert line.startswith("fintoc-tui: error: outcome unknown:") and "journal resolve" in line
    assert "refused" not in result.stderr and "not sent" not in result.stderr
    assert _live_transfers(live_server) == before + 1  # it was made, once
    listed = run_cli(["journal", "--json"], env)
    [entry] = json.loads(listed.stdout)["entries"]
    assert entry["state"] == "unknown" and entry["idempotency_key"] == report["idempotency_key"]
    resolved = run_cli(["journal", "resolve", "--json", *where], env)
    assert resolved.returncode == 0, resolved.stderr
    [outcome] = json.loads(resolved.stdout)["entries"]
    assert outcome["state"] == "succeeded" and outcome["amount"] == 1234
    assert _live_transfers(live_server) == before + 1  # still once
    assert json.loads(run_cli(["journal", "--json"], env).stdout)["entries"] == []
