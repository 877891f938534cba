"""An async client for Fintoc's Transfers API v2 that can be trusted with money.

- One `httpx.AsyncClient` (one connection pool) per `FintocClient`; the
  transport is injectable so tests talk to the sandbox in process.
- `FintocAuth` sets `Authorization` and, for a POST with a body, the
  `Fintoc-JWS-Signature` at the moment the request goes out, over the exact
  body bytes, so every attempt carries a fresh signature.
- GETs retry connect errors, timeouts, 5xx, 429 (honouring `Retry-After`)
  and answers that are not Fintoc's, with capped exponential backoff and
  jitter. Money-moving POSTs retry only with the same `Idempotency-Key`;
  when retries run out after an attempt that may have reached Fintoc, the
  caller gets `OutcomeUnknownError`, never a plain failure.
- Only Fintoc can say no. A success is Fintoc's when it is a 2xx with a JSON
  content type; an error is Fintoc's when `errors.fintoc_error_envelope`
  says so. Anything else (a proxy's HTML 403, a load balancer's 408, nginx's
  499, a 302 to a login page) may have come after the request passed on to
  Fintoc, so for a POST it makes the attempt ambiguous, even the first one:
  the request left this machine and we cannot know where it stopped.
  Redirects are never followed.

The retry loop is hand-written rather than taken from tenacity or a retrying
transport: a transport-level retry would resend the already signed request
(the nonce is single-use, so Fintoc refuses it), and "was any attempt
ambiguous?" is state that has to survive across attempts to tell unknown from
failed.

Long module: one client with its retry, signing and paging hooks; each endpoint
is a few lines on top of them.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import json
import random
import sys
import uuid
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Hashable,
    Iterator,
    Sequence,
)
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Generic, Protocol, TypeVar, cast


def _import_httpx_without_its_cli() -> None:
    """Import httpx without `httpx._main`, its command-line tool.

    `import httpx` imports `httpx._main` (click, pygments, rich.progress and
    rich.syntax) whenever those are installed, ~50-70 ms that nothing here
    uses, on the way to the app's first paint. A `None` entry in `sys.modules`
    makes that import raise ImportError, which httpx catches by design (it
    then offers a stub `httpx.main`); the entry is removed right after, so an
    explicit `import httpx._main` elsewhere still works.
    """
    # This runs once, at import, before any test: mutmut ties tests to the functions
    # they call, so it cannot judge this one. tests/api/test_import_cost.py checks it
    # in a fresh interpreter (tried by hand: the `not in`, `is not None` and `= ""`
    # mutants fail it). Turning `or` into `and` is equivalent: httpx._main is never
    # loaded without httpx, and with httpx loaded the import below is a no-op.
    # pragma: no mutate block
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    sys.modules["httpx._main"] = None  # type: ignore[assignment]
    try:
        import httpx  # noqa: F401
    finally:
        if sys.modules.get("httpx._main", 0) is None:
            del sys.modules["httpx._main"]


_import_httpx_without_its_cli()

import httpx  # noqa: E402
from pydantic import SecretStr, TypeAdapter, ValidationError  # noqa: E402

from fintoc_tui import USER_AGENT  # noqa: E402
from fintoc_tui.api.account_number_models import (  # noqa: E402
    AccountNumberCreateRequest,
    AccountNumberUpdateRequest,
    ManagedAccountNumber,
)
from fintoc_tui.api.errors import (  # noqa: E402
    FintocError,
    NetworkError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    error_from_response,
    is_json_content_type,
    refused_before_idempotency,
)
from fintoc_tui.api.models import (  # noqa: E402
    Account,
    AccountNumber,
    Movement,
    ReturnTransferRequest,
    SimulateReceiveTransferRequest,
    Transfer,
    TransferRequest,
)
from fintoc_tui.api.own_context import OwnContextAsyncClient  # noqa: E402
from fintoc_tui.api.receipt_models import TransferReceipt  # noqa: E402
from fintoc_tui.api.statement_models import AccountStatement  # noqa: E402
from fintoc_tui.api.verification_models import (  # noqa: E402
    AccountVerification,
    AccountVerificationRequest,
)
from fintoc_tui.api.whoami_models import WhoAmI  # noqa: E402
from fintoc_tui.clock import Clock, SystemClock, isoformat_z  # noqa: E402
from fintoc_tui.environments import FINTOC_BASE_URL  # noqa: E402
from fintoc_tui.masking import mask_key  # noqa: E402

__all__ = [
    "DEFAULT_TIMEOUT",
    "EnvironmentInfo",
    "FintocAuth",
    "FintocClient",
    "Page",
    "RetryPolicy",
    "return_body",
]

T = TypeVar("T")
DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0)

# Errors where the request certainly never reached the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)

# Header names, named once. They are case-insensitive (RFC 9110 §5.1); kept at module level,
# where mutmut does not mutate, so no equivalent "same name, other case" mutants arise.
_AUTHORIZATION = "Authorization"
_JWS_SIGNATURE = "Fintoc-JWS-Signature"
_USER_AGENT = "User-Agent"
_ACCEPT = "Accept"
_CONTENT_TYPE = "Content-Type"
_IDEMPOTENCY_KEY = "Idempotency-Key"
_RETRY_AFTER = "Retry-After"
_LOCATION = "Location"
_JSON = "application/json"
_PDF = "application/pdf"

# What each money-moving path makes, for the words of `OutcomeUnknownError`.
_MAKES = {
    "/v2/transfers": "transfer",
    "/v2/transfers/return": "return",
    "/v2/simulate/receive_transfer": "simulated inbound transfer",
    "/v2/account_verifications": "account verification",
}


class _Signer(Protocol):
    """What the client needs from `api.jws.JWSSigner`."""

    def sign(self, body: bytes, clock: Clock | None = None) -> str: ...


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. `max_attempts` counts the first attempt."""

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 30.0
    seed: int | None = None

    def delay(self, retry_number: int, rng: random.Random) -> float:
        """Equal-jitter exponential backoff: half fixed, half random, capped."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (retry_number - 1))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list; `next_url` continues it (None on the last page)."""

    items: list[T]
    next_url: str | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class EnvironmentInfo:
    """What the environment screen shows: `GET /v1/whoami` (where Fintoc has it), `GET /v2/accounts`."""

    organization: str | None
    mode: str | None
    account_count: int
    more_accounts: bool
    accounts: list[Account] = field(default_factory=list)
    api_version: str | None = None
    """The organisation's pinned API version, from `/v1/whoami` (None without it)."""


