"""A labelled text field with a note line under it, for the transfer form.

Every field of the form shows its own problem right under it ("errors show at
the field"); checks that run while typing and errors that come back from the
API land in the same place. Subclasses override `check()` to turn the text
into a note; the note is a `Static` updated in place, never re-mounted.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, Static


class TransferField(Vertical):
    """Label, `Input`, and a one-line note (hint, live check or error)."""

    DEFAULT_CSS = """
    TransferField {
        height: auto;
    }
    TransferField > .field-label {
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
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        restrict: str | None = None,
        max_length: int = 0,
        required: bool = False,
        checker: Callable[[str], tuple[Content | None, str | None]] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label
        self.hint = hint
        self.required = required
        self._checker = checker
        self._initial = value
        self._placeholder = placeholder
        self._restrict = restrict
        self._max_length = max_length
        self.error: str | None = None
        self._server_error: str | None = None

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield Input(
            self._initial,
            placeholder=self._placeholder,
            restrict=self._restrict,
            max_length=self._max_length,
            select_on_focus=False,
            classes="field-input",
        )
        yield Static(Content(self.hint), classes="field-note", markup=False)

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
        # Setting a value programmatically posts Input.Changed too; refresh now
        # so readers see the new state without waiting for the message.
        self._refresh(text)

    def focus(self, scroll_visible: bool = True) -> TransferField:
        self.input.focus(scroll_visible)
        return self

    def check(self, text: str) -> tuple[Content | None, str | None]:
        """(note, problem) for the current text: the `checker` given, or override."""
        if self._checker is not None:
            return self._checker(text)
        return None, None

    @property
    def missing(self) -> bool:
        return self.required and not self.input.value.strip()

    def set_server_error(self, message: str | None) -> None:
        """Show an error the API returned for this field until the text changes."""
        self._server_error = message
        self._refresh(self.input.value)

    def _refresh(self, text: str, *, announce: bool = True) -> None:
        note, problem = self.check(text)
        if self._server_error and not problem:
            problem = self._server_error
        self.error = problem
        static = self.query_one(".field-note", Static)
        if problem:
            static.update(Content.assemble((problem, "$text-error")))
        elif note is not None:
            static.update(note)
        else:
            static.update(Content(self.hint))
        self.set_class(bool(problem), "-invalid")
        if announce:
            self.post_message(self.Changed(self))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._server_error = None
        self._refresh(event.value)
