"""Save a transfer's receipt PDF in the exports folder: private, and never over another file.

Like the history export (export.py): the folder is `paths.exports_dir()`
(0700), the file is created 0600 with `O_EXCL`, so an existing file is never
replaced; the name is `receipt-<transfer id>.pdf`, then `-2`, `-3`… when
that is taken. A write that fails leaves nothing behind.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from fintoc_tui import paths

__all__ = ["ReceiptError", "save_receipt"]

#: Fintoc ids are letters, digits and `_`; anything else must not reach a file name.
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
#: More receipts of one transfer than anyone keeps; past this, something is wrong.
_MAX_COPIES = 1000


class ReceiptError(Exception):
    """The receipt could not be saved; `str()` says why and what to do."""


def save_receipt(transfer_id: str, pdf: bytes, *, directory: Path | None = None) -> Path:
    """Write `pdf` as `receipt-<transfer_id>[-n].pdf` in `directory` (the exports folder)."""
    if not _SAFE_ID.fullmatch(transfer_id):
        raise ValueError("not a transfer id")
    if not pdf.startswith(b"%PDF-"):
        raise ReceiptError("What came back is not a PDF, so it was not saved. Try again.")
    folder = directory if directory is not None else paths.exports_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReceiptError(f"Could not make the folder {folder}: {exc.strerror}.") from None
    for copy in range(1, _MAX_COPIES + 1):
        suffix = "" if copy == 1 else f"-{copy}"
        path = folder / f"receipt-{transfer_id}{suffix}.pdf"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, paths.PRIVATE_FILE_MODE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise ReceiptError(f"Could not write {path}: {exc.strerror}.") from None
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(pdf)
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise ReceiptError(f"Could not write {path}: {exc.strerror}.") from None
        return path
    raise ReceiptError(
        f"{folder} already holds {_MAX_COPIES} receipts of {transfer_id}; remove some first."
    )