class FintocAuth(httpx.Auth):
    """Authenticates and signs each request as it goes out."""

    # Have httpx load the body before auth_flow runs, so the signature always
    # covers the bytes that are actually sent.
    requires_request_body = True

    def __init__(
        self, secret_key: SecretStr, signer: _Signer | None, clock: Clock | None = None
    ) -> None:
        self._secret_key = secret_key
        self._signer = signer
        self._clock = clock

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[_AUTHORIZATION] = self._secret_key.get_secret_value()
        # Every body this client sends is a POST's; the official SDKs sign any POST/PATCH
        # with a body, and Fintoc accepts a signature where none is needed.
        if self._signer is not None and request.method == "POST" and request.content:
            signature = self._signer.sign(request.content, self._clock)
            request.headers[_JWS_SIGNATURE] = signature
        yield request

    def __repr__(self) -> str:
        return "FintocAuth(secret_key=SecretStr('**********'))"


def return_body(transfer_id: str) -> bytes:
    """The exact body of `POST /v2/transfers/return` (the journal stores it)."""
    return ReturnTransferRequest(transfer_id=transfer_id).to_body()


def _parse_retry_after(value: str | None, now: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def _timestamp(value: datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return isoformat_z(value)


#: One status, or several of which any may match.
Statuses = str | Sequence[str]


def _status_params(status: Statuses | None) -> dict[str, str | list[str]]:
    """The `status` filter as the client sends it.

    One status goes as `status=succeeded` (seen working on the wire). Several
    go as `status[]=a&status[]=b`: Fintoc documents the filter as an array but
    not its query syntax (UNKNOWN), and this is how its Rails API reads an
    array; the sandbox also takes `status=a,b` and a repeated `status=`, and
    the live contract suite (tests/contract) reports which forms Fintoc takes.
    """
    if status is None:
        return {}
    given = [status] if isinstance(status, str) else status
    values = list(dict.fromkeys(str(value) for value in given if value))
    if not values:
        return {}
    if len(values) == 1:
        return {"status": values[0]}
    return {"status[]": values}


@functools.cache
def _adapter(tp: Any) -> TypeAdapter[Any]:
    """One validator per model, built on first use (models defer their build)."""
    return TypeAdapter(tp)


class FintocClient:
    """Async Fintoc v2 client. Use `async with FintocClient(...)` or call `aclose()`."""

    def __init__(
        self,
        secret_key: SecretStr | str,
        *,
        base_url: str = FINTOC_BASE_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        jws_signer: _Signer | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        clock: Clock | None = None,
    ) -> None:
        self._secret_key = (
            secret_key if isinstance(secret_key, SecretStr) else SecretStr(secret_key)
        )
        self.base_url = base_url.removesuffix("/")
        self.retry = retry or RetryPolicy()
        self._rng = random.Random(self.retry.seed)
        self._sleep = sleep
        self._clock = clock or SystemClock()
        self._http = OwnContextAsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            auth=FintocAuth(self._secret_key, jws_signer, clock),
            headers={_USER_AGENT: USER_AGENT, _ACCEPT: _JSON},
            # Never follow a redirect: it is not Fintoc's answer, and a 307 would re-send
            # the signed body and the key elsewhere. False is httpx's default too, which
            # makes the mutants that drop it equivalent; True fails the redirect tests.
            follow_redirects=False,  # pragma: no mutate
        )
        self.has_signer = jws_signer is not None

    def __repr__(self) -> str:
        return (
            f"FintocClient(base_url={self.base_url!r}, "
            f"secret_key={mask_key(self._secret_key)!r}, "
            f"signed={self.has_signer})"
        )

    async def __aenter__(self) -> FintocClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def mode(self) -> str | None:
        """`test` or `live`, as the key says (None for an unrecognised key)."""
        key = self._secret_key.get_secret_value()
        for mode in ("test", "live"):
            if key.startswith(f"sk_{mode}_"):
                return mode
        return None

    # -- transport with retries ------------------------------------------------

    def _url(self, path_or_url: str) -> str:
        """Keep every request on our base URL.

        `Link` headers are absolute; we follow only their path and query, so a
        server (or proxy) naming another host can never make us send the key there.
        """
        return httpx.URL(path_or_url).raw_path.decode()  # the path and query, no host

    def _error(self, response: httpx.Response) -> FintocError:
        headers = response.headers
        return error_from_response(
            response.status_code,
            response.content,
            content_type=headers.get(_CONTENT_TYPE),
            retry_after=_parse_retry_after(headers.get(_RETRY_AFTER), self._clock.time()),
            location=headers.get(_LOCATION),
        )

    async def _backoff(self, retry_number: int, error: FintocError | None) -> None:
        delay = self.retry.delay(retry_number, self._rng)
        if error is not None and error.retry_after is not None:  # 429, or a 503 that says
            delay = min(self.retry.max_retry_after, max(delay, error.retry_after))
        await self._sleep(delay)

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        """GET with retries on anything transient; raises the last error.

        An answer that is not Fintoc's (an HTML 502 from a proxy, a redirect)
        is retried like a 5xx and ends as `UnexpectedResponseError`.
        """
        url = self._url(path)
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        return await self._retrying(lambda: self._http.get(url, params=clean or None))

    async def _retrying(self, send: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
        """`send()` until Fintoc answers success; retries what is transient, raises the rest.

        Only for requests that are safe to repeat: reads, and changes that
        carry one idempotency key on every attempt. (Money has its own loop,
        `_post_signed`, which must tell "refused" from "unknown".)
        """
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await send()
            except httpx.RequestError as exc:
                error: FintocError = NetworkError(_network_message(exc))
            else:
                if _is_fintoc_success(response):
                    return response
                error = self._error(response)
                if not isinstance(error, RateLimitError | ServerError | UnexpectedResponseError):
                    raise error
            if attempt >= self.retry.max_attempts:
                raise error
            await self._backoff(attempt, error)

    async def _post_money(self, path: str, body: bytes, idempotency_key: str) -> Transfer:
        """`_post_signed`, read as the transfer it made."""
        response = await self._post_signed(path, body, idempotency_key)
        return self._parse_money(response, idempotency_key)

    async def _post_signed(self, path: str, body: bytes, idempotency_key: str) -> httpx.Response:
        """POST that moves money: same key, fresh signature, unknown when unsure.

        Returns Fintoc's first success. Raises a definite `FintocError` only
        for Fintoc's own refusal (and, after an ambiguous attempt, only one
        Fintoc makes after its idempotency lookup); a bare `NetworkError` only
        when no attempt got past connecting; `OutcomeUnknownError` whenever
        Fintoc may have acted. An attempt is ambiguous when the connection
        broke after sending, Fintoc failed (5xx), or the answer was not
        Fintoc's; a redirect is never followed and is such an answer.
        """
        headers = {_CONTENT_TYPE: _JSON, _IDEMPOTENCY_KEY: idempotency_key}
        ambiguous = False  # pragma: no mutate (its mutant None is just as false)
        attempt = 0
        while True:
            attempt += 1
            try:
                # A new Request each attempt; FintocAuth signs it as it is sent.
                response = await self._http.post(path, content=body, headers=headers)
            except _NOT_SENT as exc:
                error: FintocError = NetworkError(_network_message(exc))
            except httpx.RequestError as exc:
                # Sent, or maybe sent: a broken connection, a timeout, an answer
                # whose body could not even be decoded.
                ambiguous = True
                error = NetworkError(_network_message(exc))
            else:
                if _is_fintoc_success(response):
                    return response
                error = self._error(response)
                if isinstance(error, ServerError | UnexpectedResponseError):
                    # Fintoc may have committed before failing, or something in
                    # between answered after passing the request on.
                    ambiguous = True
                elif not isinstance(error, RateLimitError):
                    if ambiguous and refused_before_idempotency(error):
                        raise _unknown(idempotency_key, error, path) from error
                    raise error
            if attempt >= self.retry.max_attempts:
                if ambiguous:
                    raise _unknown(idempotency_key, error, path) from error
                raise error
            await self._backoff(attempt, error)

    # -- parsing -------------------------------------------------------------------

    def _parse(self, response: httpx.Response, tp: type[T]) -> T:
        try:
            # `cast` does nothing at run time: its mutants (`cast(None, ...)`) are equivalent.
            adapter = _adapter(cast(Hashable, tp))  # pragma: no mutate
            return cast(T, adapter.validate_json(response.content))  # pragma: no mutate
        except ValidationError as exc:
            raise UnexpectedResponseError(
                f"Fintoc answered {response.request.method} {response.request.url.path} "
                f"with a body this app does not understand ({exc.error_count()} problems).",
                status=response.status_code,
            ) from None

    def _page(self, response: httpx.Response, model: type[T]) -> Page[T]:
        items = self._parse(response, list[model])  # type: ignore[valid-type]
        link = response.links.get("next")
        next_url = link.get("url") if link else None
        return Page(items=items, next_url=next_url or None)

    async def _list_page(
        self, path: str, model: type[T], params: dict[str, Any], next_url: str | None
    ) -> Page[T]:
        """The first page (`path` and `params`) or the one `next_url` names."""
        # The next URL carries every filter already; the params only start a list.
        response = await (self._get(next_url) if next_url else self._get(path, params))
        return self._page(response, model)

    async def _iterate(
        self, path: str, model: type[T], params: dict[str, Any] | None = None
    ) -> AsyncIterator[T]:
        page = self._page(await self._get(path, params), model)
        while True:
            for item in page.items:
                yield item
            if not page.next_url:
                return
            page = self._page(await self._get(page.next_url), model)

    # -- accounts ------------------------------------------------------------------

    async def list_accounts_page(
        self, *, limit: int | None = None, next_url: str | None = None
    ) -> Page[Account]:
        return await self._list_page("/v2/accounts", Account, {"limit": limit}, next_url)

    async def list_accounts(self) -> list[Account]:
        """Every account (follows pages)."""
        return [account async for account in self._iterate("/v2/accounts", Account)]

    async def get_account(self, account_id: str) -> Account:
        return self._parse(await self._get(f"/v2/accounts/{_segment(account_id)}"), Account)

    async def whoami(self) -> EnvironmentInfo:
        """Organisation, mode, pinned API version and accounts.

        `GET /v1/whoami` first (Fintoc's CLI asks it; not in the public
        docs); where it is a 404, the organisation is the root entity's
        holder on the accounts, as before, and the version is unknown.
        """
        who = await self._whoami_or_none()
        page = await self.list_accounts_page(limit=300)
        accounts = page.items
        # The organisation is the root entity's holder; without a root account, the first.
        holder = next((a for a in accounts if a.is_root), accounts[0] if accounts else None)
        entity = holder.entity if holder is not None else None
        organization = entity.holder_name if entity is not None else None
        mode = holder.mode if holder is not None else self.mode
        return EnvironmentInfo(
            organization=(who.organization_label if who else None) or organization,
            mode=(who.key_mode if who else None) or mode,
            account_count=len(accounts),
            more_accounts=page.next_url is not None,
            accounts=list(accounts),
            api_version=who.pinned_api_version if who else None,
        )

    async def _whoami_or_none(self) -> WhoAmI | None:
        """`/v1/whoami`, or None where it does not exist (404) or says nothing this app reads."""
        try:
            return self._parse(await self._get("/v1/whoami"), WhoAmI)
        except (NotFoundError, UnexpectedResponseError):
            return None

    check = whoami

    # -- account numbers and movements --------------------------------------------------

    async def list_account_numbers_page(
        self,
        *,
        account_id: str | None = None,
        limit: int | None = None,
        next_url: str | None = None,
    ) -> Page[AccountNumber]:
        params = {"account_id": account_id, "limit": limit}
        return await self._list_page("/v2/account_numbers", AccountNumber, params, next_url)

    async def list_account_numbers(self, *, account_id: str | None = None) -> list[AccountNumber]:
        params = {"account_id": account_id}
        return [n async for n in self._iterate("/v2/account_numbers", AccountNumber, params)]

    @staticmethod
    def _movement_params(
        direction: str | None,
        since: datetime | str | None,
        until: datetime | str | None,
        resource_id: str | None,
        limit: int | None,
    ) -> dict[str, Any]:
        return {
            "direction": str(direction) if direction is not None else None,
            "since": _timestamp(since),
            "until": _timestamp(until),
            "resource_id": resource_id,
            "limit": limit,
        }

    async def list_movements_page(
        self,
        account_id: str,
        *,
        direction: str | None = None,
        since: datetime | str | None = None,
        until: datetime | str | None = None,
        resource_id: str | None = None,
        limit: int | None = None,
        next_url: str | None = None,
    ) -> Page[Movement]:
        """One page of an account's movements, newest first.

        `since` / `until` bound `transaction_date` (inclusive); `resource_id`
        picks the movements of one transfer (its arrival, a return, money given back).
        """
        path = f"/v2/accounts/{_segment(account_id)}/movements"
        params = self._movement_params(direction, since, until, resource_id, limit)
        return await self._list_page(path, Movement, params, next_url)

    def iter_movements(
        self,
        account_id: str,
        *,
        direction: str | None = None,
        since: datetime | str | None = None,
        until: datetime | str | None = None,
        resource_id: str | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[Movement]:
        """Every matching movement across all pages (`limit` is the page size)."""
        path = f"/v2/accounts/{_segment(account_id)}/movements"
        params = self._movement_params(direction, since, until, resource_id, limit)
        return self._iterate(path, Movement, params)

    async def list_movements(
        self,
        account_id: str,
        *,
        direction: str | None = None,
        since: datetime | str | None = None,
        until: datetime | str | None = None,
        resource_id: str | None = None,
        limit: int | None = None,
    ) -> list[Movement]:
        """Every matching movement of an account (`limit` is the page size)."""
        movements = self.iter_movements(
            account_id,
            direction=direction,
            since=since,
            until=until,
            resource_id=resource_id,
            limit=limit,
        )
        return [m async for m in movements]

    # -- account numbers: create, update, delete (issue 14) ----------------------------

    async def _change(self, method: str, path: str, body: bytes | None) -> httpx.Response:
        """A POST, PATCH or DELETE that changes an object, retried safely.

        Every attempt carries one idempotency key, so a retry after a timeout
        or a 5xx cannot make a second account number; what is refused is
        raised as Fintoc's error.
        """
        headers = {_IDEMPOTENCY_KEY: str(uuid.uuid4())}
        if body is not None:
            headers[_CONTENT_TYPE] = _JSON
        return await self._retrying(
            lambda: self._http.request(method, path, content=body, headers=headers)
        )

    async def list_account_number_details(
        self, *, account_id: str | None = None, no_transfers_since: date | str | None = None
    ) -> list[ManagedAccountNumber]:
        """Every account number with its options; `no_transfers_since` keeps the quiet ones."""
        since = no_transfers_since
        params = {
            "account_id": account_id,
            "no_transfers_since": since.isoformat() if isinstance(since, date) else since,
        }
        path = "/v2/account_numbers"
        return [n async for n in self._iterate(path, ManagedAccountNumber, params)]

    async def create_account_number(
        self, request: AccountNumberCreateRequest
    ) -> ManagedAccountNumber:
        response = await self._change("POST", "/v2/account_numbers", request.to_body())
        return self._parse(response, ManagedAccountNumber)

    async def update_account_number(
        self, number_id: str, request: AccountNumberUpdateRequest
    ) -> ManagedAccountNumber:
        """Sends only the fields set on `request` (a field set to None clears it)."""
        body = json.dumps(
            request.model_dump(mode="json", exclude_unset=True),
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        path = f"/v2/account_numbers/{_segment(number_id)}"
        return self._parse(await self._change("PATCH", path, body), ManagedAccountNumber)

    async def set_account_number_enabled(
        self, number_id: str, enabled: bool
    ) -> ManagedAccountNumber:
        status = "enabled" if enabled else "disabled"
        return await self.update_account_number(
            number_id, AccountNumberUpdateRequest(status=status)
        )

    async def delete_account_number(self, number_id: str) -> ManagedAccountNumber:
        """For good; Fintoc refuses a root number (the error says so)."""
        path = f"/v2/account_numbers/{_segment(number_id)}"
        return self._parse(await self._change("DELETE", path, None), ManagedAccountNumber)

    # -- statements (issue 14) -------------------------------------------------------------

    async def list_account_statements(
        self,
        account_id: str,
        *,
        since: date | str | None = None,
        until: date | str | None = None,
    ) -> list[AccountStatement]:
        """Monthly statements, newest first; `since` / `until` pick them by period."""
        params = {
            "since": since.isoformat() if isinstance(since, date) else since,
            "until": until.isoformat() if isinstance(until, date) else until,
        }
        path = f"/v2/accounts/{_segment(account_id)}/account_statements"
        return [s async for s in self._iterate(path, AccountStatement, params)]

    async def download_account_statement(self, statement: AccountStatement) -> bytes:
        """The statement's PDF from its signed `download_url`, fetched WITHOUT the API key.

        The link is a storage URL on another host; the key is never sent there.
        """
        url = httpx.URL(statement.download_url)
        if url.scheme not in ("https", "http"):
            raise UnexpectedResponseError("The statement's download link is not a web address.")
        try:
            response = await self._http.get(url, auth=None, headers={_ACCEPT: "application/pdf"})
        except httpx.RequestError as exc:
            raise NetworkError(_network_message(exc)) from None
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            raise UnexpectedResponseError(
                f"The statement's PDF could not be downloaded (HTTP {response.status_code}); "
                "its link may have expired: list the statements again for a fresh one.",
                status=response.status_code,
            )
        return response.content

    # -- transfers -----------------------------------------------------------------------

    @staticmethod
    def _transfer_params(
        account_id: str | None,
        account_number_id: str | None,
        transfer_batch_id: str | None,
        direction: str | None,
        status: Statuses | None,
        since: datetime | str | None,
        until: datetime | str | None,
        limit: int | None,
    ) -> dict[str, Any]:
        return {
            "account_id": account_id,
            "account_number_id": account_number_id,
            "transfer_batch_id": transfer_batch_id,
            "direction": str(direction) if direction is not None else None,
            **_status_params(status),
            "since": _timestamp(since),
            "until": _timestamp(until),
            "limit": limit,
        }

    async def list_transfers_page(
        self,
        *,
        account_id: str | None = None,
        account_number_id: str | None = None,
        transfer_batch_id: str | None = None,
        direction: str | None = None,
        status: Statuses | None = None,
        since: datetime | str | None = None,
        until: datetime | str | None = None,
        limit: int | None = 30,
        next_url: str | None = None,
    ) -> Page[Transfer]:
        """One page, newest first; pass the returned `next_url` back for the next.

        `status` may be one status or several (any of them matches).
        """
        params = self._transfer_params(
            account_id, account_number_id, transfer_batch_id, direction, status, since, until, limit
        )
        return await self._list_page("/v2/transfers", Transfer, params, next_url)

    def iter_transfers(
        self,
        *,
        account_id: str | None = None,
        account_number_id: str | None = None,
        transfer_batch_id: str | None = None,
        direction: str | None = None,
        status: Statuses | None = None,
        since: datetime | str | None = None,
        until: datetime | str | None = None,
        limit: int | None = 100,
    ) -> AsyncIterator[Transfer]:
        """Every matching transfer across all pages (`limit` is the page size)."""
        params = self._transfer_params(
            account_id, account_number_id, transfer_batch_id, direction, status, since, until, limit
        )
        return self._iterate("/v2/transfers", Transfer, params)

    async def get_transfer(self, transfer_id: str) -> Transfer:
        return self._parse(await self._get(f"/v2/transfers/{_segment(transfer_id)}"), Transfer)

    async def create_transfer(
        self, request: TransferRequest | bytes, *, idempotency_key: str
    ) -> Transfer:
        """Create a transfer; safe to call again with the same key and body.

        `request` may be the exact body bytes (the journal re-sends those).
        Raises `OutcomeUnknownError` when it cannot tell whether money moved.
        """
        body = request if isinstance(request, bytes) else request.to_body()
        return await self._post_money("/v2/transfers", body, idempotency_key)

    async def return_transfer(self, transfer_id: str, *, idempotency_key: str) -> Transfer:
        """Return an inbound transfer (money goes back to the sender)."""
        body = return_body(transfer_id)
        return await self._post_money("/v2/transfers/return", body, idempotency_key)

    def _parse_money(self, response: httpx.Response, idempotency_key: str) -> Transfer:
        try:
            return self._parse(response, Transfer)
        except UnexpectedResponseError as exc:
            # A success we cannot read: it may well have moved money.
            raise OutcomeUnknownError(
                "The outcome is unknown: a success came back but its body is not a transfer "
                "this app can read. Send it again with the same idempotency key to find out; "
                "that cannot make it twice.",
                idempotency_key=idempotency_key,
                last_error=exc,
            ) from None

    async def simulate_receive_transfer(
        self, request: SimulateReceiveTransferRequest, *, idempotency_key: str | None = None
    ) -> Transfer:
        """Test mode only: make an inbound transfer arrive."""
        body = request.to_body()
        key = idempotency_key or str(uuid.uuid4())
        return await self._post_money("/v2/simulate/receive_transfer", body, key)

    # -- receipts and account verifications -----------------------------------------------

    async def get_transfer_receipt(self, transfer_id: str) -> TransferReceipt:
        """The signed, expiring link to a settled transfer's PDF receipt (additions §2)."""
        response = await self._get(f"/v2/transfers/{_segment(transfer_id)}/receipt")
        return self._parse(response, TransferReceipt)

    async def download_receipt(self, receipt: TransferReceipt) -> bytes:
        """The PDF behind a receipt's signed link.

        The link is a storage URL on another host, so it is fetched without
        the API key (the signature in it is the permission); one attempt, as
        an expired link needs a new receipt, not a retry. Anything but a PDF
        is refused, so an error page is never saved as a receipt.
        """
        url = receipt.download_url
        if url is None:
            raise UnexpectedResponseError(
                "Fintoc's receipt answer holds no link to download; ask for it again later.",
                status=200,
            )
        try:
            response = await self._http.get(url, auth=None, headers={_ACCEPT: _PDF})
        except httpx.RequestError as exc:
            raise NetworkError(_network_message(exc)) from None
        if response.is_success and response.content.startswith(b"%PDF-"):
            return response.content
        if response.is_success:
            raise UnexpectedResponseError(
                "The receipt link answered with something that is not a PDF; "
                "ask for the receipt again.",
                status=response.status_code,
            )
        error = self._error(response)
        if isinstance(error, UnexpectedResponseError):  # a storage host's own error page
            raise UnexpectedResponseError(
                f"The receipt link answered HTTP {response.status_code} (it may have expired); "
                "ask for the receipt again for a fresh link.",
                status=response.status_code,
            )
        raise error

    async def create_account_verification(
        self, account_number: str, *, idempotency_key: str
    ) -> AccountVerification:
        """Verify a CLABE: Fintoc sends it 0.01 MXN from the root account (signed, idempotent).

        Raises `OutcomeUnknownError` when it cannot tell whether the centavo left.
        """
        body = AccountVerificationRequest(account_number=account_number).to_body()
        response = await self._post_signed("/v2/account_verifications", body, idempotency_key)
        try:
            return self._parse(response, AccountVerification)
        except UnexpectedResponseError as exc:
            raise OutcomeUnknownError(
                "The outcome is unknown: a success came back but its body is not an account "
                "verification this app can read. Send it again with the same idempotency key "
                "to find out; that cannot make it twice.",
                idempotency_key=idempotency_key,
                last_error=exc,
            ) from None

    async def get_account_verification(self, verification_id: str) -> AccountVerification:
        response = await self._get(f"/v2/account_verifications/{_segment(verification_id)}")
        return self._parse(response, AccountVerification)

    async def list_account_verifications_page(
        self,
        *,
        since: datetime | str | None = None,
        limit: int | None = None,
        next_url: str | None = None,
    ) -> Page[AccountVerification]:
        params = {"since": _timestamp(since), "limit": limit}
        return await self._list_page(
            "/v2/account_verifications", AccountVerification, params, next_url
        )


def _segment(value: str) -> str:
    """An id as one path segment; refuses anything that would change the path."""
    if not value or any(ch in value for ch in "/?#%") or value in {".", ".."}:
        raise ValueError("not a valid Fintoc id")
    return value


def _is_fintoc_success(response: httpx.Response) -> bool:
    """A 2xx in JSON; a captive portal's `200 text/html` is no success of Fintoc's."""
    return response.is_success and is_json_content_type(response.headers.get(_CONTENT_TYPE))


# Why a money-moving POST ended unknown, by what the last attempt got (first match wins).
_WHY_UNKNOWN: tuple[tuple[type[FintocError], str], ...] = (
    (NetworkError, "The connection failed after the request could have reached Fintoc."),
    (
        UnexpectedResponseError,
        "The answer did not come from Fintoc, so it says nothing about what Fintoc did.",
    ),
    (ServerError, "Fintoc answered with a server error, which can come after it acted."),
    (RateLimitError, "Fintoc asked to slow down, and an earlier attempt may have reached it."),
    (
        FintocError,  # `refused_before_idempotency`: a 401, or an IP-allowlist 403
        "Fintoc refused the credentials on a retry, which says nothing of the earlier attempt.",
    ),
)

# A sentence per transport failure (first match wins: the timeouts before their bases).
_NETWORK_MESSAGES: tuple[tuple[type[httpx.RequestError], str], ...] = (
    (httpx.ConnectTimeout, "Timed out connecting to Fintoc."),
    (httpx.ReadTimeout, "Timed out waiting for Fintoc's answer."),
    (httpx.WriteTimeout, "Timed out sending the request to Fintoc."),
    (httpx.PoolTimeout, "Timed out waiting for a free connection."),
    (httpx.ConnectError, "Could not connect to Fintoc."),
    (httpx.RemoteProtocolError, "The connection to Fintoc broke mid-answer."),
    (httpx.ReadError, "The connection to Fintoc broke while reading the answer."),
    (httpx.WriteError, "The connection to Fintoc broke while sending."),
    (httpx.DecodingError, "The answer could not be decoded (its compression was broken)."),
)


def _unknown(idempotency_key: str, error: FintocError, path: str) -> OutcomeUnknownError:
    why = next(text for cls, text in _WHY_UNKNOWN if isinstance(error, cls))
    return OutcomeUnknownError(
        f"The outcome is unknown: Fintoc may or may not have made this {_MAKES[path]}. "
        f"{why} Send it again with the same idempotency key to find out; "
        "that cannot make it twice.",
        idempotency_key=idempotency_key,
        last_error=error,
    )


def _network_message(exc: httpx.RequestError) -> str:
    for cls, text in _NETWORK_MESSAGES:
        if isinstance(exc, cls):
            return text
    return f"Network problem talking to Fintoc ({type(exc).__name__})."
