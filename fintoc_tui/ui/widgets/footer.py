"""The key footer: one widget drawing one line of keys, rebuilt only when they change.

Textual's `Footer` mounts a widget for every key (8–10 per screen here, ~18–20
KiB resident each), removes and mounts them all again whenever the screen's
bindings are refreshed (every focus change, every screen resume), and each key
it removes stays alive through a watcher on the footer (Textual issue #6666,
ui/widgets/textual_leaks.py). On a walk through every screen that was 37 keys
alive and ~2 MiB (bench/bench_memory.py).

`KeysFooter` is one widget that draws the same line: the keys of the screen's
active bindings shown in the footer (`show=True`), one per action, in
Textual's order, each as its key (after remapping: `App.get_key_display`) and
its description, compact spacing, disabled keys dimmed, and the command
palette key at the right edge behind a thin bar. It reads the bindings when
the screen says they changed (`bindings_updated_signal`, sent on focus
changes, screen resumes and `refresh_bindings`) and redraws only when what it
shows changed; it keeps plain strings, never widgets or bindings.

Clicking a key runs it as pressing it would (`App.simulate_key`, as Textual's
keys do; a disabled one rings the bell); the key under the mouse is
highlighted and shows its tooltip (`Binding.tooltip`; the palette key's
description, as in Textual).

Below 100 cells (`narrow.is_narrow`) the mode keys (1 2 3 e) leave the footer
so the screen's own keys, help and quit still fit at 80x24. They keep
working, and help (`?`) and the palette (ctrl+p) still list them. Which keys
a screen shows at all is chosen in `shell/bindings.py` (`show=False`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.widget import Widget

from fintoc_tui.ui.widgets.narrow import is_narrow

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen

_MODE_ACTION = "app.show_mode("
"""The action prefix of the mode keys (Accounts, Transfer, History, Environment)."""

_PALETTE_BAR = "▏"
"""Drawn left of the palette key, as Textual's footer draws its left border."""


@dataclass(frozen=True, slots=True)
class FooterKey:
    """One key as the footer shows it; plain values, so nothing old is kept alive."""

    key: str
    """What a click simulates (the binding's key)."""
    display: str
    description: str
    enabled: bool
    tooltip: str
    mode: bool
    """A mode key (1 2 3 e): left out below 100 cells."""


@dataclass(frozen=True, slots=True)
class FooterEntry:
    """One key with its description, or a binding group's keys followed by the group's."""

    keys: tuple[FooterKey, ...]
    description: str


@dataclass(frozen=True, slots=True)
class FooterKeys:
    """Everything the footer shows: the keys on the left and the palette key on the right."""

    entries: tuple[FooterEntry, ...]
    palette: FooterKey | None


@dataclass(frozen=True, slots=True)
class KeySpan:
    """Where a key sits on the footer's line (cells `start` to `end`, end excluded)."""

    start: int
    end: int
    key: FooterKey
    description: str


@dataclass(frozen=True, slots=True)
class FooterLine:
    """The footer laid out for one width: its line and where each key is on it."""

    content: Content
    spans: tuple[KeySpan, ...]
    """Every key laid out, the palette's last; a span past `edge` was cut."""
    edge: int
    """Where the palette key begins (or the width): keys end before it."""


def footer_keys(screen: Screen[object], show_palette: bool) -> FooterKeys:
    """What Textual's footer would show for the screen's active bindings."""
    app = screen.app
    active = screen.active_bindings
    by_action: dict[str, list[tuple[Binding, bool, str]]] = {}
    for _, binding, enabled, tooltip in active.values():
        if binding.show:
            by_action.setdefault(binding.action, []).append((binding, enabled, tooltip))

    def key_of(binding: Binding, enabled: bool, tooltip: str) -> FooterKey:
        return FooterKey(
            key=binding.key,
            display=app.get_key_display(binding),
            description=binding.description,
            enabled=enabled,
            tooltip=tooltip,
            mode=binding.action.startswith(_MODE_ACTION),
        )

    entries: list[FooterEntry] = []
    firsts = [bindings[0] for bindings in by_action.values()]  # one key per action
    index = 0
    while index < len(firsts):
        binding, enabled, tooltip = firsts[index]
        group = binding.group
        run = 1
        while (
            group is not None
            and index + run < len(firsts)
            and firsts[index + run][0].group == group
        ):
            run += 1
        if group is not None and run > 1:
            # A binding group: its keys side by side, then the group's description.
            keys = tuple(
                key_of(b, e, t or b.description) for b, e, t in firsts[index : index + run]
            )
            entries.append(FooterEntry(keys, group.description))
        else:
            entries.append(FooterEntry((key_of(binding, enabled, tooltip),), binding.description))
        index += run

    palette = None
    if show_palette and app.ENABLE_COMMAND_PALETTE:
        found = active.get(app.COMMAND_PALETTE_BINDING)
        if found is not None:
            _, binding, enabled, _ = found
            palette = key_of(binding, enabled, binding.tooltip or binding.description)
    return FooterKeys(tuple(entries), palette)


