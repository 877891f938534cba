"""Textual's and Rich's drawing caches are emptied on a screen change (`widgets/drawing_caches.py`)."""

from __future__ import annotations

from rich.cells import cached_cell_len

from fintoc_tui.ui.widgets.drawing_caches import (
    DRAWING_CACHES,
    find_drawing_caches,
    forget_drawing_caches,
)


def test_every_cache_named_is_in_the_installed_textual_and_rich():
    found = find_drawing_caches()
    missing = sorted(set(DRAWING_CACHES) - set(found))
    assert missing == [], f"no longer caches (see widgets/drawing_caches.py): {missing}"


MARK = "a line only this test measures"


def _remembers(text: str) -> bool:
    """Whether `cached_cell_len` had `text` (asking adds it: a hit means it was there)."""
    before = cached_cell_len.cache_info().hits
    cached_cell_len(text)
    return cached_cell_len.cache_info().hits > before


async def test_a_screen_change_forgets_what_earlier_screens_drew(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        cached_cell_len(MARK)
        assert _remembers(MARK)
        await pilot.press("3")  # the history
        await settle(pilot)
        assert not _remembers(MARK)
        assert cached_cell_len.cache_info().currsize > 1, "the history's frame measured its text"


def test_forgetting_twice_is_harmless():
    cached_cell_len("x")
    forget_drawing_caches()
    forget_drawing_caches()
    assert cached_cell_len.cache_info().currsize == 0
