"""Regenerate every SVG in screenshots/: `.venv/bin/python -m scripts.screenshots`.

Each area lists its scenes in `scripts/screenshot_scenes/<area>.py` as
`SCENES: list[Scene]`. A scene gets a `Stage`: the app wired to a seeded
in-process sandbox on a fixed clock (the same set-up as the snapshot tests),
so the pictures change only when the screens do. Every picture is checked
for the keys and PEMs its scene used before it is written or compared
(`Stage.secrets`, `fintoc_tui.testing.secret_scan`). Pass scene names to
regenerate just those: `python -m scripts.screenshots accounts help`.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import pkgutil
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fintoc_tui.testing.deterministic_keys import deterministic_private_pem
from fintoc_tui.testing.secret_scan import SecretLedger

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
SIZE = (120, 36)
NARROW = (80, 24)
"""The small terminal every main screen must fit (issue 11 §5): `*-80x24` scenes."""
FIXED_NOW = datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC)
SANDBOX_URL = "http://sandbox.test"
# A fixed JWS key keeps the fingerprint on the environment screen the same in
# every regeneration. It is derived from a seed at run time (no private PEM is
# committed) and only signs requests to an in-process test sandbox.
DEMO_JWS_PEM = deterministic_private_pem(7).decode()


def seeded_idempotency_keys(seed: int = 0xF1A7) -> Callable[[], str]:
    """UUID-shaped keys from a counter: the same sequence in every run."""
    import uuid

    counter = iter(range(seed, seed + 1_000_000))
    return lambda: str(uuid.UUID(int=next(counter)))


def demo_jws_keypair() -> tuple[bytes, bytes]:
    """ "Generate" always gives the demo pair, so its fingerprint never changes."""
    from fintoc_tui.api.jws import public_pem_from_private

    private_pem = DEMO_JWS_PEM.encode()
    return private_pem, public_pem_from_private(private_pem)


@dataclass
class Scene:
    """`name` becomes screenshots/<name>.svg; `act(pilot, stage)` drives the app there
    (start it with `await settle(pilot)` unless a request is held open on purpose)."""

    name: str
    act: Callable[[Any, Stage], Awaitable[None]]
    environment: str | None = "sandbox"
    description: str = ""
    setup: Callable[[Stage], None] | None = None
    app_kwargs: dict[str, Any] = field(default_factory=dict)
    shows_home: bool = False
    """The picture shows a path under the scene's home: shoot it under `SCRIPT_HOME`."""
    size: tuple[int, int] = SIZE
    """The terminal's columns and rows."""


def _switch_class() -> type:
    import httpx

    class Switch(httpx.AsyncBaseTransport):
        """The real transport, plus an off switch and a gate (loading/offline scenes)."""

        def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
            self.inner = inner
            self.offline = False
            self.gate: asyncio.Event | None = None

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if self.gate is not None:
                await self.gate.wait()
            if self.offline:
                raise httpx.ConnectError("network is unreachable", request=request)
            return await self.inner.handle_async_request(request)

    return Switch


def _Switch(inner: Any) -> Any:
    return _switch_class()(inner)


class Stage:
    """A seeded sandbox in process, a fixed clock, an in-memory keyring, and the app."""

    def __init__(self) -> None:
        import httpx

        from fintoc_tui.api.jws import public_pem_from_private
        from fintoc_tui.clock import ManualClock
        from fintoc_tui.credentials import CredentialStore
        from fintoc_tui.keyring_memory import MemoryKeyring
        from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app
        from fintoc_tui.sandbox.seed import seed_store
        from fintoc_tui.sandbox.store import SandboxStore
        from fintoc_tui.ui.shell.sandbox_link import SandboxInfo

        self.clock = ManualClock(FIXED_NOW)
        self.store = SandboxStore(None)
        seed_store(self.store, now=self.clock.now())
        private_pem = DEMO_JWS_PEM.encode()
        public_pem = public_pem_from_private(private_pem)
        key_file = Path(os.environ["FINTOC_TUI_HOME"]) / "sandbox_jws.pem"
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_bytes(private_pem)
        self.asgi = create_app(self.store, self.clock, jws_public_pems=[public_pem])
        self.transport = _Switch(httpx.ASGITransport(app=self.asgi))
        self.secrets = SecretLedger()
        """Every key and PEM the scene's app could show; `shoot` checks the picture."""
        self.credentials = self.secrets.watch_store(
            CredentialStore(keyring=MemoryKeyring(), env={})
        )
        self.sandbox = SandboxInfo(SANDBOX_URL, SANDBOX_SECRET_KEY, str(key_file))

    def client_factory(self, environment: Any, secret_key: str, pem: bytes | None) -> Any:
        from fintoc_tui.api.client import FintocClient, RetryPolicy
        from fintoc_tui.api.jws import JWSSigner

        return FintocClient(
            secret_key,
            base_url=environment.base_url or SANDBOX_URL,
            transport=self.transport,
            jws_signer=JWSSigner.from_pem(pem) if pem else None,
            retry=RetryPolicy(max_attempts=1),
            clock=self.clock,  # the sandbox checks the JWS ts against this clock
        )

    def make_app(self, environment: str | None = "sandbox", **kwargs: Any) -> Any:
        from fintoc_tui.ui.shell.app import FintocApp

        kwargs.setdefault("credentials", self.credentials)
        kwargs.setdefault("client_factory", self.client_factory)
        kwargs.setdefault("sandbox", self.sandbox)
        kwargs.setdefault("sandbox_launcher", None)
        kwargs.setdefault("remember", False)
        # Pinned so a regeneration gives byte-identical pictures: the result
        # screen shows the idempotency key, the JWS dialog the new key's fingerprint.
        kwargs.setdefault("idempotency_keys", seeded_idempotency_keys())
        kwargs.setdefault("jws_keypairs", demo_jws_keypair)
        app = FintocApp(environment=environment, **kwargs)
        app.animation_level = "none"
        self.secrets.watch_app(app)
        return app

    def close(self) -> None:
        self.store.close()


