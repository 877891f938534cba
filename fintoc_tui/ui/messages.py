"""Every message the UI's workers post, named in one place.

Workers do I/O and post these; handlers on screens update widgets. Each area
keeps its own section: append to yours, never rewrite another's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from fintoc_tui.environments import Environment


# --- Shell: environment, connection, accounts (owner: shell) -------------------------


class ConnectionChanged(Message):
    """The app applied an environment: a new client (or None) and why there is none.

    Posted by the app's connect worker; the app handles it, then publishes
    `app.client_changed_signal` so every screen can reload.
    """

    def __init__(
        self,
        environment: Environment | None,
        client: Any,
        *,
        masked_key: str = "",
        problem: str | None = None,
    ) -> None:
        super().__init__()
        self.environment = environment
        self.client = client
        self.masked_key = masked_key
        self.problem = problem


class AccountsLoaded(Message):
    """The accounts list came back (possibly empty)."""

    def __init__(self, accounts: list[Any]) -> None:
        super().__init__()
        self.accounts = accounts


class AccountsFailed(Message):
    """Loading accounts failed; `error` is a `FintocError` (never shown raw)."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class AccountDetailLoaded(Message):
    """An account's numbers and recent movements came back."""

    def __init__(self, account_numbers: list[Any], movements: list[Any]) -> None:
        super().__init__()
        self.account_numbers = account_numbers
        self.movements = movements


class AccountDetailFailed(Message):
    """Loading an account's numbers or movements failed."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class TransferFromAccount(Message):
    """"New transfer from this account": posted to the transfer mode's base screen.

    The account id is also left in `app.transfer_source_account_id` for a
    screen that mounts after the message was sent.
    """

    def __init__(self, account_id: str) -> None:
        super().__init__()
        self.account_id = account_id
