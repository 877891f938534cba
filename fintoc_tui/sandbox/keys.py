"""The sandbox's demo JWS key: made on first run, private PEM kept 0600.

Its public half (cached beside it, see `_public_pem`) is registered with every sandbox started from the CLI, so the
app (or a person with the official SDK) can sign transfers without uploading
anything. It only ever signs requests to a local, test-only server.
"""

from __future__ import annotations

import os
from pathlib import Path

from fintoc_tui import paths
from fintoc_tui.api.jws import generate_keypair, public_pem_from_private


def ensure_demo_key(path: Path | None = None) -> tuple[Path, bytes]:
    """(path of the private PEM, its public PEM); creates the key if missing."""
    path = path or paths.sandbox_jws_key_file()
    if not path.exists():
        private_pem, _ = generate_keypair()
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL + 0600 from the start: the key is never readable by others,
        # not even for a moment, and two first runs cannot both write it.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(private_pem)
    private_stat = path.stat()
    if private_stat.st_mode & 0o077:
        path.chmod(0o600)
    return path, _public_pem(path, private_stat.st_mtime_ns)


def public_key_file(private_path: Path) -> Path:
    return private_path.with_name(private_path.stem + ".public.pem")


def _public_pem(private_path: Path, private_mtime_ns: int) -> bytes:
    """The public half, cached beside the private PEM.

    Loading and checking the RSA private key costs the sandbox ~50-80 ms on
    every start before it can announce itself; the cached copy is trusted only
    while it is newer than the private key, so a replaced key is re-derived.
    """
    cached = _cached_public_pem(private_path, private_mtime_ns)
    if cached is not None:
        return cached
    cached_path = public_key_file(private_path)
    pem = public_pem_from_private(private_path.read_bytes())
    tmp = cached_path.with_name(f"{cached_path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(pem)
        os.replace(tmp, cached_path)
    except OSError:
        tmp.unlink(missing_ok=True)
    return pem


def _cached_public_pem(private_path: Path, private_mtime_ns: int) -> bytes | None:
    cached = public_key_file(private_path)
    try:
        if cached.stat().st_mtime_ns >= private_mtime_ns:
            pem = cached.read_bytes()
            if pem.startswith(b"-----BEGIN PUBLIC KEY-----"):
                return pem
    except OSError:
        pass
    return None


def current_public_pem(private_path: Path) -> bytes | None:
    """The cached public PEM if it is newer than the private key (else None; nothing derived)."""
    try:
        private_mtime_ns = private_path.stat().st_mtime_ns
    except OSError:
        return None
    return _cached_public_pem(private_path, private_mtime_ns)
