"""The sandbox card's JWS fingerprint comes from the cached public PEM, without `cryptography`.

Loading `cryptography` costs the app ~8 MiB (bench/bench_memory.py); the
environment screen only needs the fingerprint of the sandbox's own key, whose
public half the sandbox already caches beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from fintoc_tui.api.jws import fingerprint, generate_keypair, trusted_public_pem_fingerprint
from fintoc_tui.sandbox.keys import ensure_demo_key, public_key_file
from fintoc_tui.ui.environment.card_state import read_sandbox
from fintoc_tui.ui.shell.sandbox_link import SandboxInfo


def test_the_pem_body_gives_the_same_fingerprint_as_the_parsed_key():
    private_pem, public_pem = generate_keypair()
    assert trusted_public_pem_fingerprint(public_pem) == fingerprint(public_pem)
    rewrapped = public_pem.replace(b"\n", b"\r\n")
    assert trusted_public_pem_fingerprint(rewrapped) == fingerprint(public_pem)
    for not_public in (
        private_pem,
        b"",
        b"-----BEGIN PUBLIC KEY-----\n!!\n-----END PUBLIC KEY-----",
    ):
        with pytest.raises(ValueError):
            trusted_public_pem_fingerprint(not_public)


def test_the_sandbox_card_reads_the_cached_public_key_without_cryptography(tmp_path):
    private_path, public_pem = ensure_demo_key(tmp_path / "demo.pem")
    code = """
import sys
from fintoc_tui.ui.environment.card_state import read_sandbox
from fintoc_tui.ui.shell.sandbox_link import SandboxInfo
view = read_sandbox(SandboxInfo("http://127.0.0.1:1", "sk_test_x" + "0" * 30, sys.argv[1]))
print(view.jws, "cryptography" in sys.modules)
"""
    out = subprocess.run(
        [sys.executable, "-c", code, str(private_path)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    ).stdout.split()
    assert out == [fingerprint(public_pem), "False"]


def test_a_stale_cached_public_key_is_not_trusted(tmp_path):
    private_path, public_pem = ensure_demo_key(tmp_path / "demo.pem")
    _, other_public = generate_keypair()
    cached = public_key_file(private_path)
    cached.write_bytes(other_public)
    older = private_path.stat().st_mtime_ns - 10**9
    os.utime(cached, ns=(older, older))
    view = read_sandbox(
        SandboxInfo("http://127.0.0.1:1", "sk_test_x" + "0" * 30, str(private_path))
    )
    assert view.jws == fingerprint(public_pem)
