"""Sandbox throughput over real loopback HTTP, as ratios to a bare Starlette endpoint.

One uvicorn server (SandboxServer, like the app's --sandbox mode) serves the
sandbox app plus one extra route, `GET /bench/bare`, that returns a constant
JSON body with no auth, no store and no middleware work: the floor this
machine, uvicorn and httpx set. Each scenario is run sequentially on one
keep-alive httpx client, interleaved with the bare endpoint, so both see the
same machine load; the ratio (scenario req/s / bare req/s) is the figure
that travels between machines.

Scenarios:
- POST /v2/transfers, JWS-verified (bodies signed before the clock starts, so
  the client's RSA signing is not counted; the server's verification is);
- GET /v2/transfers pages (limit 30 and 300, walking `starting_after`), on
  the default 300-transfer seed and on a 100,000-transfer seed (with a
  status filter);
- time to seed 100,000 transfers (in memory and onto a WAL file).

    .venv/bin/python bench/bench_sandbox.py          # ~1 minute
    .venv/bin/python bench/bench_sandbox.py --quick  # fewer requests

Results are printed and written to bench/results/bench_sandbox.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fintoc_tui.api.jws import JWSSigner, generate_keypair  # noqa: E402
from fintoc_tui.clock import SystemClock  # noqa: E402
from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app  # noqa: E402
from fintoc_tui.sandbox.seed import seed_store  # noqa: E402
from fintoc_tui.sandbox.server import SandboxServer  # noqa: E402
from fintoc_tui.sandbox.store import SandboxStore  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BARE_BODY = b'[{"id":"bench","object":"bare"}]'


async def bare(request: Request) -> Response:
    return Response(BARE_BODY, media_type="application/json")


def build(transfers: int, public_pem: bytes):
    store = SandboxStore(None)
    clock = SystemClock()
    seed_store(store, transfers=transfers, now=clock.now())
    app = create_app(store, clock, jws_public_pems=[public_pem], settle_after=3600)
    app.router.routes.append(Route("/bench/bare", bare, methods=["GET"]))
    return store, app


def rate(fn, n: int) -> float:
    """Requests per second for n sequential calls of fn."""
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / (time.perf_counter() - start)


def interleaved(client: httpx.Client, scenario, n: int, rounds: int) -> tuple[float, float]:
    """(median scenario req/s, median bare req/s) over interleaved rounds."""

    def get_bare(_: int) -> None:
        assert client.get("/bench/bare").status_code == 200

    ours, base = [], []
    for _ in range(rounds):
        base.append(rate(get_bare, n))
        ours.append(rate(scenario, n))
    return statistics.median(ours), statistics.median(base)


def page_walker(client: httpx.Client, limit: int, params: dict[str, str] | None = None):
    state = {"url": None}

    def step(_: int) -> None:
        if state["url"] is None:
            response = client.get("/v2/transfers", params={"limit": limit, **(params or {})})
        else:
            response = client.get(state["url"])
        assert response.status_code == 200, response.text
        link = response.headers["link"]
        state["url"] = link[1 : link.index(">")] if link else None

    return step


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests per round")
    args = parser.parse_args()
    n, rounds = (100, 3) if args.quick else (300, 5)
    private_pem, public_pem = generate_keypair()
    signer = JWSSigner.from_pem(private_pem)
    results: dict[str, object] = {"requests_per_round": n, "rounds": rounds}

    # -- seeding 100k --------------------------------------------------------------
    start = time.perf_counter()
    seed_store(SandboxStore(None), transfers=100_000)
    results["seed_100k_memory_s"] = round(time.perf_counter() - start, 2)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        on_disk = SandboxStore(Path(tmp) / "bench.sqlite3")
        seed_store(on_disk, transfers=100_000)
        results["seed_100k_file_s"] = round(time.perf_counter() - start, 2)
        on_disk.close()

    # -- default seed: POST and GET -----------------------------------------------------
    store, app = build(300, public_pem)
    accounts = [json.loads(raw) for raw in store.page("accounts")[0]]
    mx = next(a for a in accounts if a["currency"] == "MXN")
    with (
        SandboxServer(app) as server,
        httpx.Client(
            base_url=server.base_url, headers={"Authorization": SANDBOX_SECRET_KEY}
        ) as client,
    ):
        total_posts = n * rounds
        bodies = []
        for i in range(total_posts):
            body = json.dumps(
                {
                    "amount": 100 + i,
                    "currency": "MXN",
                    "account_id": mx["id"],
                    "counterparty": {"account_number": "646180000000000054"},
                }
            ).encode()
            bodies.append((body, signer.sign(body)))
        posted = iter(bodies)

        def post(_: int) -> None:
            body, header = next(posted)
            response = client.post(
                "/v2/transfers",
                content=body,
                headers={"Fintoc-JWS-Signature": header, "content-type": "application/json"},
            )
            assert response.status_code == 201, response.text

        for name, scenario in (
            ("post_transfer_jws", post),
            ("get_transfers_limit30", page_walker(client, 30)),
            ("get_transfers_limit300", page_walker(client, 300)),
        ):
            ours, base = interleaved(client, scenario, n, rounds)
            results[name] = {
                "rps": round(ours),
                "bare_rps": round(base),
                "ratio": round(ours / base, 3),
            }
    store.close()

    # -- 100k seed: pages ------------------------------------------------------------
    store, app = build(100_000, public_pem)
    with (
        SandboxServer(app) as server,
        httpx.Client(
            base_url=server.base_url, headers={"Authorization": SANDBOX_SECRET_KEY}
        ) as client,
    ):
        for name, scenario in (
            ("get_100k_limit30", page_walker(client, 30)),
            ("get_100k_limit30_status", page_walker(client, 30, {"status": "succeeded"})),
            ("get_100k_limit300", page_walker(client, 300)),
        ):
            ours, base = interleaved(client, scenario, n, rounds)
            results[name] = {
                "rps": round(ours),
                "bare_rps": round(base),
                "ratio": round(ours / base, 3),
            }
    store.close()

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_sandbox.json").write_text(json.dumps(results, indent=2) + "\n")
    width = max(len(k) for k in results)
    for key, value in results.items():
        if isinstance(value, dict):
            print(
                f"{key:<{width}}  {value['rps']:>6} req/s   bare {value['bare_rps']:>6} req/s   "
                f"ratio {value['ratio']:.3f}"
            )
        else:
            print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
