"""The footer (`ui/widgets/footer.py`) shows Textual's keys, rebuilt only when they change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from fintoc_tui.ui.widgets.footer import Footer


class Plain(Input):
    """Focusable, with no key of its own in the footer."""


class WithKey(Input):
    BINDINGS = [Binding("ctrl+e", "noop", "Extra")]

    def action_noop(self) -> None:
        pass


class FooterApp(App[None]):
    BINDINGS = [Binding("ctrl+r", "noop", "Refresh")]

    def compose(self) -> ComposeResult:
        yield Plain(id="one")
        yield Plain(id="two")
        yield WithKey(id="three")
        yield Footer()

    def action_noop(self) -> None:
        pass


def _keys(app) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


def _labels(app) -> list[str]:
    return [key.description for key in _keys(app)]


async def test_keys_are_rebuilt_only_when_what_they_show_changes():
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "Refresh" in _labels(app) and "Extra" not in _labels(app)
        built = _keys(app)
        app.screen.query_one("#two").focus()  # same keys in the footer
        await pilot.pause()
        await pilot.pause()
        assert _keys(app) == built  # the very same widgets: no rebuild
        app.screen.query_one("#three").focus()  # adds "Extra"
        await pilot.pause()
        await pilot.pause()
        assert "Extra" in _labels(app)
        assert _keys(app) != built
        app.screen.query_one("#one").focus()
        await pilot.pause()
        await pilot.pause()
        assert "Extra" not in _labels(app)


async def test_keys_removed_by_a_rebuild_are_let_go():
    """Textual keeps each key's `compact` watcher on the footer (issue #6666); ours drops them."""
    import gc
    import weakref

    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        old_keys = [weakref.ref(key) for key in _keys(app)]
        for _ in range(3):  # rebuilds: "Extra" shown, then not
            app.screen.query_one("#three").focus()
            await pilot.pause()
            await pilot.pause()
            app.screen.query_one("#one").focus()
            await pilot.pause()
            await pilot.pause()
        footer = app.screen.query_one(Footer)
        watchers = getattr(footer, "__watchers", {}).get("compact", [])
        bound = [key for key in _keys(app) if not key.has_class("-command-palette")]
        assert len(watchers) == len(bound)  # only the keys on screen (the palette's is not bound)
        gc.collect()
        assert old_keys and all(ref() is None for ref in old_keys)
