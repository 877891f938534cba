"""A labelled text field with a note line under it, for the transfer form.

Every field of the form shows its own problem right under it ("errors show at
the field"); checks that run while typing and errors that come back from the
API land in the same place. The check is the core's (`fintoc_tui.transfer.
checks`, the same words the CLI prints); the note is a `Static` updated in
place, never re-mounted. A second line, shown only then, says what the
field's input rule did with the last edit it changed: a refused key, a cut
paste, a value taken out of a pasted sentence.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, Static

from fintoc_tui.transfer.checks import Check, Note
from fintoc_tui.transfer.input_rules import InputRule
from fintoc_tui.ui.transfer.guarded_input import GuardedInput

_STYLE = {"": "", "strong": "bold", "ok": "$text-success", "warning": "$text-warning"}


def note_content(note: Note) -> Content:
    """A core note (text in styled parts) in this app's colours."""
    return Content.assemble(*[(text, _STYLE.get(style, "$text-error")) for text, style in note])


class TransferField(Vertical):
    """Label, `GuardedInput`, a one-line note (hint, live check or error) and a notice."""

    DEFAULT_CSS = """
    TransferField {
        height: auto;
    }
    TransferField > .field-label {
        width: 1fr;  /* wraps in a narrow column instead of being cut */
        padding: 0 1;
        color: $text-muted;
    }
    TransferField.-invalid > Input {
        border: tall $error;
    }
    TransferField > .field-note {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    TransferField > .field-notice {
        display: none;
        height: auto;
        padding: 0 1;
        color: $text-warning;
    }
    TransferField > .field-notice.-shown {
        display: block;
    }
    """

    class Changed(Message):
        """The field's text (or its problem) changed."""

        def __init__(self, field: TransferField) -> None:
            super().__init__()
            self.field = field

        @property
        def control(self) -> TransferField:
            return self.field

    def __init__(
        self,
        label: str,
        *,
        rule: InputRule,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        required: bool = False,
        checker: Callable[[str], Check] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label
        self.hint = hint
        self.required = required
        self.rule = rule
        self._checker = checker
        self._initial = value
        self._placeholder = placeholder
        self.error: str | None = None
        self.notice: str | None = None
        self._server_error: str | None = None

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield GuardedInput(
            self._initial,
            rule=self.rule,
            placeholder=self._placeholder,
            select_on_focus=False,
            classes="field-input",
        )
        yield Static(Content(self.hint), classes="field-note", markup=False)
        yield Static(Content(""), classes="field-notice", markup=False)

    def on_mount(self) -> None:
        self._refresh(self.input.value, announce=False)

    @property
    def input(self) -> Input:
        return self.query_one(".field-input", Input)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text
        self.show_notice(None)
        # Setting a value programmatically posts Input.Changed too; refresh now
        # so readers see the new state without waiting for the message.
        self._refresh(text)

    def focus(self, scroll_visible: bool = True) -> TransferField:
        self.input.focus(scroll_visible)
        return self

    def check(self, text: str) -> Check:
        """The note and problem for the current text: the `checker` given, or override."""
        if self._checker is not None:
            return self._checker(text)
        return Check()

    @property
    def missing(self) -> bool:
        return self.required and not self.input.value.strip()

    def set_server_error(self, message: str | None) -> None:
        """Show an error the API returned for this field until the text changes."""
        self._server_error = message
        self._refresh(self.input.value)

    def show_notice(self, notice: str | None) -> None:
        """Say what the input rule did with an edit (until the field is emptied or set)."""
        self.notice = notice
        line = self.query_one(".field-notice", Static)
        line.update(Content(notice or ""))
        line.set_class(bool(notice), "-shown")

    def _refresh(self, text: str, *, announce: bool = True) -> None:
        check = self.check(text)
        problem = check.problem
        if self._server_error and not problem:
            problem = self._server_error
        self.error = problem
        static = self.query_one(".field-note", Static)
        if problem:
            static.update(Content.assemble((problem, "$text-error")))
        elif check.note:
            static.update(note_content(check.note))
        else:
            static.update(Content(self.hint))
        self.set_class(bool(problem), "-invalid")
        if announce:
            self.post_message(self.Changed(self))

    def on_guarded_input_noticed(self, event: GuardedInput.Noticed) -> None:
        event.stop()
        self.show_notice(event.notice)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._server_error = None
        if not event.value:
            self.show_notice(None)
        self._refresh(event.value)
