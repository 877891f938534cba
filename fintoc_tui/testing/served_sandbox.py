"""A sandbox on a real loopback socket that knows one test key and one registered JWS key.

For tests that run the app as a person does, with its own client factory and
credential store: the key comes from `FINTOC_TEST_SECRET_KEY`, the JWS key
from `FINTOC_TEST_JWS_PRIVATE_KEY_FILE` and the server from
`FINTOC_BASE_URL` (`environ()`), so the key and the signature really cross a
socket and the sandbox really checks them. The sandbox runs on the wall
clock because the app signs on it (a JWS `ts` is checked against the
sandbox's clock).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fintoc_tui.sandbox.store import SandboxStore


@dataclass(frozen=True)
class ServedSandbox:
    base_url: str
    secret_key: str = field(repr=False)
    """A fresh `sk_test_…` key: the only one this sandbox accepts (kept out of reprs,
    which pytest prints when a test fails)."""
    private_pem: bytes = field(repr=False)
    """The JWS private key whose public half the sandbox verifies with."""
    private_pem_path: Path
    store: SandboxStore
    """The sandbox's state, to check what a request really did."""

    def environ(self) -> dict[str, str]:
        """The variables that point `fintoc-tui --env test` at this sandbox."""
        return {
            "FINTOC_TEST_SECRET_KEY": self.secret_key,
            "FINTOC_TEST_JWS_PRIVATE_KEY_FILE": str(self.private_pem_path),
            "FINTOC_BASE_URL": self.base_url,
        }


@contextmanager
def served_sandbox(folder: Path) -> Iterator[ServedSandbox]:
    """Seed a sandbox, serve it on 127.0.0.1, and stop it afterwards.

    The private PEM is written to `folder` (0600) for the `_FILE` variable.
    """
    from fintoc_tui.api.jws import generate_keypair
    from fintoc_tui.clock import SystemClock
    from fintoc_tui.paths import private_file
    from fintoc_tui.sandbox.app import create_app
    from fintoc_tui.sandbox.seed import seed_store
    from fintoc_tui.sandbox.server import SandboxServer
    from fintoc_tui.sandbox.store import SandboxStore

    private_pem, public_pem = generate_keypair()
    pem_path = private_file(folder / "jws_private_key.pem")
    pem_path.write_bytes(private_pem)
    secret_key = "sk_test_" + secrets.token_hex(16)
    clock = SystemClock()
    store = SandboxStore(None)
    try:
        seed_store(store, now=clock.now())
        app = create_app(store, clock, jws_public_pems=[public_pem], secret_keys=[secret_key])
        with SandboxServer(app) as server:
            yield ServedSandbox(server.base_url, secret_key, private_pem, pem_path, store)
    finally:
        store.close()
