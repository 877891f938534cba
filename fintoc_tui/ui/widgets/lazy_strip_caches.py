"""Textual's rendered lines make their caches when first used, not when made.

Textual 8 gives every `Strip` (one rendered line) seven `FIFOCache`s in its
constructor, each with its own dict: about 1 KiB per line, most never used (a
line is cropped or divided; rarely styled, filtered, padded or offset). The
app keeps a few thousand lines alive: every widget's last lines on each mode
screen, and the compositor's cut-up copies cached on them. After the memory
walk that was about 3,000 lines and 2-3 MiB of empty caches
(bench/bench_memory.py, issue 17).

`install()` makes each cache on first use instead. `Strip.__init__` leaves the
cache slots empty, and `Strip.__getattr__`, which Python calls only when a slot
is empty, makes that cache and stores it in its slot, so every later use is the
plain slot read Textual had. The caches, their sizes and every result are
Textual's own.

It applies only to the `Strip` it was written against (the same slots and the
same constructor); any other Textual is left as it is, and
tests/ui/shell/test_lazy_strip_caches.py fails so that someone looks again.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from textual.cache import FIFOCache
from textual.strip import Strip

#: Each cache slot of Textual 8's `Strip` and the size its constructor gives it.
CACHE_SIZES: dict[str, int] = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}
#: The other slots, set by the constructor as before.
_PLAIN_SLOTS = ("_segments", "_cell_length", "_render_cache", "_link_ids", "_cell_count")
#: The names Textual's constructor uses: if they change, so may what it sets.
_TEXTUAL_INIT_NAMES = frozenset({"list", "FIFOCache", *CACHE_SIZES, *_PLAIN_SLOTS})

#: Textual's own constructor (tests compare with it).
textual_init = Strip.__init__


def _lazy_init(self: Strip, segments: Iterable[Segment], cell_length: int | None = None) -> None:
    self._segments = list(segments)
    self._cell_length = cell_length
    self._render_cache = None
    self._link_ids = None
    self._cell_count = None


def _make_cache(self: Strip, name: str) -> FIFOCache[object, object]:
    """Called by Python only for a slot with no value: make the cache it names, once."""
    size = CACHE_SIZES.get(name)
    if size is None:
        raise AttributeError(f"'Strip' object has no attribute {name!r}")
    cache: FIFOCache[object, object] = FIFOCache(size)
    setattr(self, name, cache)
    return cache


def matches_textual() -> bool:
    """Whether the installed `Strip` is the one this was written against."""
    return (
        set(Strip.__slots__) == {*CACHE_SIZES, *_PLAIN_SLOTS}
        and set(textual_init.__code__.co_names) == _TEXTUAL_INIT_NAMES
        and "__getattr__" not in vars(Strip)
    )


def install() -> bool:
    """Make `Strip` caches lazy; False (and nothing changed) on a Textual it does not know."""
    if Strip.__init__ is _lazy_init:
        return True
    if not matches_textual():
        return False
    setattr(Strip, "__init__", _lazy_init)  # noqa: B010 (mypy refuses a method assignment)
    setattr(Strip, "__getattr__", _make_cache)  # noqa: B010
    return True
