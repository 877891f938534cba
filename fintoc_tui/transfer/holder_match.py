"""Does the typed holder name match the one a CLABE is registered to?

An account verification answers the holder's name as the bank has it
(`JOSÉ PÉREZ`, `Jose Perez`); the form has what the person typed. They are
the same name when they differ only in case, accents, spacing or
punctuation. The UI and any script share this one rule.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

__all__ = ["HolderMatch", "compare_holders", "holder_key"]

#: `same`, `differs`, or `not_typed` (nothing to compare against).
HolderMatch = Literal["same", "differs", "not_typed"]


def holder_key(name: str) -> str:
    """The name without case, accents, punctuation or extra spaces: `José  Pérez.` → `jose perez`."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(
        ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch)
    )
    return " ".join(letters.split())


def compare_holders(typed: str, registered: str) -> HolderMatch:
    """How the typed name stands against the registered one."""
    if not holder_key(typed):
        return "not_typed"
    return "same" if holder_key(typed) == holder_key(registered) else "differs"
