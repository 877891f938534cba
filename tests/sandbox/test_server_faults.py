"""The loopback server, concurrency, fault injection and the CLI."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sandbox_helpers import assert_error, mx_body

from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.faults import ConnectionDropped, Faults
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import NonLoopbackError, SandboxServer, is_loopback
from fintoc_tui.sandbox.store import SandboxStore

AUTH = {"Authorization": SANDBOX_SECRET_KEY}


@pytest.fixture
def server(app):
    with SandboxServer(app) as running:
        yield running


def test_refuses_non_loopback(app):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    with pytest.raises(NonLoopbackError):
        SandboxServer(app, host="0.0.0.0")


async def test_serves_over_loopback_on_an_ephemeral_port(server):
    assert server.base_url.startswith("http://127.0.0.1:") and server.port > 0
    async with httpx.AsyncClient(base_url=server.base_url, headers=AUTH) as client:
        response = await client.get("/v2/transfers", params={"limit": 5})
        assert response.status_code == 200
        assert response.headers["link"].startswith(f"<{server.base_url}/v2/transfers?limit=5&")


async def test_concurrent_transfers_never_double_spend(server, store, signer, clock):
    """40 concurrent transfers, money for exactly 15: 15 succeed, 25 get 409, books balance."""
    async with httpx.AsyncClient(base_url=server.base_url, headers=AUTH) as client:
        mx = next(a for a in (await client.get("/v2/accounts")).json() if a["currency"] == "MXN")
        # Spend down to exactly 15 x 1,000.00 MXN.
        spend = mx["available_balance"] - 15 * 100_000
        body = json.dumps(mx_body(mx["id"], spend)).encode()
        first = await client.post(
            "/v2/transfers",
            content=body,
            headers={"Fintoc-JWS-Signature": signer.sign(body, clock)},
        )
        assert first.status_code == 201

        async def one(i: int) -> int:
            data = json.dumps(mx_body(mx["id"], 100_000, comment=f"c{i}")).encode()
            headers = {"Fintoc-JWS-Signature": signer.sign(data, clock)}
            return (await client.post("/v2/transfers", content=data, headers=headers)).status_code

        statuses = await asyncio.gather(*(one(i) for i in range(40)))
    assert sorted(statuses) == [201] * 15 + [409] * 25
    assert store.balances()[mx["id"]] == 0
    assert store.balances() == store.movement_totals()


def test_two_stores_on_one_file_serialise_balance_changes(tmp_path, clock):
    """Two processes' worth of connections on one WAL file: the guard holds across them."""
    from fintoc_tui.sandbox import ledger

    path = tmp_path / "shared.sqlite3"
    first = SandboxStore(path)
    seed_store(first, transfers=10, now=clock.now())
    second = SandboxStore(path)
    account_id = next(iter(first.balances()))
    with first.transaction() as db:
        ledger.debit(db, account_id, first.balances()[account_id] - 1_000)
    results: list[int | None] = []

    def spend(store: SandboxStore) -> None:
        for _ in range(20):
            with store.transaction() as db:
                results.append(ledger.debit(db, account_id, 100))

    threads = [threading.Thread(target=spend, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r is not None for r in results) == 10
    assert first.balances()[account_id] == second.balances()[account_id] == 0
    first.close()
    second.close()


async def test_fault_errors_and_rate_limits(sandbox, faults):
    faults.force_next("error", status=500)
    assert_error(await sandbox.get("/v2/accounts"), 500, "internal_server_error", type_="api_error")
    faults.force_next("error", status=503)
    assert_error(await sandbox.get("/v2/accounts"), 503, "service_unavailable", type_="api_error")
    faults.force_next("rate_limit")
    faults.retry_after = 7
    limited = await sandbox.get("/v2/accounts")
    assert_error(limited, 429, "rate_limit_exceeded")
    assert limited.headers["retry-after"] == "7"
    assert (await sandbox.get("/v2/accounts")).status_code == 200  # one-shot faults are spent


async def test_fault_rates_are_seeded_and_filtered_by_method(sandbox, faults):
    faults.error_rate = 0.5
    faults.methods = frozenset({"POST"})
    codes = [(await sandbox.get("/v2/entities")).status_code for _ in range(10)]
    assert codes == [200] * 10  # GETs are not affected
    mx = (await sandbox.accounts())["MXN"]
    body = {"account_number_id": mx["root_account_number_id"], "amount": 1, "currency": "MXN"}
    codes = [
        (await sandbox.post("/v2/simulate/receive_transfer", body)).status_code for _ in range(40)
    ]
    assert set(codes) == {201, 503} and 8 < codes.count(503) < 32
    replay = Faults(error_rate=0.5, seed=0)
    expected = [replay.draw() is None for _ in range(40)]
    assert [c == 201 for c in codes] == expected  # same seed, same faults


async def test_commit_then_drop_in_process(sandbox, faults):
    mx = (await sandbox.accounts())["MXN"]
    before = sandbox.store.count("transfers")
    body = json.dumps(mx_body(mx["id"])).encode()
    faults.force_next("drop")
    with pytest.raises(httpx.RemoteProtocolError) as caught:
        await sandbox.post("/v2/transfers", body=body, headers={"Idempotency-Key": "drop-1"})
    assert isinstance(caught.value, ConnectionDropped)
    assert sandbox.store.count("transfers") == before + 1  # committed
    retry = await sandbox.post("/v2/transfers", body=body, headers={"Idempotency-Key": "drop-1"})
    assert retry.status_code == 201  # the retry with the same key learns the outcome
    assert sandbox.store.count("transfers") == before + 1


async def test_commit_then_drop_over_a_socket(server, store, signer, clock, faults):
    async with httpx.AsyncClient(base_url=server.base_url, headers=AUTH) as client:
        mx = next(a for a in (await client.get("/v2/accounts")).json() if a["currency"] == "MXN")
        body = json.dumps(mx_body(mx["id"])).encode()
        before = store.count("transfers")
        faults.force_next("drop")
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(
                "/v2/transfers",
                content=body,
                headers={"Fintoc-JWS-Signature": signer.sign(body, clock), "Idempotency-Key": "d2"},
            )
        assert store.count("transfers") == before + 1
        retry = await client.post(
            "/v2/transfers",
            content=body,
            headers={"Fintoc-JWS-Signature": signer.sign(body, clock), "Idempotency-Key": "d2"},
        )
        assert retry.status_code == 201 and store.count("transfers") == before + 1


async def test_latency_fault_waits_then_answers_correctly(sandbox, faults):
    """The latency is really waited: a lower bound, which a slow machine can only raise."""
    plain = await sandbox.get("/v2/accounts")
    faults.latency = 0.3
    started = time.monotonic()
    delayed = await sandbox.get("/v2/accounts")
    waited = time.monotonic() - started
    assert delayed.status_code == 200 and delayed.json() == plain.json()
    # anyio's sleep may wake within the clock's resolution (1 ns) of the deadline.
    assert waited >= 0.3 - 0.001


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fintoc_tui", "sandbox", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_cli_magic_and_reset(isolated_home, tmp_path):
    env = {**os.environ, "FINTOC_TUI_HOME": str(isolated_home)}
    magic = _cli("magic", env=env)
    assert magic.returncode == 0 and "012969100000000013" in magic.stdout
    state = tmp_path / "s.sqlite3"
    store = SandboxStore(state)
    seed_store(store, transfers=3)
    store.close()
    reset = _cli("reset", "--state", str(state), env=env)
    assert reset.returncode == 0 and not state.exists()
    assert "nothing to reset" in _cli("reset", "--state", str(state), env=env).stdout


def test_cli_refuses_non_loopback(isolated_home):
    env = {**os.environ, "FINTOC_TUI_HOME": str(isolated_home)}
    result = _cli("--host", "0.0.0.0", "--ephemeral", env=env)
    assert result.returncode == 2 and "loopback" in result.stderr


def test_cli_announces_json_and_serves_with_its_demo_key(isolated_home, tmp_path, other_keypair):
    """`--announce-json`: one JSON line; the demo key (0600) and --jws-public-key both sign."""
    from fintoc_tui.api.jws import JWSSigner

    public = tmp_path / "mine.pub.pem"
    public.write_bytes(other_keypair[1])
    env = {**os.environ, "FINTOC_TUI_HOME": str(isolated_home)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fintoc_tui",
            "sandbox",
            "--port",
            "0",
            "--announce-json",
            "--state",
            str(tmp_path / "cli.sqlite3"),
            "--seed-transfers",
            "20",
            "--jws-public-key",
            str(public),
            "--settle-after",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        line = process.stdout.readline()
        info = json.loads(line)
        assert set(info) == {"base_url", "secret_key", "jws_private_key_path"}
        key_path = info["jws_private_key_path"]
        assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
        assert key_path.startswith(str(isolated_home))
        demo = JWSSigner.from_pem(Path(key_path).read_bytes())
        mine = JWSSigner.from_pem(other_keypair[0])
        with httpx.Client(
            base_url=info["base_url"], headers={"Authorization": info["secret_key"]}
        ) as client:
            accounts = client.get("/v2/accounts").json()
            assert len(accounts) == 2
            mx = next(a for a in accounts if a["currency"] == "MXN")
            for signer in (demo, mine):
                body = json.dumps(mx_body(mx["id"])).encode()
                response = client.post(
                    "/v2/transfers",
                    content=body,
                    headers={"Fintoc-JWS-Signature": signer.sign(body)},
                )
                assert response.status_code == 201, response.text
                # --settle-after 0: the next request already sees the outcome.
                assert (
                    client.get(f"/v2/transfers/{response.json()['id']}").json()["status"]
                    == "succeeded"
                )
            assert len(client.get("/v2/transfers", params={"limit": 300}).json()) == 22
    finally:
        process.terminate()
        process.wait(timeout=10)
        rest = process.stdout.read()
        process.stdout.close()
        process.stderr.close()
    assert rest.strip() == b""  # exactly one line on stdout
    assert process.returncode == 0
