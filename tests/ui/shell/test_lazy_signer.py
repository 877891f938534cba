"""The app's lazy JWS signer signs like JWSSigner, on the clock the client passes."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

from fintoc_tui.api.jws import JWSSigner, JWSVerifier, generate_keypair
from fintoc_tui.clock import ManualClock
from fintoc_tui.ui.shell.connection import LazySigner


def test_lazy_signer_takes_the_clients_clock():
    private_pem, public_pem = generate_keypair()
    clock = ManualClock(datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC))
    body = b'{"amount":100}'
    header = LazySigner(private_pem).sign(body, clock)
    # Verified on the same pinned clock: a wall-clock `ts` would be years off.
    JWSVerifier([public_pem], clock).verify(header, body)


def test_lazy_signer_has_the_signature_of_jwssigner():
    lazy = inspect.signature(LazySigner.sign)
    real = inspect.signature(JWSSigner.sign)
    assert list(lazy.parameters) == list(real.parameters)


def test_lazy_signer_repr_hides_the_key():
    private_pem, _ = generate_keypair()
    assert "BEGIN" not in repr(LazySigner(private_pem))
