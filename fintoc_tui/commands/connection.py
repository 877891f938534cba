"""From `--env` / `--base-url` to a client: which server, which key, which JWS key.

- `sandbox`: a `fintoc-tui sandbox` child on the user's sandbox state, started
  the way the TUI starts it (`sandbox_process.SandboxProcess`) and stopped
  when the command ends; or, with `--base-url` / `FINTOC_BASE_URL`, a sandbox
  you started yourself (its printed test key; the JWS key is this machine's
  sandbox demo key unless `FINTOC_TEST_JWS_PRIVATE_KEY[_FILE]` names another).
- `test` / `live`: Fintoc (or `--base-url`), the mode's key from the
  environment, the keyring or nowhere (`credentials.CredentialStore`).
  Live is never the default.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from fintoc_tui.commands.exit_codes import ExitCode
from fintoc_tui.environments import Environment, EnvironmentName, environment_for

T = TypeVar("T")

if TYPE_CHECKING:
    import httpx

    from fintoc_tui.api.client import FintocClient, RetryPolicy
    from fintoc_tui.api.jws import JWSSigner
    from fintoc_tui.credentials import CredentialStore
    from fintoc_tui.sandbox_process import SandboxProcess

DEFAULT_ENVIRONMENT: EnvironmentName = "test"


class CommandError(Exception):
    """A problem to print on one line, with the exit status it means."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.INVALID) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def environment_name(args: argparse.Namespace) -> EnvironmentName:
    if getattr(args, "sandbox", False):
        return "sandbox"
    name: EnvironmentName = getattr(args, "env", None) or DEFAULT_ENVIRONMENT
    return name


def requested_environment(args: argparse.Namespace) -> Environment:
    """The environment and base URL asked for (a sandbox still to start has base URL "")."""
    from fintoc_tui.environments import BaseUrlError

    try:
        return environment_for(environment_name(args), getattr(args, "base_url", None))
    except BaseUrlError as exc:
        raise CommandError(f"--base-url: {exc}") from None


@dataclass
class Connection:
    """A client for one environment, and what the commands say about where it points."""

    environment: Environment
    client: FintocClient
    masked_key: str
    key_source: str
    signer: JWSSigner | None
    sandbox: SandboxProcess | None = None
    jws_source: str | None = None
    _closed: bool = field(default=False, repr=False)

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self.client.aclose()
        if self.sandbox is not None:
            self.sandbox.close()


def _no_key(environment: Environment) -> CommandError:
    upper = environment.mode.upper()
    return CommandError(
        f"no {environment.mode} secret key: set FINTOC_{upper}_SECRET_KEY, or save one in the "
        f"keyring from the app (fintoc-tui --env {environment.name}, then e); "
        "`fintoc-tui doctor` shows where keys are looked for",
        ExitCode.INVALID,
    )


def _signer(pem: bytes | str, where: str) -> JWSSigner:
    from fintoc_tui.api.jws import JWSKeyError, JWSSigner

    try:
        return JWSSigner.from_pem(pem)
    except JWSKeyError as exc:
        raise CommandError(f"the JWS private key from {where} cannot be used: {exc}") from None


def connect(
    args: argparse.Namespace,
    *,
    need_signer: bool = False,
    credentials: CredentialStore | None = None,
    retry: RetryPolicy | None = None,
    wrap_transport: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport] | None = None,
) -> Connection:
    """Open the environment `args` asks for; raises `CommandError` with what to do next.

    `need_signer` loads the JWS key (transfers); listing never signs.
    `wrap_transport` puts a layer (the batch's rate limiter) under the client.
    """
    environment = requested_environment(args)
    sandbox: SandboxProcess | None = None
    jws_pem: bytes | str | None = None
    jws_source: str | None = None
    if environment.name == "sandbox":
        from fintoc_tui.masking import mask_key

        if environment.base_url:
            from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY

            key, key_source = SANDBOX_SECRET_KEY, "the sandbox's test key"
            if need_signer:
                jws_pem, jws_source = _sandbox_jws(credentials)
        else:
            from fintoc_tui.sandbox_process import SandboxProcess, SandboxStartError

            sandbox = SandboxProcess()
            try:
                info = sandbox.wait()
            except SandboxStartError as exc:
                sandbox.close()
                raise CommandError(f"could not start the sandbox: {exc}", ExitCode.ERROR) from None
            environment = Environment(name="sandbox", base_url=info.base_url)
            key, key_source = info.secret_key, "the sandbox's test key"
            jws_pem = info.jws_private_pem()
            jws_source = "the sandbox's demo key"
        masked = mask_key(key)
    else:
        store = credentials or _credential_store()
        credential = store.secret_key(environment.mode)
        if credential is None:
            raise _no_key(environment)
        key, masked, key_source = credential.secret(), credential.masked, credential.source
        if need_signer:
            jws = store.jws_private_key(environment.mode)
            if jws is not None:
                jws_pem, jws_source = jws.secret(), jws.source
    signer = _signer(jws_pem, jws_source or "?") if need_signer and jws_pem else None
    client = _client(environment, key, signer, retry, wrap_transport)
    return Connection(
        environment=environment,
        client=client,
        masked_key=masked,
        key_source=key_source,
        signer=signer,
        sandbox=sandbox,
        jws_source=jws_source if signer is not None else None,
    )


