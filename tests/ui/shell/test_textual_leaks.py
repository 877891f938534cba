"""Closed widgets are freed: the two ways Textual 8 keeps them, and the app's remedies.

`fintoc_tui/ui/widgets/textual_leaks.py` explains both. The first two tests
show each still happens in plain Textual (the day one fails, Textual fixed
it and the remedy can go); the rest show the app frees what it closes.
"""

from __future__ import annotations

import gc

from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.reactive import reactive
from textual.widgets import Static

from fintoc_tui.ui.accounts.account_detail_screen import AccountDetailScreen
from fintoc_tui.ui.accounts.accounts_screen import AccountsScreen
from fintoc_tui.ui.widgets.header import FintocHeader
from fintoc_tui.ui.widgets.textual_leaks import drop_watchers, forget_closed_render_caches

SIZE = (120, 36)


class Watcher(Static):
    """Watches the app's `name`, as the header watches the app's environment."""

    def on_mount(self) -> None:
        self.watch(self.app, "name", self._seen, init=False)

    def _seen(self, _: object) -> None:
        self.update(str(self.app.name))  # type: ignore[attr-defined]


class Host(App[None]):
    name: reactive[str] = reactive("a")  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        yield Watcher("watching")


def _watching(app: App[None]) -> list[object]:
    watchers: dict[str, list[tuple[object, object]]] = getattr(app, "__watchers", {})
    return [node for entries in watchers.values() for node, _ in entries]


async def test_textual_keeps_a_removed_widget_on_the_app_it_watched():
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        widget = app.query_one(Watcher)
        await widget.remove()
        await pilot.pause()
        assert widget in _watching(app), "Textual now prunes the watchers of removed widgets"
        drop_watchers(app)
        assert widget not in _watching(app)


async def test_drop_watchers_of_one_widget_keeps_the_others():
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        first = app.query_one(Watcher)
        second = Watcher("another")
        await app.mount(second)
        await pilot.pause()
        drop_watchers(app, of=first)
        assert first not in _watching(app)
        assert second in _watching(app)
        app.name = "b"  # type: ignore[attr-defined]
        await pilot.pause()
        assert str(second.render()) == "b"


async def test_textual_keeps_a_removed_widgets_rendered_lines_in_a_colour_cache():
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        widget = app.query_one(Watcher)
        cache = widget._styles_cache
        await widget.remove()
        await pilot.pause()
        assert _colour_cache_holds(cache), (
            "StylesCache.get_inner_outer no longer keeps the styles cache"
        )
        forget_closed_render_caches()
        assert not _colour_cache_holds(cache)


def _colour_cache_holds(cache: StylesCache) -> bool:
    gc.collect()
    return any(
        isinstance(holder, tuple) and holder and holder[0] is cache
        for holder in gc.get_referrers(cache)
    )


def _closed_headers() -> list[FintocHeader]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, FintocHeader) and not o.is_attached]


def _detached_render_caches(app: App[None]) -> int:
    live = {id(w._styles_cache) for w in app.screen.walk_children(with_self=True)}
    for stack in app._screen_stacks.values():
        for screen in stack:
            live |= {id(w._styles_cache) for w in screen.walk_children(with_self=True)}
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, StylesCache) and id(o) not in live)


async def test_account_details_opened_and_closed_leave_no_header_and_no_rendered_lines(
    make_app, settle
):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(3):
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AccountDetailScreen)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, AccountsScreen)
        assert _closed_headers() == []
        # Only what a live widget uses (Textual's own spare caches aside: a few).
        assert _detached_render_caches(app) < 5
