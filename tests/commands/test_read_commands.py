"""The installed commands, as a script would run them, against a sandbox over a real socket."""

from __future__ import annotations

import csv
import io
import json

import pytest

from fintoc_tui.money import format_amount

pytestmark = pytest.mark.e2e


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("fintoc-tui: error:")]
    assert len(lines) == 1, stderr
    return lines[0]


def test_accounts_json_round_trips_ints(cli, sandbox):
    result = cli("accounts", "--json")
    assert result.returncode == 0, result.stderr
    accounts = json.loads(result.stdout)
    truth = {a["id"]: a for a in sandbox.get("/v2/accounts").json()}
    assert {a["id"] for a in accounts} == set(truth)
    for account in accounts:
        assert type(account["available_balance"]) is int
        assert account["available_balance"] == truth[account["id"]]["available_balance"]
        assert account["available_balance_formatted"] == format_amount(
            account["available_balance"], account["currency"]
        )


def test_accounts_table_uses_home_style(cli, sandbox):
    result = cli("accounts")
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split()[:3] == ["ID", "DESCRIPTION", "CURRENCY"]
    for account in sandbox.get("/v2/accounts").json():
        shown = format_amount(account["available_balance"], account["currency"])
        assert any(account["id"] in row and shown in row for row in rows)


def test_transfers_list_json_csv_and_get(cli, sandbox):
    listed = cli("transfers", "list", "--limit", "7", "--json")
    assert listed.returncode == 0, listed.stderr
    transfers = json.loads(listed.stdout)
    assert len(transfers) == 7
    truth = {t["id"]: t for t in sandbox.get("/v2/transfers", limit=7).json()}
    assert [t["id"] for t in transfers] == list(truth)
    for t in transfers:
        assert type(t["amount"]) is int and t["amount"] == truth[t["id"]]["amount"]
        sign = -1 if t["direction"] == "outbound" else 1
        assert t["signed_amount"] == sign * t["amount"]
        assert t["amount_formatted"] == format_amount(
            t["signed_amount"], t["currency"], signed=True
        )

    as_csv = cli("transfers", "list", "--limit", "7", "--csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [int(r["amount"]) for r in rows] == [t["amount"] for t in transfers]

    first = transfers[0]
    got = cli("transfers", "get", first["id"], "--json")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["amount"] == first["amount"]
    shown = cli("transfers", "get", first["id"])
    assert first["id"] in shown.stdout and f"amount={first['amount']}" in shown.stdout


def test_list_all_streams_every_page_and_filters(cli, sandbox):
    everything = sandbox.all_transfers()
    result = cli("transfers", "list", "--all", "--json")
    assert result.returncode == 0, result.stderr
    assert [t["id"] for t in json.loads(result.stdout)] == [t["id"] for t in everything]
    outbound = cli("transfers", "list", "--all", "--direction", "outbound", "--csv")
    rows = list(csv.DictReader(io.StringIO(outbound.stdout)))
    assert rows and {r["direction"] for r in rows} == {"outbound"}
    assert len(rows) == sum(t["direction"] == "outbound" for t in everything)


def test_export_writes_the_file(cli, sandbox, tmp_path):
    path = tmp_path / "out.csv"
    result = cli("transfers", "export", str(path), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert report["count"] == len(rows) == len(sandbox.all_transfers())


def test_errors_are_one_line_with_fintoc_code(cli):
    result = cli("transfers", "get", "tr_doesnotexist000000000000000")
    assert result.returncode == 3
    line = _one_error_line(result.stderr)
    assert "code missing_resource" in line and "HTTP 404" in line
    assert result.stdout == ""
    as_json = cli("transfers", "get", "tr_doesnotexist000000000000000", "--json")
    assert as_json.returncode == 3
    error = json.loads(as_json.stdout)["error"]
    assert (error["code"], error["status"], error["exit_code"]) == ("missing_resource", 404, 3)


def test_unreachable_server_is_exit_1_in_one_line(home):
    from cli_helpers import clean_env, run_cli

    result = run_cli(
        ["accounts", "--env", "sandbox", "--base-url", "http://127.0.0.1:9"],
        clean_env(home),
        timeout=60,
    )
    assert result.returncode == 1
    assert "Could not connect" in _one_error_line(result.stderr)


@pytest.mark.parametrize("env_name", ["test", "live"])
def test_plain_http_off_this_machine_is_refused(home, env_name):
    from cli_helpers import clean_env, run_cli

    keys = {
        "FINTOC_TEST_SECRET_KEY": "sk_test_" + "a" * 24,
        "FINTOC_LIVE_SECRET_KEY": "sk_live_" + "a" * 24,
    }
    result = run_cli(
        ["accounts", "--env", env_name],
        clean_env(home, FINTOC_BASE_URL="http://example.com", **keys),
    )
    assert result.returncode == 2
    assert "refusing plain http to example.com" in _one_error_line(result.stderr)


def test_missing_key_says_where_to_put_it(home):
    from cli_helpers import clean_env, run_cli

    result = run_cli(["accounts", "--env", "test"], clean_env(home))
    assert result.returncode == 2
    assert "FINTOC_TEST_SECRET_KEY" in _one_error_line(result.stderr)


def test_doctor_json_shows_sources_never_secrets(cli, sandbox):
    secret = "sk_test_" + "s3cr3t" * 5
    result = cli("doctor", "--json", env={"FINTOC_TEST_SECRET_KEY": secret})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    slot = report["keys"]["test"]["secret_key"]
    assert slot["source"] == "env FINTOC_TEST_SECRET_KEY" and slot["masked"].endswith("3cr3t"[-4:])
    assert report["keys"]["test"]["jws_private_key"]["fingerprint"].startswith("SHA256:")
    assert report["reachability"]["ok"] is True
    assert report["reachability"]["accounts"] == len(sandbox.get("/v2/accounts").json())
    assert secret not in result.stdout + result.stderr
    assert "PRIVATE KEY" not in result.stdout + result.stderr
    human = cli("doctor", env={"FINTOC_TEST_SECRET_KEY": secret})
    assert "Reachability     OK" in human.stdout and secret not in human.stdout
