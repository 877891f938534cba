"""`fintoc-tui batch` as installed, against sandboxes over real sockets (killed, paused, resumed)."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from batch_helpers import mixed_rows, write_batch
from cli_helpers import FINTOC_TUI, LIVE_KEY, clean_env, start_sandbox, stop

pytestmark = pytest.mark.e2e


def _rows_paid(sandbox) -> Counter[str]:
    """How many transfers each batch row made (rows carry metadata.row)."""
    return Counter(
        t["metadata"]["row"]
        for t in sandbox.all_transfers()
        if t["direction"] == "outbound" and "row" in t["metadata"]
    )


def _results(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_one_bad_row_sends_nothing_and_names_row_and_column(cli, sandbox, tmp_path):
    rows = mixed_rows(20, seed=21)
    rows[6][3] = rows[6][3][:-1] + str((int(rows[6][3][-1]) + 1) % 10)  # row 8: check digit
    path = write_batch(tmp_path / "bad.csv", rows)
    before = _rows_paid(sandbox)
    result = cli("batch", str(path), "--yes", "--json")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("fintoc-tui: error:")]
    assert len(errors) == 1
    assert errors[0].startswith("fintoc-tui: error: row 8, column account_number: Check digit")
    assert "nothing was sent" in result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is False and report["problems"][0]["row"] == 8
    assert report["problems"][0]["column"] == "account_number"
    assert _rows_paid(sandbox) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]  # no results, no state


def test_check_previews_and_sends_nothing(cli, sandbox, tmp_path):
    path = write_batch(tmp_path / "ok.csv", mixed_rows(8, seed=22))
    before = _rows_paid(sandbox)
    result = cli("batch", str(path), "--check", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is True and report["rows"] == 8
    totals = {t["currency"]: t for t in report["preview"]["by_currency"]}
    assert sum(t["count"] for t in totals.values()) == 8
    assert all(type(t["amount"]) is int for t in totals.values())
    assert "Largest payments" in result.stderr
    assert _rows_paid(sandbox) == before


def test_runs_to_the_end_and_a_second_run_pays_nothing_more(cli, sandbox, tmp_path):
    rows = mixed_rows(12, seed=23)
    for row in rows:
        row[-1] = f"ok-{row[-1]}"
    path = write_batch(tmp_path / "pay.csv", rows)
    result = cli("batch", str(path), "--yes", "--json", "--follow", "15")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["made"] == 12 and report["refused"] == report["unknown"] == 0
    assert report["by_status"] == {"succeeded": 12}
    results = _results(tmp_path / "pay.results.csv")
    assert len(results) == 12 and all(r["transfer_id"].startswith("tr_") for r in results)
    assert all(type(int(r["amount"])) is int for r in results)
    paid = {k: v for k, v in _rows_paid(sandbox).items() if k.startswith("ok-")}
    assert len(paid) == 12 and set(paid.values()) == {1}
    again = cli("batch", str(path), "--yes", "--json", "--follow", "0")
    assert again.returncode == 0, again.stderr
    assert "nothing left to send" in again.stderr
    assert {k: v for k, v in _rows_paid(sandbox).items() if k.startswith("ok-")} == paid


def _popen_batch(path: Path, sandbox, home: Path, *extra: str) -> subprocess.Popen[str]:
    env = clean_env(home, FINTOC_TEST_JWS_PRIVATE_KEY_FILE=sandbox.jws_key_file)
    return subprocess.Popen(
        [FINTOC_TUI, "batch", str(path), "--yes", "--json",
         "--env", "sandbox", "--base-url", sandbox.base_url, *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _wait_for(sandbox, prefix: str, count: int, process: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        made = sum(1 for k in _rows_paid(sandbox) if k.startswith(prefix))
        if made >= count or process.poll() is not None:
            return made
        time.sleep(0.2)
    raise AssertionError(f"only {made} rows made")


def test_ctrl_c_pauses_cleanly_and_the_next_run_resumes(sandbox, home, tmp_path):
    rows = mixed_rows(40, seed=24)
    for row in rows:
        row[-1] = f"int-{row[-1]}"
    path = write_batch(tmp_path / "int.csv", rows)
    process = _popen_batch(path, sandbox, home, "--follow", "0")
    made = _wait_for(sandbox, "int-", 6, process)
    assert process.poll() is None and made < 40
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 6, err
    assert "Pausing" in err and "resume" in err
    report = json.loads(out)
    assert report["paused"] is True and report["made"] < 40
    statuses = Counter(r["status"] for r in _results(tmp_path / "int.results.csv"))
    assert statuses["not_sent"] == 40 - report["made"] - report["unknown"]
    env = clean_env(home)
    given_up = subprocess.run(
        [FINTOC_TUI, "batch", str(path), "--discard-unsent", "--json", "--env", "sandbox"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert given_up.returncode in (0, 4), given_up.stderr
    assert len(json.loads(given_up.stdout)["discarded"]) == statuses["not_sent"]
    after = Counter(r["status"] for r in _results(tmp_path / "int.results.csv"))
    assert after["refused"] == statuses["not_sent"] and after["not_sent"] == 0
    journal = subprocess.run([FINTOC_TUI, "journal", "--json"], env=env, capture_output=True,
                             text=True, timeout=60)  # fmt: skip
    assert len(json.loads(journal.stdout)["entries"]) == report["unknown"]
    resumed = _popen_batch(path, sandbox, home, "--follow", "0")
    out, err = resumed.communicate(timeout=240)
    assert resumed.returncode == 0, err
    paid = {k: v for k, v in _rows_paid(sandbox).items() if k.startswith("int-")}
    assert len(paid) == 40 and set(paid.values()) == {1}


@pytest.mark.slow
def test_300_rows_with_drops_and_429s_killed_twice_pay_each_row_exactly_once(
    tmp_path_factory, tmp_path, home
):
    """The bar: 20% commit-then-drop and 10% 429 on POSTs; SIGKILL twice mid-run; resume."""
    faulty = start_sandbox(
        tmp_path_factory.mktemp("faulty-home"),
        "--settle-after", "0.5", "--fault-drop-rate", "0.2", "--fault-429-rate", "0.1",
        "--fault-methods", "POST", "--fault-seed", "5",
    )  # fmt: skip
    try:
        path = write_batch(tmp_path / "payroll.csv", mixed_rows(300, seed=25))
        kills = []
        for stop_at in (60, 170):
            process = _popen_batch(path, faulty, home, "--follow", "10")
            made = _wait_for(faulty, "", stop_at, process)
            assert process.poll() is None, process.communicate()[1]
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            kills.append(made)
        assert kills[0] < kills[1] < 300
        final = _popen_batch(path, faulty, home, "--follow", "20")
        out, err = final.communicate(timeout=600)
        assert final.returncode == 0, err
        report = json.loads(out)
        assert report["made"] == 300 and report["unknown"] == report["refused"] == 0
        paid = _rows_paid(faulty)
        assert len(paid) == 300 and set(paid.values()) == {1}  # one transfer per row
        made = [t for t in faulty.all_transfers() if "row" in t["metadata"]]
        results = _results(tmp_path / "payroll.results.csv")
        assert len(results) == 300
        assert {r["transfer_id"] for r in results} == {t["id"] for t in made}
        by_row = {t["metadata"]["row"]: t for t in made}
        for result in results:
            transfer = by_row[str(int(result["row"]) - 2)]
            assert result["transfer_id"] == transfer["id"]
            assert int(result["amount"]) == transfer["amount"]
            assert result["status"] in {"pending", "succeeded"}
    finally:
        stop(faulty)


# -- live ---------------------------------------------------------------------------------


def _live(args: list[str], live_server, home: Path) -> subprocess.CompletedProcess[str]:
    env = clean_env(
        home,
        FINTOC_LIVE_SECRET_KEY=LIVE_KEY,
        FINTOC_LIVE_JWS_PRIVATE_KEY_FILE=live_server.private_key_file,
    )
    return subprocess.run(
        [FINTOC_TUI, *args, "--env", "live", "--base-url", live_server.base_url],
        env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=180,
    )  # fmt: skip


def test_live_batch_needs_the_totals_typed(live_server, home, tmp_path):
    rows = mixed_rows(3, seed=26)  # rows 0-2: MXN only
    path = write_batch(tmp_path / "live.csv", rows)
    total = sum(int(r[2].replace(".", "")) for r in rows)  # "123.45" → 12345 centavos
    pesos, cents = divmod(total, 100)
    no_terminal = _live(["batch", str(path)], live_server, home)
    assert no_terminal.returncode == 5 and "--confirm-live-total" in no_terminal.stderr
    assert _live(["batch", str(path), "--yes"], live_server, home).returncode == 2
    wrong = _live(
        ["batch", str(path), "--confirm-live-total", f"{pesos + 1}.{cents:02d} MXN"],
        live_server, home,
    )  # fmt: skip
    assert wrong.returncode == 5 and "does not match" in wrong.stderr
    assert not (tmp_path / "live.results.csv").exists()
    right = _live(
        ["batch", str(path), "--confirm-live-total", f"{pesos:,}.{cents:02d} MXN",
         "--json", "--follow", "0"],
        live_server, home,
    )  # fmt: skip
    assert right.returncode == 0, right.stderr
    assert json.loads(right.stdout)["made"] == 3
