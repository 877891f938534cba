"""A keyring backend that keeps passwords in this process's memory.

For tests and demos: `PYTHON_KEYRING_BACKEND=fintoc_tui.keyring_memory.MemoryKeyring`
makes `keyring` use it, and tests pass an instance to `CredentialStore`.
Nothing is written anywhere, so it is also safe for live keys; everything is
gone when the process ends.

Its priority is negative on purpose: `keyring` auto-selects the viable backend
with the highest priority among every imported subclass, and the "no backend"
`fail.Keyring` has priority 0. Below zero, merely importing this module can
never replace a real (or a missing) OS keyring behind the person's back; it is
used only when chosen explicitly.
"""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Passwords in a dict, per instance; thread-safe."""

    persistent = False
    """Read by `credentials`: what is saved here is gone when the process ends."""

    @properties.classproperty
    def priority(cls) -> float:
        return -1

    def __init__(self) -> None:
        super().__init__()
        self._passwords: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            self._passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            try:
                del self._passwords[(service, username)]
            except KeyError:
                raise PasswordDeleteError("Password not found") from None

    def __repr__(self) -> str:
        # Never list the stored values.
        with self._lock:
            count = len(self._passwords)
        return f"<MemoryKeyring with {count} entr{'y' if count == 1 else 'ies'}>"
