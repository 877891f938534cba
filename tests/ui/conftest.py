"""Shared UI fixtures: a seeded in-process sandbox on a fixed clock, and an app factory.

The app talks to the sandbox over `httpx.ASGITransport` (no sockets), with
an in-memory keyring. `NetworkSwitch` sits between the client and the
sandbox so a test can drop the network or hold a request open (the loading
state) without sleeping; everything behind it is the real sandbox.

`snap_compare` here wraps the plugin's: every snapshot is also scanned for
the secrets its app was given or handed out (`picture_secrets`), so no
snapshot can be added without the scan.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest

from fintoc_tui.clock import ManualClock
from fintoc_tui.testing.secret_scan import SecretLedger

SANDBOX_URL = "http://sandbox.test"
FIXED_NOW = datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC)
TEST_KEY = "sk_test_" + "k3yForT3stsOnly0000000000000"


class NetworkSwitch(httpx.AsyncBaseTransport):
    """The real ASGI transport, plus an off switch and a gate for slow answers."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.offline = False
        self.gate: asyncio.Event | None = None
        self.requests: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        if self.gate is not None:
            await self.gate.wait()
        if self.offline:
            raise httpx.ConnectError("network is unreachable", request=request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def sandbox_clock() -> ManualClock:
    return ManualClock(FIXED_NOW)


@pytest.fixture
def sandbox_jws_keys(tmp_path):
    """A JWS key pair registered with the sandbox; the private PEM on disk like the CLI's."""
    from fintoc_tui.api.jws import generate_keypair

    private_pem, public_pem = generate_keypair()
    path = tmp_path / "sandbox_jws.pem"
    path.write_bytes(private_pem)
    return path, public_pem


@pytest.fixture
def sandbox_store(sandbox_clock):
    from fintoc_tui.sandbox.seed import seed_store
    from fintoc_tui.sandbox.store import SandboxStore

    store = SandboxStore(None)
    seed_store(store, now=sandbox_clock.now())
    yield store
    store.close()


@pytest.fixture
def sandbox_asgi(sandbox_store, sandbox_clock, sandbox_jws_keys):
    from fintoc_tui.sandbox.app import create_app

    return create_app(sandbox_store, sandbox_clock, jws_public_pems=[sandbox_jws_keys[1]])


@pytest.fixture
def sandbox_secret_key() -> str:
    from fintoc_tui.sandbox import app as sandbox_app

    return sandbox_app.SANDBOX_SECRET_KEY


@pytest.fixture
def network(sandbox_asgi) -> NetworkSwitch:
    return NetworkSwitch(httpx.ASGITransport(app=sandbox_asgi))


@pytest.fixture
def client_factory(network, sandbox_clock):
    """Every environment (sandbox, test, live) reaches the in-process sandbox.

    The client signs with the sandbox's clock: the sandbox checks a JWS `ts`
    against its ManualClock (pinned in 2025), so a wall-clock signature would
    be refused as too old.
    """
    from fintoc_tui.api.client import FintocClient, RetryPolicy
    from fintoc_tui.api.jws import JWSSigner

    def factory(environment, secret_key, jws_private_pem):
        signer = JWSSigner.from_pem(jws_private_pem) if jws_private_pem else None
        return FintocClient(
            secret_key,
            base_url=environment.base_url or SANDBOX_URL,
            transport=network,
            jws_signer=signer,
            retry=RetryPolicy(max_attempts=1),
            clock=sandbox_clock,
        )

    return factory


@pytest.fixture
def memory():
    """The in-memory keyring behind `credentials` (tests look inside it)."""
    from fintoc_tui.keyring_memory import MemoryKeyring

    return MemoryKeyring()


@pytest.fixture
def picture_secrets() -> SecretLedger:
    """Every secret this test's app could show; its snapshots are checked for them."""
    ledger = SecretLedger()
    ledger.add(TEST_KEY)
    return ledger


@pytest.fixture
def credentials(memory, picture_secrets):
    """A key store on an in-memory keyring and no environment variables."""
    from fintoc_tui.credentials import CredentialStore

    return picture_secrets.watch_store(CredentialStore(keyring=memory, env={}))


@pytest.fixture
def snap_compare(snap_compare, picture_secrets, request, monkeypatch):
    """The plugin's `snap_compare`, and the picture it took scanned for secrets.

    The plugin takes the picture with `textual._doc.take_svg_screenshot`;
    recording it there is the one way to see the SVG it compared.
    """
    import textual._doc

    take = textual._doc.take_svg_screenshot

    def compare(app, *args, **kwargs) -> bool:
        picture_secrets.watch_app(app)
        shots: list[str] = []

        def recording(*a, **k) -> str:
            shots.append(take(*a, **k))
            return shots[-1]

        with monkeypatch.context() as patch:
            patch.setattr(textual._doc, "take_svg_screenshot", recording)
            matches = snap_compare(app, *args, **kwargs)
        assert len(shots) == 1, "the snapshot plugin no longer shoots through take_svg_screenshot"
        picture_secrets.check(shots[0], f"the snapshot of {request.node.name}")
        return matches

    compare.scans_for_secrets = True  # type: ignore[attr-defined]
    return compare


@pytest.fixture
def sandbox_info(sandbox_secret_key, sandbox_jws_keys):
    from fintoc_tui.ui.shell.sandbox_link import SandboxInfo

    return SandboxInfo(
        base_url=SANDBOX_URL,
        secret_key=sandbox_secret_key,
        jws_private_key_path=str(sandbox_jws_keys[0]),
    )


@pytest.fixture
def make_app(client_factory, credentials, sandbox_info):
    """`make_app(environment="sandbox", **kwargs)` → a FintocApp wired to the sandbox.

    Animations are off so the loading indicator is a stable "Loading...".
    """
    from fintoc_tui.ui.shell.app import FintocApp

    def make(environment="sandbox", **kwargs):
        kwargs.setdefault("credentials", credentials)
        kwargs.setdefault("client_factory", client_factory)
        kwargs.setdefault("sandbox", sandbox_info)
        kwargs.setdefault("sandbox_launcher", None)
        app = FintocApp(environment=environment, **kwargs)
        app.animation_level = "none"
        return app

    return make


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A sandbox on a real socket that accepts one fresh key and verifies JWS
    (`fintoc_tui.testing.served_sandbox`), with this process's `FINTOC_TEST_*`
    and `FINTOC_BASE_URL` pointing the app at it."""
    from fintoc_tui.testing.served_sandbox import served_sandbox

    with served_sandbox(tmp_path) as sandbox:
        for name, value in sandbox.environ().items():
            monkeypatch.setenv(name, value)
        yield sandbox


@pytest.fixture
def real_app():
    """`real_app()` → a test-mode FintocApp with nothing injected: its own client
    factory and credential store, as `fintoc-tui --env test` builds them."""
    from fintoc_tui.ui.shell.app import FintocApp

    def make():
        app = FintocApp(environment="test", sandbox_launcher=None)
        app.animation_level = "none"
        return app

    return make


async def _settle(pilot) -> None:
    """Wait (bounded, no sleeps) until no worker runs and their messages are handled."""
    app = pilot.app
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            break
    await pilot.pause()


@pytest.fixture
def settle():
    """`await settle(pilot)`: let the connect and loading workers finish."""
    return _settle
