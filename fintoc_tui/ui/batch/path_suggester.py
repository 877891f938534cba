"""Completes a file path as it is typed (→ accepts), folders and CSV files first.

Hand-written: Textual ships `Suggester` and `SuggestFromList` but no path
suggester, and its `DirectoryTree` is a browser, not a completer for the field
a path is typed in. The folder is listed off the event loop.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.suggester import Suggester

__all__ = ["PathSuggester"]


def _complete(typed: str) -> str | None:
    """`typed` plus the rest of the first entry of its folder that starts with it."""
    head, slash, stem = typed.rpartition("/")
    prefix = head + slash  # "" (this folder), "/" or "some/folder/", as typed
    folder = Path(prefix or ".").expanduser()
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    candidates = [
        name
        for name in names
        if name.startswith(stem) and name != stem and (stem.startswith(".") or name[0] != ".")
    ]
    if not candidates:
        return None

    def rank(name: str) -> tuple[int, str]:
        kind = 0 if (folder / name).is_dir() else 1 if name.lower().endswith(".csv") else 2
        return kind, name

    best = min(candidates, key=rank)
    return prefix + best + ("/" if (folder / best).is_dir() else "")


class PathSuggester(Suggester):
    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        return await asyncio.to_thread(_complete, value)
