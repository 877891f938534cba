"""The sandbox's demo JWS key: made on first run, private PEM kept 0600.

Its public half is registered with every sandbox started from the CLI, so the
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
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return path, public_pem_from_private(path.read_bytes())
