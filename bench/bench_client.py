"""What FintocClient costs on top of raw httpx, and JWS signing on top of raw RSA.

Both ratios are measured in the same run against the same baseline, so the
machine's speed cancels out:

1. Per GET, against one sandbox served on a real loopback socket: the client
   (`get_account`, `list_transfers_page(limit=30)`: auth hook, retry loop,
   parsing into pydantic models) vs a bare `httpx.AsyncClient.get(...)` plus
   `response.json()` on the same URL with the same headers.
2. Per signature: `JWSSigner.sign(body)` (header JSON, nonce, base64url, RS256)
   vs a bare `cryptography` RS256 sign of a same-sized signing input.

Rounds alternate baseline and subject; each reports the median of per-round
means. Results are printed and written to bench/results/bench_client.json.

    .venv/bin/python bench/bench_client.py            # default sizes
    .venv/bin/python bench/bench_client.py --quick    # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from fintoc_tui.api.client import USER_AGENT, FintocClient
from fintoc_tui.api.jws import JWSSigner, generate_keypair
from fintoc_tui.clock import ManualClock
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.sandbox.store import SandboxStore

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def median_ratio(rounds: list[tuple[float, float]]) -> tuple[float, float, float]:
    base = statistics.median(b for b, _ in rounds)
    subject = statistics.median(s for _, s in rounds)
    return base, subject, subject / base


async def bench_gets(base_url: str, account_id: str, rounds: int, per_round: int) -> dict:
    headers = {"Authorization": SANDBOX_SECRET_KEY, "User-Agent": USER_AGENT}
    results = {}
    async with (
        httpx.AsyncClient(base_url=base_url, headers=headers) as raw,
        FintocClient(SANDBOX_SECRET_KEY, base_url=base_url) as client,
    ):
        cases = {
            "get_account": (
                lambda: raw.get(f"/v2/accounts/{account_id}"),
                lambda: client.get_account(account_id),
            ),
            "list_transfers_30": (
                lambda: raw.get("/v2/transfers", params={"limit": 30}),
                lambda: client.list_transfers_page(limit=30),
            ),
        }
        for name, (raw_call, client_call) in cases.items():
            for _ in range(20):  # warm the pool, the caches and the sandbox
                (await raw_call()).json()
                await client_call()
            measured: list[tuple[float, float]] = []
            for _ in range(rounds):
                start = time.perf_counter()
                for _ in range(per_round):
                    response = await raw_call()
                    response.raise_for_status()
                    response.json()
                mid = time.perf_counter()
                for _ in range(per_round):
                    await client_call()
                end = time.perf_counter()
                measured.append(((mid - start) / per_round, (end - mid) / per_round))
            base, subject, ratio = median_ratio(measured)
            results[name] = {
                "raw_httpx_ms": round(base * 1000, 4),
                "fintoc_client_ms": round(subject * 1000, 4),
                "ratio": round(ratio, 3),
            }
    return results


def bench_signing(rounds: int, per_round: int) -> dict:
    private_pem, _ = generate_keypair()
    signer = JWSSigner.from_pem(private_pem)
    key = serialization.load_pem_private_key(private_pem, password=None)
    body = json.dumps(
        {
            "amount": 59013,
            "currency": "MXN",
            "account_id": "acc_" + "x" * 27,
            "counterparty": {"account_number": "012180000000000015", "holder_name": "Proveedora"},
            "comment": "Pago factura 1234",
        },
        separators=(",", ":"),
    ).encode()
    # Same length as the real signing input: b64(header) "." b64(body).
    signing_input = signer.sign(body).split(".")[0].encode() + b"." + b"A" * (len(body) * 4 // 3)
    measured: list[tuple[float, float]] = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        mid = time.perf_counter()
        for _ in range(per_round):
            signer.sign(body)
        end = time.perf_counter()
        measured.append(((mid - start) / per_round, (end - mid) / per_round))
    base, subject, ratio = median_ratio(measured)
    return {
        "raw_rs256_ms": round(base * 1000, 4),
        "jws_signer_ms": round(subject * 1000, 4),
        "ratio": round(ratio, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few rounds, for a smoke run")
    parser.add_argument(
        "--nagle", action="store_true", help="leave Nagle on in the sandbox socket (as shipped)"
    )
    args = parser.parse_args()
    rounds, per_round = (3, 20) if args.quick else (9, 200)

    clock = ManualClock(datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC))
    store = SandboxStore(None)
    seed_store(store, transfers=300, now=clock.now())
    account_id = next(iter(store.balances()))
    app = create_app(store, clock)
    server = SandboxServer(app)
    # uvicorn (h11) writes a response's head and body separately; with Nagle on,
    # the body waits for the client's delayed ACK, ~40 ms per request on Linux,
    # which would drown what we measure. Accepted sockets inherit TCP_NODELAY.
    nodelay = not args.nagle
    if nodelay:
        server._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with server:
        gets = asyncio.run(bench_gets(server.base_url, account_id, rounds, per_round))
    store.close()
    signing = bench_signing(rounds, per_round)

    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "rounds": rounds,
        "per_round": per_round,
        "server_tcp_nodelay": nodelay,
        "get_over_loopback": gets,
        "signing": signing,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_client.json").write_text(json.dumps(results, indent=2) + "\n")
    for name, row in gets.items():
        print(
            f"GET {name:<18} raw httpx {row['raw_httpx_ms']:.3f} ms  "
            f"FintocClient {row['fintoc_client_ms']:.3f} ms  ratio {row['ratio']:.2f}x"
        )
    print(
        f"JWS sign            raw RS256 {signing['raw_rs256_ms']:.3f} ms  "
        f"JWSSigner {signing['jws_signer_ms']:.3f} ms  ratio {signing['ratio']:.2f}x"
    )
    print(f"written to {RESULTS / 'bench_client.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
