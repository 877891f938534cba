"""How the app gets its API client: find the key and server, or the sandbox, then build the client.

`connect` is what the app's connect worker runs (on a thread: the keyring
may block, the sandbox may still be booting); `default_client_factory` and
`LazySigner` build a real client without loading cryptography before the
first signature. Kept apart from the app, which holds the state and decides
what to do with the answer (`messages.ConnectionChanged`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fintoc_tui.environments import (
    FINTOC_BASE_URL,
    Environment,
    environment_for,
    sandbox_environment,
)
from fintoc_tui.masking import mask_key
from fintoc_tui.ui import messages

if TYPE_CHECKING:
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.api.jws import JWSSigner
    from fintoc_tui.clock import Clock
    from fintoc_tui.credentials import CredentialStore, Mode
    from fintoc_tui.ui.shell.problems import Problem
    from fintoc_tui.ui.shell.sandbox_link import SandboxInfo

ClientFactory = Callable[[Environment, str, "bytes | None"], "FintocClient"]
"""`(environment, secret_key, jws_private_pem) -> FintocClient`; tests pass one on ASGI."""


def connect(
    environment: Environment,
    *,
    credentials: Callable[[], CredentialStore],
    sandbox: Callable[[], SandboxInfo],
    client_factory: ClientFactory,
) -> messages.ConnectionChanged:
    """The client for `environment`, or why there is none (blocking: call it on a thread).

    The sandbox brings its own key; test and live read theirs from the
    credential store (environment variables, then the keyring).
    """
    from fintoc_tui.ui.shell import problems

    try:
        # Import the client stack (httpx, pydantic) while the sandbox boots.
        import fintoc_tui.api.client  # noqa: F401

        if environment.name == "sandbox":
            info = sandbox()
            environment = sandbox_environment(info.base_url)
            key, pem = info.secret_key, info.jws_private_pem()
        else:
            environment = server_for(environment)
            store = credentials()
            credential = store.secret_key(environment.mode)
            if credential is None:
                problem = problems.no_key(environment.label)
                return messages.ConnectionChanged(environment, None, problem=problem)
            key = credential.secret()
            pem = _jws_pem(store, environment.mode)
        client = client_factory(environment, key, pem)
        return messages.ConnectionChanged(environment, client, masked_key=mask_key(key))
    except Exception as error:
        problem = _setup_problem(error) or problems.describe(error, environment.label)
        return messages.ConnectionChanged(environment, None, problem=problem)


def _jws_pem(store: CredentialStore, mode: Mode) -> bytes | None:
    """The JWS key, or None when it cannot be read now (a keyring that does not answer).

    Reading accounts and history needs no signature, so the secret key alone
    connects; the environment screen shows why the JWS key is missing, and
    sending refuses or is refused as unsigned (`transfer/send_advice`).
    """
    from fintoc_tui.credentials import CredentialError

    try:
        jws = store.jws_private_key(mode)
    except CredentialError:
        return None
    return jws.secret().encode() if jws is not None else None


def _setup_problem(error: Exception) -> Problem | None:
    """A key, keyring or base-URL problem in the words of the code that found it.

    Their messages name the variable or keyring entry and never hold a secret;
    `problems.describe` would call them "something went wrong".
    """
    from fintoc_tui.credentials import CredentialError
    from fintoc_tui.environments import BaseUrlError
    from fintoc_tui.ui.shell.problems import Problem, sentence

    if isinstance(error, CredentialError):
        advice = error.advice or (
            "Fix or unset the variable it names, or replace the key on the environment screen (e)."
        )
        return Problem(sentence(error.message), advice, "credentials")
    if isinstance(error, BaseUrlError):
        title = sentence(f"FINTOC_BASE_URL is not usable: {error}")
        return Problem(
            title, "Fix or unset FINTOC_BASE_URL, then start fintoc-tui again.", "config"
        )
    return None


def server_for(environment: Environment) -> Environment:
    """Test or live at `FINTOC_BASE_URL` when it is set (a local sandbox, a proxy).

    Only Fintoc's own address is replaced: an environment built with another
    URL keeps it. Raises `BaseUrlError` for a URL a key must not travel to.
    """
    if environment.name == "sandbox" or environment.base_url != FINTOC_BASE_URL:
        return environment
    return environment_for(environment.name)


def default_client_factory(
    environment: Environment, secret_key: str, jws_private_pem: bytes | None
) -> FintocClient:
    """A real client over the network; tests pass one with an ASGI transport."""
    from fintoc_tui.api.client import FintocClient

    signer = LazySigner(jws_private_pem) if jws_private_pem else None
    transport = None
    if environment.name == "sandbox" and environment.base_url.startswith("http://"):
        from fintoc_tui.api.plain_http import plain_http_transport

        # Plain HTTP on loopback: no TLS, so no SSL context (30-50 ms on the
        # way to the first paint with its CAs, 0.5 MiB held without them).
        transport = plain_http_transport()
    return FintocClient(
        secret_key, base_url=environment.base_url, jws_signer=signer, transport=transport
    )


class LazySigner:
    """A JWS signer that loads `cryptography` on the first signature, not at start-up.

    Listing accounts never signs; importing cryptography costs ~100 ms on the
    path to the first paint.
    """

    def __init__(self, pem: bytes) -> None:
        self._pem = pem
        self._signer: JWSSigner | None = None

    def sign(self, body: bytes, clock: Clock | None = None) -> str:
        """Same signature as `JWSSigner.sign`: the client passes its clock for `ts`."""
        if self._signer is None:
            from fintoc_tui.api.jws import JWSSigner

            self._signer = JWSSigner.from_pem(self._pem)
        return self._signer.sign(body, clock)

    def __repr__(self) -> str:
        return "LazySigner(<private key>)"
