"""The app's one `TransferSubmitter`, shared by the confirm, result and recovery screens.

A service, not a screen: each of those screens asks here instead of asking
another screen. One submitter per app, rebuilt when the client or the
environment changes; the journal file is opened once, off the event loop
(it is SQLite with fsync).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from fintoc_tui.api.submit import TransferSubmitter
    from fintoc_tui.ui.shell.app import FintocApp

_SUBMITTERS: WeakKeyDictionary[FintocApp, TransferSubmitter] = WeakKeyDictionary()


async def transfer_submitter(app: FintocApp) -> TransferSubmitter:
    """The app's `TransferSubmitter` for its current client and environment."""
    from fintoc_tui.api.errors import NetworkError
    from fintoc_tui.api.submit import TransferSubmitter
    from fintoc_tui.journal import Journal

    client = app.client
    environment = app.environment
    if client is None or environment is None:
        raise NetworkError("Not connected: there is no API client for this environment.")
    name = environment.name
    cached = _SUBMITTERS.get(app)
    if cached is not None and cached.client is client and cached.environment_name == name:
        return cached
    journal = cached.journal if cached is not None else await asyncio.to_thread(Journal)
    new_key = app.idempotency_keys
    if new_key is not None:
        submitter = TransferSubmitter(client, journal, name, new_key=new_key)
    else:
        submitter = TransferSubmitter(client, journal, name)
    _SUBMITTERS[app] = submitter
    return submitter
