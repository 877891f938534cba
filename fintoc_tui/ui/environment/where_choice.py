"""Where a new key is kept: the OS keyring or this session only, and why one is greyed out.

Shared by the secret-key and JWS-key dialogs.
"""

from __future__ import annotations

from textual.widgets import RadioButton, RadioSet

from fintoc_tui.credentials import KeyringStatus, Mode, Where


def where_choice(mode: Mode, keyring: KeyringStatus | None) -> tuple[RadioSet, str]:
    """The keyring / this-session radio set, and a note when the keyring can't take it.

    With no keyring (or an unencrypted one, for live) the keyring option is
    disabled and "this session only" is chosen, with the reason beside it.
    """
    usable = keyring is None or (keyring.live_ok if mode == "live" else keyring.available)
    label = "OS keyring"
    if keyring is not None and keyring.available:
        label = f"OS keyring ({keyring.backend})"
        if keyring.in_memory:
            label = f"In-memory keyring ({keyring.backend}; forgotten when the app quits)"
    keyring_button = RadioButton(label, value=usable, id="where-keyring", disabled=not usable)
    session_button = RadioButton(
        "This session only (forgotten when the app quits)", value=not usable, id="where-session"
    )
    note = ""
    if keyring is not None and not usable:
        note = keyring.advice
    return RadioSet(keyring_button, session_button, id="where"), note


def chosen_where(radio_set: RadioSet) -> Where:
    pressed = radio_set.pressed_button
    return "keyring" if pressed is not None and pressed.id == "where-keyring" else "session"
