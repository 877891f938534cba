"""The footer (`ui/widgets/footer.py`): one widget drawing the screen's keys as Textual's did."""

from __future__ import annotations

import gc
import weakref

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from fintoc_tui.ui.widgets.footer import KeysFooter

WIDE = (120, 24)
NARROW = (80, 24)


class Plain(Widget, can_focus=True):
    """Focusable, with no key of its own in the footer (and not eating printable keys)."""

    DEFAULT_CSS = "Plain { height: 1; }"


class WithKey(Plain):
    BINDINGS = [Binding("ctrl+e", "noop", "Extra")]

    def action_noop(self) -> None:
        pass


class FooterApp(App[None]):
    BINDINGS = [
        Binding("1,a", "app.show_mode('one')", "One", id="one"),
        Binding("ctrl+r", "refresh_all", "Refresh", id="refresh_all"),
        Binding("z", "unavailable", "Unavailable", id="unavailable"),
        Binding("y", "noop", "Hidden", show=False),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ran: list[str] = []

    def compose(self) -> ComposeResult:
        yield Plain(id="one")
        yield Plain(id="two")
        yield WithKey(id="three")
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "unavailable" else True  # None: shown, dimmed

    def action_refresh_all(self) -> None:
        self.ran.append("refresh")

    def action_help(self) -> None:
        self.ran.append("help")

    def action_unavailable(self) -> None:
        self.ran.append("unavailable")

    def action_noop(self) -> None:
        pass


def _footer(app: App[None]) -> KeysFooter:
    return app.screen.query_one(KeysFooter)


def _line(app: App[None]) -> Strip:
    """The footer's row as the terminal gets it."""
    return app.screen._compositor.render_strips()[-1]


def _shown(app: App[None]) -> list[tuple[str, str]]:
    """(key, description) of the keys on the footer's line, left to right."""
    return [(span.key.display, span.description) for span in _footer(app).line().spans]


def _expected(app: App[None]) -> list[tuple[str, str]]:
    """Textual's rule: the active bindings with show=True, one per action, then the palette."""
    seen: set[str] = set()
    keys = []
    for _, binding, _, _ in app.screen.active_bindings.values():
        if binding.show and binding.action not in seen:
            seen.add(binding.action)
            keys.append((app.get_key_display(binding), binding.description))
    _, palette, _, _ = app.screen.active_bindings[app.COMMAND_PALETTE_BINDING]
    return [*keys, ("^p", palette.description)]


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause()


async def test_keys_shown_are_the_screens_active_bindings_in_order():
    app = FooterApp()
    async with app.run_test(size=WIDE) as pilot:
        await _settle(pilot)
        assert _shown(app) == _expected(app)
        assert ("1", "One") in _shown(app) and ("y", "Hidden") not in _shown(app)
        line = _line(app).text
        assert line.startswith("1 One ^r Refresh z Unavailable ? Help ")
        assert line.endswith("▏^p palette ") and len(line) == WIDE[0]  # palette at the right edge
        app.screen.query_one("#three").focus()  # the focused input's key joins, first
        await _settle(pilot)
        assert _shown(app) == _expected(app)
        assert _shown(app)[0] == ("^e", "Extra")


async def test_a_remapped_key_shows_its_new_key():
    app = FooterApp()
    async with app.run_test(size=WIDE) as pilot:
        await _settle(pilot)
        app.set_keymap({"refresh_all": "f5"})
        app.screen.refresh_bindings()
        await _settle(pilot)
        assert ("f5", "Refresh") in _shown(app)
        assert "f5 Refresh" in _line(app).text and "^r" not in _line(app).text


async def test_a_disabled_binding_is_dimmed():
    app = FooterApp()
    async with app.run_test(size=WIDE) as pilot:
        await _settle(pilot)
        line = _line(app)
        text = line.text
        enabled_key, enabled_label = text.index("^r"), text.index("Refresh")
        disabled_key, disabled_label = text.index("z Unavailable"), text.index("Unavailable")
        # Textual draws dim text as a colour blended toward the background.
        assert _style_at(line, disabled_key)[0] != _style_at(line, enabled_key)[0]
        assert _style_at(line, disabled_label)[0] != _style_at(line, enabled_label)[0]
        help_key, help_label = text.index("? Help"), text.index("Help")
        assert _style_at(line, help_key) == _style_at(line, enabled_key)
        assert _style_at(line, help_label) == _style_at(line, enabled_label)


def _style_at(strip: Strip, x: int) -> tuple[object, ...]:
    """How cell x looks: colours and text style (not Textual's mouse offsets)."""
    at = 0
    for segment in strip:
        if at <= x < at + len(segment.text):
            style = segment.style
            assert style is not None
            return (style.color, style.bgcolor, style.bold, style.dim)
        at += len(segment.text)
    raise IndexError(x)


async def test_clicking_a_key_runs_it_and_a_disabled_one_does_not():
    app = FooterApp()
    async with app.run_test(size=WIDE) as pilot:
        await _settle(pilot)
        text = _line(app).text
        await pilot.click(KeysFooter, offset=(text.index("Refresh") + 2, 0))  # on its label
        await pilot.click(KeysFooter, offset=(text.index("? Help"), 0))  # on its key
        await pilot.click(KeysFooter, offset=(text.index("Unavailable"), 0))
        await pilot.click(KeysFooter, offset=(text.index("Help") + len("Help"), 0))  # the gap
        await _settle(pilot)
        assert app.ran == ["refresh", "help"]


async def test_the_key_under_the_mouse_is_highlighted():
    app = FooterApp()
    async with app.run_test(size=WIDE) as pilot:
        await _settle(pilot)
        before = _line(app)
        x = before.text.index("? Help")
        await pilot.hover(KeysFooter, offset=(x, 0))
        await _settle(pilot)
        after = _line(app)
        assert after.text == before.text
        changed = {
            i for i in range(len(before.text)) if _style_at(before, i) != _style_at(after, i)
        }
        assert changed == set(range(x, x + len("? Help")))
        await pilot.hover(KeysFooter, offset=(before.text.index("^p"), 0))  # the palette key
        await _settle(pilot)
        assert _footer(app).tooltip == "Open the command palette"  # its Binding.tooltip
        await pilot.hover(KeysFooter, offset=(x - 1, 0))  # the gap before "? Help"
        await _settle(pilot)
        assert _line(app).text == before.text and _footer(app).tooltip is None
        assert all(
            _style_at(_line(app), i) == _style_at(before, i) for i in range(len(before.text))
        )


async def test_the_line_is_rebuilt_only_when_the_keys_change():
    app = FooterApp()
    async with app.run_test(size=WIDE) as pilot:
        await _settle(pilot)
        footer = _footer(app)
        built = footer.rebuilds
        assert built >= 1
        app.screen.query_one("#two").focus()  # same keys in the footer
        await _settle(pilot)
        app.screen.refresh_bindings()
        await _settle(pilot)
        assert footer.rebuilds == built
        app.screen.query_one("#three").focus()  # adds "Extra"
        await _settle(pilot)
        assert footer.rebuilds == built + 1 and ("^e", "Extra") in _shown(app)
        app.screen.query_one("#one").focus()
        await _settle(pilot)
        assert footer.rebuilds == built + 2 and ("^e", "Extra") not in _shown(app)


async def test_narrow_leaves_the_mode_keys_out():
    app = FooterApp()
    async with app.run_test(size=NARROW) as pilot:
        await _settle(pilot)
        assert ("1", "One") not in _shown(app) and ("?", "Help") in _shown(app)
        assert "One" not in _line(app).text
        await pilot.resize_terminal(*WIDE)
        await _settle(pilot)
        assert ("1", "One") in _shown(app) and "1 One" in _line(app).text


class KeysScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Plain()
        yield KeysFooter()


async def _footers_left_alive(pilot, settle, open_screen) -> list[KeysFooter | None]:
    """Three times: open a screen with `open_screen()`, leave it with Esc; its footers, if alive."""
    app = pilot.app
    await settle(pilot)
    closed: list[weakref.ref[KeysFooter]] = []
    for _ in range(3):
        await open_screen()
        await settle(pilot)
        assert ("esc", "Back") in _shown(app)
        closed.append(weakref.ref(_footer(app)))
        await pilot.press("escape")
        await settle(pilot)
    gc.collect()
    return [ref() for ref in closed]


async def test_closed_screens_leave_no_footer_alive():
    app = FooterApp()
    async with app.run_test(size=WIDE) as pilot:
        alive = await _footers_left_alive(pilot, _settle, lambda: app.push_screen(KeysScreen()))
        assert alive == [None, None, None]


async def test_account_details_opened_and_closed_leave_no_footer_alive(make_app, settle):
    """The real screens: each closed account detail takes its footer with it."""
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=WIDE) as pilot:
        alive = await _footers_left_alive(pilot, settle, lambda: pilot.press("enter"))
        assert alive == [None, None, None]