class KeysFooter(Widget, can_focus=False):
    """The compact key footer of every screen, drawn as one line."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "keys-footer--item",
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--hover",
        "keys-footer--bar",
    }
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        text-wrap: nowrap;
        color: $footer-foreground;
        background: $footer-background;
        & > .keys-footer--item {
            background: $footer-item-background;
        }
        & > .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keys-footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .keys-footer--bar {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, show_command_palette: bool = True) -> None:
        super().__init__()
        self.show_command_palette = show_command_palette
        self._keys: FooterKeys | None = None
        """What the footer shows (None: not read yet)."""
        self._line: tuple[tuple[int, bool, int | None], FooterLine] | None = None
        """The last line laid out, and the (width, narrow, hovered key) it was laid out for."""
        self._hover: int | None = None
        """The index in the line's spans of the key under the mouse."""
        self.rebuilds = 0
        """How many times the keys were read and found changed (tests count them)."""

    # -- what it shows ------------------------------------------------------------------

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # As Textual's footer: keep the keys while the terminal is out of focus.
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._read_keys()

    def _read_keys(self) -> None:
        keys = footer_keys(self.screen, self.show_command_palette)
        if keys != self._keys:
            self._keys = keys
            self._line = None
            self.rebuilds += 1
            self.refresh()

    @property
    def keys(self) -> FooterKeys:
        """What the footer shows (read now if the screen has not said yet)."""
        if self._keys is None:
            self._read_keys()
        assert self._keys is not None
        return self._keys

    # -- the line -----------------------------------------------------------------------

    def line(self) -> FooterLine:
        """The footer's line at its current width (laid out again only if that changed)."""
        narrow = is_narrow(self.app)
        keys = self.keys
        shape = (self.size.width, narrow, self._hover)
        if self._line is None or self._line[0] != shape:
            self._line = (shape, _lay_out(keys, self.size.width, narrow, self._hover))
        return self._line[1]

    def render(self) -> Content:
        return self.line().content

    # -- the mouse ----------------------------------------------------------------------

    def _span_at(self, x: int) -> int | None:
        line = self.line()
        for index, span in enumerate(line.spans):
            visible = span.start >= line.edge or x < line.edge  # not under the palette
            if span.start <= x < span.end and visible:
                return index
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._span_at(event.x)
        if index is None:
            return
        key = self.line().spans[index].key
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover_over(self._span_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hover_over(None)

    def _hover_over(self, index: int | None) -> None:
        if index == self._hover:
            return
        self._hover = index
        key = None if index is None else self.line().spans[index].key
        self.tooltip = key.tooltip or None if key is not None else None
        self.styles.pointer = "default" if key is None else "pointer"
        self.screen.update_pointer_shape()
        self.refresh()


def _lay_out(keys: FooterKeys, width: int, narrow: bool, hover: int | None) -> FooterLine:
    """The line Textual's compact footer draws: `key description`, a space after each."""
    parts: list[Content] = []
    spans: list[KeySpan] = []
    chars: list[tuple[int, int]] = []
    """Each span's characters in the line (spans count cells)."""
    cells = 0
    length = 0

    def add(text: str, style: str = "") -> None:
        nonlocal cells, length
        parts.append(Content.styled(text, style) if style else Content(text))
        cells += cell_len(text)
        length += len(text)

    def add_key(key: FooterKey, description: str) -> None:
        start, first = cells, length
        add(key.display, ".keys-footer--key")
        if description:
            add(f" {description}", ".keys-footer--description")
        spans.append(KeySpan(start, cells, key, description))
        chars.append((first, length))

    for entry in keys.entries:
        shown = [key for key in entry.keys if not (narrow and key.mode)]
        if not shown:
            continue
        if len(entry.keys) == 1:
            add_key(shown[0], entry.description)
        else:
            for index, key in enumerate(shown):
                if index:
                    add(" ")
                add_key(key, "")
            add(f" {entry.description}", ".keys-footer--description")
        add(" ")

    edge = width
    left = Content.assemble(*parts)
    if keys.palette is not None:
        palette = keys.palette
        label = cell_len(f"{palette.display} {palette.description}")
        edge = max(0, width - cell_len(_PALETTE_BAR) - label - 1)
        # Keys running past the palette are cut, as the palette covers them in Textual's.
        parts = [left.truncate(edge, pad=True)]
        cells, length = edge, len(parts[0].plain)
        chars = [(min(first, length), min(last, length)) for first, last in chars]
        add(_PALETTE_BAR, ".keys-footer--bar")
        add_key(palette, palette.description)
        add(" ")
    content = Content.assemble(*parts)
    for span, (first, last), index in zip(spans, chars, range(len(spans)), strict=True):
        styles = [".keys-footer--item"]
        if index == hover:
            styles.append(".keys-footer--hover")
        if not span.key.enabled:
            styles.append("dim")
        for style in reversed(styles):  # beneath the key's own styles, the first lowest
            content = content.stylize_before(style, first, last)
    return FooterLine(content, tuple(spans), edge)