async def settle(pilot: Any) -> None:
    """Let every worker finish and its messages land (bounded)."""
    app = pilot.app
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            break
    await pilot.pause()


async def connected(pilot: Any) -> None:
    """Wait for the connect worker only (the loading scene holds the accounts request)."""
    app = pilot.app
    await pilot.pause()
    connect = [w for w in app.workers if w.group == "connect"]
    if connect:  # an empty list would mean "every worker"
        await app.workers.wait_for_complete(connect)
    await pilot.pause()


def all_scenes() -> list[Scene]:
    from scripts import screenshot_scenes

    scenes: list[Scene] = []
    for module in sorted(pkgutil.iter_modules(screenshot_scenes.__path__), key=lambda m: m.name):
        loaded = importlib.import_module(f"scripts.screenshot_scenes.{module.name}")
        scenes.extend(getattr(loaded, "SCENES", []))
    by_name = {scene.name: scene for scene in scenes}
    for name in NARROW_SCENES:
        scene = by_name[name]
        scenes.append(replace(scene, name=f"{name}-80x24", size=NARROW))
    return scenes


NARROW_SCENES = (
    "accounts",
    "account-detail",
    "transfer-form",
    "transfer-confirm",
    "history",
    "transfer-detail",
    "environment",
    "help",
)
"""The main screens, shot again at 80x24 as `<name>-80x24.svg`."""


async def shoot(scene: Scene, home: Path | None = None) -> str:
    if home is not None:
        # A home per scene: one scene's journal or state never shows up in the next.
        scene_home = home / scene.name
        scene_home.mkdir(mode=0o700, exist_ok=True)
        os.environ["FINTOC_TUI_HOME"] = str(scene_home)
    stage = Stage()
    try:
        if scene.setup is not None:
            scene.setup(stage)
        app = stage.make_app(scene.environment, **scene.app_kwargs)
        async with app.run_test(size=scene.size) as pilot:
            await scene.act(pilot, stage)
            await pilot.pause()
            for widget in app.screen.query("Input"):
                widget.cursor_blink = False
            await pilot.pause()
            svg: str = app.export_screenshot(title=f"fintoc-tui — {scene.name}")
            stage.secrets.check(svg, f"screenshots/{scene.name}.svg")
            return svg
    finally:
        stage.close()


SCRIPT_HOME = Path(tempfile.gettempdir()) / "fintoc-tui-screenshots"
"""A fixed directory (not mkdtemp), so paths shown on screen stay the same."""


def main(argv: list[str]) -> int:
    home = SCRIPT_HOME
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(mode=0o700)
    os.environ["FINTOC_TUI_HOME"] = str(home)  # never touch the person's own state
    os.environ["PYTHON_KEYRING_BACKEND"] = "fintoc_tui.keyring_memory.MemoryKeyring"
    for name in [n for n in os.environ if n.startswith("FINTOC_") and n != "FINTOC_TUI_HOME"]:
        del os.environ[name]
    OUT.mkdir(exist_ok=True)
    scenes = all_scenes()
    wanted = set(argv)
    unknown = wanted - {scene.name for scene in scenes}
    if unknown:
        print(f"unknown scenes: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    for scene in scenes:
        if wanted and scene.name not in wanted:
            continue
        svg = asyncio.run(shoot(scene, home))
        (OUT / f"{scene.name}.svg").write_text(svg, encoding="utf-8")
        print(f"screenshots/{scene.name}.svg  {scene.description}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