def _credential_store() -> CredentialStore:
    from fintoc_tui.credentials import CredentialStore

    return CredentialStore()


def _sandbox_jws(credentials: CredentialStore | None) -> tuple[bytes | str | None, str | None]:
    """A sandbox you started: your test JWS key if you set one, else this machine's demo key."""
    store = credentials or _credential_store()
    jws = store.jws_private_key("test")
    if jws is not None:
        return jws.secret(), jws.source
    from fintoc_tui import paths

    path = paths.sandbox_jws_key_file()
    try:
        return path.read_bytes(), f"the sandbox demo key ({path})"
    except OSError:
        return None, None


def _client(
    environment: Environment,
    key: str,
    signer: JWSSigner | None,
    retry: RetryPolicy | None,
    wrap_transport: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport] | None,
) -> FintocClient:
    import httpx

    from fintoc_tui.api.client import FintocClient

    transport: httpx.AsyncBaseTransport | None = None
    if environment.base_url.startswith("http://"):
        # Plain HTTP on loopback: no TLS context to build.
        from fintoc_tui.api.plain_http import plain_http_transport

        transport = plain_http_transport()
    if wrap_transport is not None:
        transport = wrap_transport(transport or httpx.AsyncHTTPTransport())
    kwargs: dict[str, Any] = {}
    if retry is not None:
        kwargs["retry"] = retry
    return FintocClient(
        key, base_url=environment.base_url, jws_signer=signer, transport=transport, **kwargs
    )


def find_account(accounts: list[Any], text: str | None, *, currency: str | None = None) -> Any:
    """The account `text` names: its id, its account number (CLABE) or its description.

    With no text, the one account there is (of `currency`, if given).
    Raises `CommandError` naming the choices.
    """
    pool = [a for a in accounts if currency is None or a.currency.upper() == currency.upper()]
    if not text:
        if len(pool) == 1:
            return pool[0]
        raise CommandError(
            "choose the account the money leaves from with --from ACCOUNT: " + _choices(accounts)
        )
    wanted = text.strip()
    digits = wanted.replace(" ", "").replace("-", "")
    matchers: tuple[Callable[[Any], bool], ...] = (
        lambda a: a.id == wanted,
        lambda a: (a.root_account_number or "") == digits,
        lambda a: (a.description or "").casefold() == wanted.casefold(),
    )
    for matcher in matchers:
        found = [a for a in accounts if matcher(a)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise CommandError(f"{text!r} names more than one account: " + _choices(found))
    raise CommandError(f"no account matches {text!r}: " + _choices(accounts))


def _choices(accounts: list[Any]) -> str:
    if not accounts:
        return "this organisation has no accounts"
    return "; ".join(
        f"{a.id} ({a.description or 'no description'}, {a.currency})" for a in accounts
    )


def run_with_connection(
    args: argparse.Namespace,
    body: Callable[[Connection], Awaitable[T]],
    **connect_options: object,
) -> T:
    """Connect, run `body(connection)` on an event loop, always close (and stop a sandbox)."""

    async def main() -> T:
        connection = connect(args, **connect_options)  # type: ignore[arg-type]
        try:
            return await body(connection)
        finally:
            await connection.aclose()

    return asyncio.run(main())
