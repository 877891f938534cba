"""A crash prints a traceback a person can report, with no key or PEM in it.

Textual's default crash report lists every frame's local variables. Here the
real app crashes while a secret key and a JWS PEM sit in locals (and in the
exception's message, its note and its cause); the printed report must hold
none of them, yet still say where and what went wrong.
"""

from __future__ import annotations

import pytest

from fintoc_tui.api.errors import redact
from fintoc_tui.testing.deterministic_keys import deterministic_private_pem

LIVE_KEY = "sk_live_" + "CrashR3portL1veKey0000aa"


def _pem_body_lines(pem: str) -> list[str]:
    return [line for line in pem.splitlines() if line and not line.startswith("-----")]


class Explosion(RuntimeError):
    """Raised by the crashing callback (a name the report must show)."""


def _crash_while_holding_secrets(credentials) -> None:
    secret = credentials.secret_key("live").secret()
    pem = credentials.jws_private_key("live").secret()
    headers = {"Authorization": secret}
    try:
        raise ValueError(f"upstream said no to {secret}")
    except ValueError as cause:
        error = Explosion(f"could not sign with {pem[:200]} using {headers}")
        error.add_note(f"key in use: {secret}")
        raise error from cause


async def test_a_crash_prints_no_locals_and_no_secrets(make_app, credentials, capsys):
    pem = deterministic_private_pem(1812).decode()
    credentials.set_secret_key("live", LIVE_KEY, "session")
    credentials.set_jws_private_key("live", pem, "session")
    app = make_app()
    with pytest.raises(Explosion):
        async with app.run_test() as pilot:
            app.call_later(_crash_while_holding_secrets, credentials)
            await pilot.pause()
    printed = capsys.readouterr().err

    # It is the crash report: what happened and where.
    assert "Explosion" in printed and "_crash_while_holding_secrets" in printed
    assert "ValueError" in printed  # the cause is still shown
    assert "[private key redacted]" in printed and "sk_live_…" in printed
    # Nothing a redacted text would hide, and no locals table at all.
    assert LIVE_KEY not in printed
    assert LIVE_KEY[8:] not in printed
    for line in _pem_body_lines(pem):
        assert line not in printed
    assert "─ locals ─" not in printed
    assert printed == redact(printed)
