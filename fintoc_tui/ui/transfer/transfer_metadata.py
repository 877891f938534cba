"""Metadata key/value pairs for a transfer, held to Fintoc's limits as they are typed.

Limits (fintoc-api.md §4): at most 50 keys, a key up to 40 characters, a value
up to 500. Length limits are enforced by the inputs themselves (`max_length`);
the note line explains duplicates and half-filled pairs, in the core's words
(`transfer.checks.check_metadata`, the same the CLI prints).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from fintoc_tui.api.models import (
    METADATA_KEY_MAX_LENGTH,
    METADATA_MAX_KEYS,
    METADATA_VALUE_MAX_LENGTH,
)
from fintoc_tui.transfer.checks import check_metadata


class MetadataRow(Horizontal):
    DEFAULT_CSS = """
    MetadataRow { height: auto; }
    MetadataRow > .meta-key { width: 2fr; }
    MetadataRow > .meta-value { width: 3fr; }
    """

    def __init__(self, key: str = "", value: str = "") -> None:
        super().__init__()
        self._key, self._value = key, value

    def compose(self) -> ComposeResult:
        yield Input(
            self._key,
            placeholder="key",
            max_length=METADATA_KEY_MAX_LENGTH,
            classes="meta-key",
            select_on_focus=False,
        )
        yield Input(
            self._value,
            placeholder="value",
            max_length=METADATA_VALUE_MAX_LENGTH,
            classes="meta-value",
            select_on_focus=False,
        )

    @property
    def pair(self) -> tuple[str, str]:
        """(key, value) as typed; a row not composed yet holds what it was made with."""
        key, value = self.query(".meta-key"), self.query(".meta-value")
        if not key or not value:
            return self._key.strip(), self._value
        return key.first(Input).value.strip(), value.first(Input).value


class TransferMetadata(Vertical):
    """Rows of key/value inputs plus an "add a pair" button."""

    DEFAULT_CSS = """
    TransferMetadata { height: auto; }
    TransferMetadata > .field-label { padding: 0 1; color: $text-muted; }
    TransferMetadata > #meta-rows { height: auto; }
    TransferMetadata > #meta-foot { height: auto; }
    TransferMetadata #meta-add { min-width: 12; margin: 0 1; }
    TransferMetadata #meta-note { width: 1fr; padding: 1 1 0 1; color: $text-muted; }
    """

    class Changed(Message):
        def __init__(self, metadata: TransferMetadata) -> None:
            super().__init__()
            self.metadata = metadata

        @property
        def control(self) -> TransferMetadata:
            return self.metadata

    def __init__(self, pairs: dict[str, str] | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = dict(pairs or {})
        self.error: str | None = None
        self._server_error: str | None = None

    def compose(self) -> ComposeResult:
        yield Label(f"Metadata (optional, up to {METADATA_MAX_KEYS} pairs)", classes="field-label")
        with Vertical(id="meta-rows"):
            for key, value in self._initial.items() or [("", "")]:
                yield MetadataRow(key, value)
        with Horizontal(id="meta-foot"):
            yield Button("+ pair", id="meta-add", compact=True)
            yield Static(Content(""), id="meta-note", markup=False)

    def on_mount(self) -> None:
        self._refresh(announce=False)

    @property
    def rows(self) -> list[MetadataRow]:
        return list(self.query(MetadataRow))

    @property
    def pairs(self) -> dict[str, str]:
        """The filled pairs, in order (half-filled rows are reported by `error`)."""
        return {key: value for key, value in (row.pair for row in self.rows) if key and value}

    def set_pairs(self, pairs: dict[str, str]) -> None:
        rows = self.query_one("#meta-rows", Vertical)
        rows.remove_children()
        rows.mount_all([MetadataRow(k, v) for k, v in pairs.items()] or [MetadataRow()])
        self.call_after_refresh(self._refresh)

    @property
    def rows_as_typed(self) -> list[tuple[str, str]]:
        """Every row's (key, value), half-filled ones too: the core's checks need them."""
        return [row.pair for row in self.rows]

    def check(self) -> str | None:
        return check_metadata(self.rows_as_typed)

    def set_server_error(self, message: str | None) -> None:
        self._server_error = message
        self._refresh()

    def _refresh(self, *, announce: bool = True) -> None:
        self.error = self.check() or self._server_error
        count = len(self.pairs)
        note = self.query_one("#meta-note", Static)
        if self.error:
            note.update(Content.assemble((self.error, "$text-error")))
        else:
            note.update(Content(f"{count}/{METADATA_MAX_KEYS} pairs" if count else ""))
        self.query_one("#meta-add", Button).disabled = len(self.rows) >= METADATA_MAX_KEYS
        if announce:
            self.post_message(self.Changed(self))

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "meta-add":
            return
        event.stop()
        if len(self.rows) >= METADATA_MAX_KEYS:
            return
        row = MetadataRow()
        await self.query_one("#meta-rows", Vertical).mount(row)
        row.query_one(".meta-key", Input).focus()
        self._refresh()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._server_error = None
        self._refresh()
