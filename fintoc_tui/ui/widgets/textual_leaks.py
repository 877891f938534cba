"""Two ways Textual 8 keeps closed widgets alive, and how the app lets go of them.

1. Watchers (Textual issue #6666). `node.watch(other, "name", callback)`
   stores `(node, callback)` on `other`, and Textual prunes that list only
   when `other.name` next changes. A widget that watches something
   long-lived (the app's environment) stays alive after it is removed, with its children and their rendered lines, until that
   value changes: for the app's environment, almost never. Every header of an
   account or transfer detail opened and closed stayed (`drop_watchers`; the
   key footer keeps no widgets per key, so it has nothing to drop).
2. A method cache. `StylesCache.get_inner_outer` is an `lru_cache(1024)` on
   a method, so its keys hold the widget's styles cache itself, and with it
   every line the widget last rendered: up to 1,024 closed widgets' lines,
   about 0.8 MiB for each account detail opened and closed
   (bench/bench_memory.py). The app empties that cache whenever the screen
   changes (`forget_closed_render_caches`); it only maps two colours to two
   styles, so refilling it costs nothing a person could notice.

tests/ui/shell/test_textual_leaks.py shows each of them still happens without
the remedy, so the day Textual fixes one, the test says so.
"""

from __future__ import annotations

from textual._styles_cache import StylesCache


def _closed(node: object) -> bool:
    return bool(getattr(node, "_closing", False) or getattr(node, "_closed", False))


def drop_watchers(target: object, *, of: object | None = None) -> None:
    """Remove the watchers on `target` that belong to `of`, or (no `of`) to closed nodes."""
    watchers: dict[str, list[tuple[object, object]]] = getattr(target, "__watchers", {})
    for entries in watchers.values():
        entries[:] = [
            (node, callback)
            for node, callback in entries
            if not (node is of if of is not None else _closed(node))
        ]


def forget_closed_render_caches(_: object = None) -> None:
    """Empty Textual's colour cache that holds closed widgets' rendered lines (see 2.)."""
    StylesCache.get_inner_outer.cache_clear()
