"""The installed `fintoc-tui` command run as a subprocess against sandboxes on real sockets.

- `sandbox`: one `fintoc-tui sandbox --ephemeral` child per test module (a real
  process on a loopback port), with its own FINTOC_TUI_HOME so its demo JWS
  key is known; commands reach it with `--env sandbox --base-url`.
- `live_server`: a sandbox app served from this process that accepts a *live*
  key, for what only live does (typed confirmations). It moves no money.
- `cli(...)`: runs the installed script with an isolated home and no keys
  inherited; returns the completed process.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_helpers import LIVE_KEY, Sandbox, clean_env, run_cli, start_sandbox, stop


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    running = start_sandbox(tmp_path_factory.mktemp("sandbox-home"), "--settle-after", "1")
    yield running
    stop(running)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "cli-home"


@pytest.fixture
def cli(sandbox: Sandbox, home: Path):
    """`cli("accounts", "--json")` against the module's sandbox."""

    def call(*args: str, env: dict[str, str] | None = None, **kw: object):
        base = clean_env(home, FINTOC_TEST_JWS_PRIVATE_KEY_FILE=sandbox.jws_key_file)
        base.update(env or {})
        where = ["--env", "sandbox", "--base-url", sandbox.base_url]
        return run_cli([*args, *where], base, **kw)  # type: ignore[arg-type]

    return call


@dataclass
class LiveServer:
    base_url: str
    private_key_file: str
    store: object
    faults: object


class LiveKeyGate:
    """Lets the (test-only) sandbox answer requests made with `LIVE_KEY`.

    The sandbox refuses any live key by design; this stands in for Fintoc's
    live API so the commands' live rules can run end to end.
    """

    def __init__(self, app: object) -> None:
        from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY

        self.app = app
        self.swap = (b"authorization", SANDBOX_SECRET_KEY.encode())

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] == "http":
            headers = [
                self.swap if (k == b"authorization" and v == LIVE_KEY.encode()) else (k, v)
                for k, v in scope["headers"]
            ]
            scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)  # type: ignore[operator]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A sandbox app served here on loopback that also answers a live key.

    Served in this process so a test can switch faults on (`faults.force_next`).
    """
    from fintoc_tui.api.jws import generate_keypair
    from fintoc_tui.clock import SystemClock
    from fintoc_tui.sandbox.app import create_app
    from fintoc_tui.sandbox.faults import Faults
    from fintoc_tui.sandbox.seed import seed_store
    from fintoc_tui.sandbox.server import SandboxServer
    from fintoc_tui.sandbox.store import SandboxStore

    private_pem, public_pem = generate_keypair()
    key_file = tmp_path_factory.mktemp("live-key") / "live_jws.pem"
    key_file.write_bytes(private_pem)
    key_file.chmod(0o600)
    clock = SystemClock()
    store = SandboxStore(None)
    seed_store(store, transfers=20, now=clock.now())
    faults = Faults(methods=frozenset({"POST"}))
    app = create_app(store, clock, jws_public_pems=[public_pem], faults=faults, settle_after=0.5)
    with SandboxServer(LiveKeyGate(app)) as server:
        yield LiveServer(server.base_url, str(key_file), store, faults)
    store.close()


@pytest.fixture
def live_cli(live_server: LiveServer, home: Path):
    def call(*args: str, env: dict[str, str] | None = None, **kw: object):
        base = clean_env(
            home,
            FINTOC_LIVE_SECRET_KEY=LIVE_KEY,
            FINTOC_LIVE_JWS_PRIVATE_KEY_FILE=live_server.private_key_file,
        )
        base.update(env or {})
        where = ["--env", "live", "--base-url", live_server.base_url]
        return run_cli([*args, *where], base, **kw)  # type: ignore[arg-type]

    return call
