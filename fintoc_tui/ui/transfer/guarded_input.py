"""An `Input` whose edits go through a field's rule, and which says what it changed.

Textual's `restrict` and `max_length` drop a keystroke or a whole paste
with only a bell. Here every edit (a key, a paste, a deletion) goes through
the field's `InputRule` (`fintoc_tui.transfer.input_rules`): the rule says
what the text becomes, and why when that is not what was typed, which this
posts as `Noticed` for the field to show beside itself.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input

from fintoc_tui.transfer.input_rules import InputRule


class GuardedInput(Input):
    """`Input` plus a rule; see the module docstring."""

    class Noticed(Message):
        """An edit was refused, cut or taken out of a paste; `notice` says which and why."""

        def __init__(self, guarded: GuardedInput, notice: str) -> None:
            super().__init__()
            self.guarded = guarded
            self.notice = notice

        @property
        def control(self) -> GuardedInput:
            return self.guarded

    def __init__(self, value: str = "", *, rule: InputRule, **kwargs: object) -> None:
        super().__init__(value, **kwargs)  # type: ignore[arg-type]
        self.rule = rule

    def replace(self, text: str, start: int, end: int) -> None:
        value = self.value
        start, end = sorted((max(0, start), min(len(value), end)))
        admission = self.rule.admit(value, start, end, text)
        if admission.text != value:
            self.value = admission.text
            self.cursor_position = admission.cursor
        elif text:
            self.restricted()  # the bell, as before, for a refused key
        if admission.notice:
            self.post_message(self.Noticed(self, admission.notice))

    def _on_paste(self, event: events.Paste) -> None:
        """The whole pasted text, every line: the value may sit on the second one."""
        if event.text:
            start, end = sorted(self.selection)
            self.replace(event.text, start, end)
        event.stop()
        event.prevent_default()  # Input's own handler would paste the first line again
