"""Save a downloaded document (a statement's PDF) in the exports folder, private, never overwriting.

The exports folder is where the history's exports already go
(`paths.exports_dir()`, 0700); each file is created 0600 with `O_EXCL`, so
an existing file is never replaced and nobody else can read it meanwhile.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from fintoc_tui import paths

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def save_document(data: bytes, stem: str, suffix: str, *, folder: Path | None = None) -> Path:
    """Write `data` to `<folder>/<stem><suffix>` (or `<stem>-2<suffix>`, …); returns the path."""
    target = folder if folder is not None else paths.exports_dir()
    safe = _UNSAFE.sub("-", stem).strip("-.") or "document"
    n = 1
    while True:
        path = target / (f"{safe}{suffix}" if n == 1 else f"{safe}-{n}{suffix}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, paths.PRIVATE_FILE_MODE)
        except FileExistsError:
            n += 1
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path
