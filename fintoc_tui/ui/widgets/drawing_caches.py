"""Textual's and Rich's drawing caches start small again on every screen change.

Drawing a frame goes through some thirty process-wide `functools.lru_cache`s
in Textual and Rich: text widths, style sums, ANSI codes, colour blends,
region arithmetic. They fill to 1,024-16,384 entries with what every screen
visited so far drew, and nothing empties them: after a walk through every
screen they held 1.2-1.5 MiB of the app's memory (bench/bench_memory.py,
issue 17). Most of it was the screens left behind.

`forget_drawing_caches()`, called on each screen change, empties the caches
named in `DRAWING_CACHES`: each is a pure function of its arguments, so an
emptied one only computes again what the new screen draws (a few hundred
cheap calls on its first frame). Textual's CSS caches are not among them:
parsing again would cost a visible moment.

A name the installed Textual or Rich no longer has is skipped, and
tests/ui/shell/test_drawing_caches.py fails so that someone looks again.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

#: `module:qualified.name` of each cache emptied on a screen change.
DRAWING_CACHES = (
    "rich.cells:cached_cell_len",
    "rich.cells:get_character_cell_size",
    "rich.style:Style.parse",
    "rich.color:Color.parse",
    "rich.style:Style._add",
    "rich.style:Style.clear_meta_and_links",
    "rich.color:Color.get_ansi_codes",
    "rich.color:Color.downgrade",
    "textual.strip:Strip.render_ansi",
    "textual.strip:Strip.blank",
    "textual.filter:ANSIToTruecolor.truecolor_style",
    "textual.style:Style.__add__",
    "textual.color:Color.blend",
    "textual.color:Color.darken",
    "textual.color:Color.rich_color",
    "textual.color:Color.parse",
    "textual.color:Color.tint",
    "textual.color:Color.from_rich_color",
    "textual.color:Color.get_contrast_text",
    "textual.filter:dim_color",
    "textual.renderables.text_opacity:_get_blended_style_cached",
    "textual._segment_tools:make_blank",
    "textual._border:get_box",
    "textual.css.scalar:Scalar.parse",
    "textual.css.scalar:Scalar.resolve",
    "textual.geometry:Region.overlaps",
    "textual.geometry:Region.intersection",
    "textual.geometry:Region.contains_region",
    "textual.geometry:Region.translate",
    "textual.geometry:Region.union",
    "textual.geometry:Region.grow",
    "textual.geometry:Region.shrink",
    "textual.geometry:Region.__contains__",
    "textual.geometry:Region.split_vertical",
)

_found: list[Callable[[], None]] | None = None


def find_drawing_caches() -> dict[str, Callable[[], None]]:
    """Each name in `DRAWING_CACHES` the installed Textual and Rich have: its `cache_clear`."""
    found: dict[str, Callable[[], None]] = {}
    for name in DRAWING_CACHES:
        module_name, _, path = name.partition(":")
        target: object = importlib.import_module(module_name)
        for part in path.split("."):
            target = getattr(target, part, None)
        if isinstance(target, property):  # a cached property: the cache is its getter
            target = target.fget
        clear = getattr(target, "cache_clear", None)
        if callable(clear):
            found[name] = clear
    return found


def forget_drawing_caches(_: object = None) -> None:
    """Empty the drawing caches (on a screen change; see the module)."""
    global _found
    if _found is None:
        _found = list(find_drawing_caches().values())
    for clear in _found:
        clear()
