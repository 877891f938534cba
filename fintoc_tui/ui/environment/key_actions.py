"""What the environment screen's thread workers do with keys: save, delete, store a JWS pair.

Each function blocks (the keyring may), runs on a worker thread, and returns
the message for the screen to handle: `CredentialSaved` with a masked note,
or `CredentialFailed` with a sentence. Nothing here holds on to a secret.
`check_connection` asks Fintoc who a key belongs to, with a throwaway client
for an environment not in use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from fintoc_tui.credentials import CredentialError, CredentialStore, Kind, Mode
from fintoc_tui.masking import mask_key
from fintoc_tui.ui import messages
from fintoc_tui.ui.environment.card_state import describe_check_problem, jws_fingerprint

if TYPE_CHECKING:
    from fintoc_tui.api.client import EnvironmentInfo, FintocClient
    from fintoc_tui.ui.environment.jws_dialog import JWSRequest
    from fintoc_tui.ui.environment.key_dialog import KeyEntry
    from fintoc_tui.ui.shell.connection import ClientFactory
    from fintoc_tui.ui.shell.sandbox_link import SandboxInfo

Outcome = messages.CredentialSaved | messages.CredentialFailed


class NotReady(Exception):
    """Nothing to check yet (no key, sandbox not running); the text says what to do."""


def where_text(store: CredentialStore, where: str) -> str:
    """Where a key was saved, in words (the in-memory keyring says it forgets)."""
    if where == "session":
        return "this session only"
    status = store.last_status
    if status is None:
        return "the keyring"
    if status.in_memory:
        return f"the in-memory keyring ({status.backend}; gone when the app quits)"
    return f"the keyring ({status.backend})"


def save_secret_key(store: CredentialStore, mode: Mode, entry: KeyEntry) -> Outcome:
    try:
        effective = store.set_secret_key(mode, entry.value, entry.where)
    except CredentialError as error:
        return messages.CredentialFailed(mode, "secret_key", str(error))
    where = where_text(store, entry.where)
    note = f"{mode.upper()} secret key {mask_key(entry.value)} saved to {where}."
    warning = None
    if effective.origin != entry.where:
        warning = f"{effective.source} still takes precedence over it."
    return messages.CredentialSaved(mode, "secret_key", note, warning=warning)


def delete_key(store: CredentialStore, mode: Mode, kind: Kind) -> Outcome:
    label = "secret key" if kind == "secret_key" else "JWS private key"
    try:
        remaining = store.delete(kind, mode)
    except CredentialError as error:
        return messages.CredentialFailed(mode, kind, str(error))
    warning = f"{remaining} still provides one; unset it to remove it." if remaining else None
    note = f"{mode.upper()} {label} deleted from the keyring and this session."
    return messages.CredentialSaved(mode, kind, note, warning=warning)


def store_jws_key(
    store: CredentialStore,
    mode: Mode,
    request: JWSRequest,
    make_pair: Callable[[], tuple[bytes, bytes]] | None,
) -> Outcome | messages.JWSKeyGenerated:
    """Import the PEM in `request`, or generate a pair (public half saved beside the data)."""
    from fintoc_tui import paths
    from fintoc_tui.api.jws import fingerprint, generate_keypair

    try:
        if request.action == "generate":
            private_pem, public_pem = (make_pair or generate_keypair)()
            effective = store.set_jws_private_key(mode, private_pem, request.where)
            path = paths.data_dir() / f"jws_public_key_{mode}.pem"
            path.write_bytes(public_pem)
            return messages.JWSKeyGenerated(
                mode,
                public_pem.decode(),
                str(path),
                fingerprint(public_pem),
                where_text(store, request.where),
            )
        assert request.pem is not None
        effective = store.set_jws_private_key(mode, request.pem, request.where)
    except CredentialError as error:
        return messages.CredentialFailed(mode, "jws_private_key", str(error))
    except OSError as error:
        problem = f"The public key could not be saved ({error.strerror})."
        return messages.CredentialFailed(mode, "jws_private_key", problem)
    where = where_text(store, request.where)
    note = f"{mode.upper()} JWS key {jws_fingerprint(effective.secret())} saved to {where}."
    warning = None
    if effective.origin != request.where:
        warning = f"{effective.source} still takes precedence over it."
    return messages.CredentialSaved(mode, "jws_private_key", note, warning=warning)


async def check_connection(
    name: str,
    *,
    client: FintocClient | None,
    credentials: Callable[[], CredentialStore],
    sandbox: SandboxInfo | None,
    client_factory: ClientFactory,
) -> messages.EnvironmentChecked:
    """Who the key of `name` belongs to: with `client` (the one in use) or a throwaway one."""
    try:
        info: EnvironmentInfo
        if client is not None:
            info = await client.whoami()
        else:
            throwaway = await asyncio.to_thread(
                client_for, name, credentials, sandbox=sandbox, client_factory=client_factory
            )
            try:
                info = await throwaway.whoami()
            finally:
                await throwaway.aclose()
    except NotReady as reason:
        return messages.EnvironmentChecked(name, problem=str(reason))
    except Exception as error:
        problem = describe_check_problem(error, name.upper())
        return messages.EnvironmentChecked(name, problem=problem)
    return messages.EnvironmentChecked(name, info=info)


def client_for(
    name: str,
    credentials: Callable[[], CredentialStore],
    *,
    sandbox: SandboxInfo | None,
    client_factory: ClientFactory,
) -> FintocClient:
    """A throwaway client for a check of an environment not in use (blocking: a thread)."""
    from fintoc_tui.environments import fintoc_environment, sandbox_environment
    from fintoc_tui.ui.shell.connection import server_for

    if name == "sandbox":
        if sandbox is None:
            raise NotReady("The sandbox is not running. Press u to start it and use it.")
        environment = sandbox_environment(sandbox.base_url)
        return client_factory(environment, sandbox.secret_key, sandbox.jws_private_pem())
    mode: Mode = "live" if name == "live" else "test"
    store = credentials()
    credential = store.secret_key(mode)
    if credential is None:
        status = store.last_status
        where = (
            f"no OS keyring here, so set FINTOC_{name.upper()}_SECRET_KEY or press k to "
            "keep one for this session"
            if status is not None and not status.available
            else "press k to add one"
        )
        raise NotReady(f"No {name.upper()} secret key is set: {where}.")
    try:
        jws = store.jws_private_key(mode)
    except CredentialError:
        jws = None
    pem = jws.secret().encode() if jws is not None else None
    return client_factory(server_for(fintoc_environment(mode)), credential.secret(), pem)
