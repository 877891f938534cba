"""The key footer: Textual's `Footer`, rebuilt only when the keys it shows change.

Textual's Footer removes and mounts all its keys (a widget each) whenever the
screen's bindings are refreshed: on every focus change, on every screen
resume (twice when a mode is first shown), on every `refresh_bindings`, with
no check that anything it shows changed. On the accounts screen that was two
rebuilds of ten keys before the first frame reached the terminal, about a
fifth of the CPU a minimal Textual app needs to start
(bench/bench_terminal.py). This one builds its keys after the screen's first
frame, rebuilds at most once per refresh, and not at all when the keys,
their labels and their enabled state are the ones already shown. It looks
and behaves as Textual's (same widget, same CSS).

It also lets go of the keys it removed. Each key is `data_bind`-ed to the
footer's `compact`, which stores a watcher (the key and a closure) on the
footer; Textual prunes those only when `compact` changes, which it never
does, so every rebuild kept the old keys alive: ~0.4 MiB for each time the
transfer form was opened and left (bench/bench_memory.py; Textual issue
#6666, open in 8.2). `compose` drops the watchers of closed keys first.

`KeysFooter`, the one every screen composes, is that footer made to fit:
compact spacing, and below 100 cells the mode keys (1 2 3 e) leave the
footer so the screen's own keys, help and quit still fit at 80x24. They keep
working, and help (`?`) and the palette (ctrl+p) still list them. Which keys
a screen shows at all is chosen in `shell/bindings.py` (`show=False`).
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from fintoc_tui.ui.widgets.narrow import is_narrow
from fintoc_tui.ui.widgets.textual_leaks import drop_watchers

_MODE_ACTION = "app.show_mode("
"""The action prefix of the mode keys (Accounts, Transfer, History, Environment)."""


class Footer(TextualFooter):
    """Textual's Footer that skips rebuilds which would show the same keys."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        show_command_palette: bool = True,
        compact: bool = False,
    ) -> None:
        super().__init__(
            name=name,
            id=id,
            classes=classes,
            show_command_palette=show_command_palette,
            compact=compact,
        )
        self._shown: Hashable | None = None
        """What the keys on screen were built from (None: nothing built yet)."""
        self._rebuild_pending = False

    def compose(self) -> ComposeResult:
        drop_watchers(self)  # the keys just removed
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            if self._shown is None:
                # The first build goes through the app's queue, which Textual
                # reads only once the app or screen has finished mounting: a
                # rebuild inside that start-up batch held back the screen's first
                # frame, and a refresh callback there runs before the frame.
                self.app.call_later(self._rebuild_after_next_frame)
            else:
                self.call_after_refresh(self._rebuild_if_changed)

    def _rebuild_after_next_frame(self) -> None:
        # Hopped onto this widget's own queue, so the rebuild runs as the footer:
        # `compose` binds each key's `compact` to the active message pump.
        self.call_later(self.call_after_refresh, self._rebuild_if_changed)

    def _keys_shown(self) -> Hashable:
        """Everything of the screen's bindings that `compose` turns into keys."""
        active = self.screen.active_bindings
        shown = tuple(
            (
                binding.key,
                binding.action,
                binding.description,
                binding.key_display,
                binding.group,
                enabled,
                tooltip,
            )
            for (_, binding, enabled, tooltip) in active.values()
            if binding.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        palette_key = None
        if palette is not None and self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            _, binding, enabled, tooltip = palette
            palette_key = (binding.key, binding.description, enabled, tooltip)
        return (shown, palette_key)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return
        shown = self._keys_shown()
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()


class KeysFooter(Footer):
    """A compact footer that drops the mode keys on a narrow terminal."""

    DEFAULT_CSS = """
    KeysFooter.-narrow FooterKey.-mode { display: none; }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action.startswith(_MODE_ACTION):
                widget.add_class("-mode")
            yield widget

    def on_mount(self) -> None:
        self.set_class(is_narrow(self.app), "-narrow")

    def on_resize(self, event: Resize) -> None:
        self.set_class(is_narrow(self.app), "-narrow")
