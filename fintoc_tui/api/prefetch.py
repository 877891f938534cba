"""The sandbox's accounts, fetched with the standard library while the app loads.

`fintoc-tui --sandbox` paints its first screen, the accounts table, from
this: the request goes out on a thread as soon as the sandbox child has
announced itself, while Textual is still importing, and neither httpx nor
pydantic is needed for it (together ~250 ms of imports, the largest part of
start-up). The real client is built after the first frame and lists the
accounts again; the screen then swaps these display-only snapshots for
validated `Account` models.

Only the sandbox is prefetched: its key is known before the app starts and
it is plain HTTP on loopback. Usually not even that: when the sandbox's state
file can answer for it (`sandbox.state_peek`), the accounts are read from the
file before the child starts, and `AccountsPrefetch.settled` carries them. The parser is strict and all-or-nothing:
anything unexpected (an error status, a next page, a field of the wrong
type, a number with a fraction) makes the prefetch unusable, and the app
simply shows its loading state and waits for the client, as it would
without a prefetch. It never guesses.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from fintoc_tui import USER_AGENT

ACCOUNTS_PATH = "/v2/accounts?limit=300"


class PrefetchUnusable(ValueError):
    """The response is not something the first paint may show; the client decides instead."""


class SandboxAddress(Protocol):
    @property
    def base_url(self) -> str: ...
    @property
    def secret_key(self) -> str: ...


@dataclass(frozen=True)
class EntitySnapshot:
    holder_name: str | None = None


@dataclass(frozen=True)
class AccountSnapshot:
    """The fields of an account the accounts table shows, read off the wire as they are."""

    id: str
    description: str | None
    available_balance: int
    currency: str
    status: str
    is_root: bool = False
    root_account_number: str | None = None
    entity: EntitySnapshot | None = None


def _field(record: dict[str, Any], name: str, kind: type, *, optional: bool = False) -> Any:
    value = record.get(name)
    if value is None and optional:
        return None
    # bool is an int subclass: a balance of `true` is not a balance.
    if type(value) is not kind:
        raise PrefetchUnusable(f"account field {name!r} is not a {kind.__name__}")
    return value


def _refuse_fraction(text: str) -> Any:
    raise PrefetchUnusable(f"a number with a fraction ({text}) in the accounts list")


def parse_accounts(body: bytes) -> list[AccountSnapshot]:
    """The accounts in a `GET /v2/accounts` body; `PrefetchUnusable` on anything unexpected."""
    try:
        data = json.loads(body, parse_float=_refuse_fraction, parse_constant=_refuse_fraction)
    except ValueError as error:  # includes PrefetchUnusable
        raise PrefetchUnusable(str(error)) from None
    if not isinstance(data, list):
        raise PrefetchUnusable("the accounts list is not a JSON array")
    accounts = []
    for record in data:
        if not isinstance(record, dict):
            raise PrefetchUnusable("an account is not a JSON object")
        entity = record.get("entity")
        if entity is not None and not isinstance(entity, dict):
            raise PrefetchUnusable("an account's entity is not a JSON object")
        accounts.append(
            AccountSnapshot(
                id=_field(record, "id", str),
                description=_field(record, "description", str, optional=True),
                available_balance=_field(record, "available_balance", int),
                currency=_field(record, "currency", str),
                status=_field(record, "status", str),
                is_root=bool(_field(record, "is_root", bool, optional=True)),
                root_account_number=_field(record, "root_account_number", str, optional=True),
                entity=EntitySnapshot(_field(entity, "holder_name", str, optional=True))
                if entity is not None
                else None,
            )
        )
    return accounts


def has_next_page(link_header: str | None) -> bool:
    """True when the `Link` header points at another page (§7: empty on the last one)."""
    return link_header is not None and 'rel="next"' in link_header.replace(" ", "")


def fetch_accounts(
    base_url: str, secret_key: str, *, timeout: float = 5.0
) -> list[AccountSnapshot]:
    """`GET /v2/accounts` over plain HTTP on a socket; every account, or `PrefetchUnusable`.

    Written on a bare socket rather than `http.client`: that module imports
    the `email` package and a dozen more (~20 ms of the import-bound start-up,
    measured), for one request to our own sandbox. The request asks the
    server to close the connection, so the body is all that follows the
    headers; anything but a plain `200` with a matching `Content-Length` is
    unusable, and the real client (httpx) decides instead.
    """
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(base_url)
    if url.scheme != "http" or not url.hostname or not url.port:
        raise PrefetchUnusable("only a plain-HTTP sandbox with a port is prefetched")
    host = f"[{url.hostname}]" if ":" in url.hostname else url.hostname
    request = (
        f"GET {url.path.rstrip('/')}{ACCOUNTS_PATH} HTTP/1.1\r\n"
        f"Host: {host}:{url.port}\r\n"
        f"Authorization: {secret_key}\r\n"
        "Accept: application/json\r\n"
        f"User-Agent: {USER_AGENT}\r\n"
        "Connection: close\r\n\r\n"
    ).encode("ascii")
    chunks = []
    try:
        with socket.create_connection((url.hostname, url.port), timeout=timeout) as sock:
            sock.sendall(request)
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    except (OSError, UnicodeEncodeError) as error:
        raise PrefetchUnusable(f"no answer from the sandbox ({type(error).__name__})") from None
    status, headers, body = split_response(b"".join(chunks))
    if status != 200:
        raise PrefetchUnusable(f"the sandbox answered {status}")
    if has_next_page(headers.get("link")):
        raise PrefetchUnusable("more accounts than one page")
    return parse_accounts(body)


def split_response(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """(status, lower-cased headers, body) of a complete HTTP/1.1 response, or `PrefetchUnusable`."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if not separator or len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise PrefetchUnusable("the sandbox's answer is not an HTTP response")
    if not parts[1].isdigit():
        raise PrefetchUnusable(f"the sandbox's status line is {lines[0]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon:
            raise PrefetchUnusable("a malformed header in the sandbox's answer")
        headers[name.strip().lower()] = value.strip()
    if "transfer-encoding" in headers:
        raise PrefetchUnusable("a chunked answer (this reader only takes Content-Length)")
    length = headers.get("content-length", "")
    if not length.isdigit() or int(length) != len(body):
        raise PrefetchUnusable("the sandbox's answer was cut short or has no Content-Length")
    return int(parts[1]), headers, body


class AccountsPrefetch:
    """Fetches the sandbox's accounts on a daemon thread, once `address()` is known.

    `address` blocks until the sandbox has announced itself (it runs on the
    prefetch thread, never the UI's). `accounts` is the result once `done`:
    the snapshots, or None when the prefetch could not be used (`problem`
    says why, for the debug log; the app then behaves as if there were none).
    """

    def __init__(self, address: Callable[[], SandboxAddress], *, timeout: float = 5.0) -> None:
        self._address = address
        self._timeout = timeout
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._callbacks: list[Callable[[list[AccountSnapshot] | None], None]] = []
        self.accounts: list[AccountSnapshot] | None = None
        self.problem: str | None = None
        threading.Thread(target=self._run, name="accounts-prefetch", daemon=True).start()

    @classmethod
    def settled(cls, accounts: list[AccountSnapshot]) -> AccountsPrefetch:
        """A prefetch already done with `accounts` (read from the sandbox's state file)."""
        prefetch = cls.__new__(cls)
        prefetch._lock = threading.Lock()
        prefetch._done = threading.Event()
        prefetch._done.set()
        prefetch._callbacks = []
        prefetch.accounts = accounts
        prefetch.problem = None
        return prefetch

    def _run(self) -> None:
        try:
            address = self._address()
            self.accounts = fetch_accounts(
                address.base_url, address.secret_key, timeout=self._timeout
            )
        except Exception as error:  # a prefetch never fails the app: it is only unused
            self.problem = str(error) or type(error).__name__
        with self._lock:
            self._done.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(self.accounts)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> list[AccountSnapshot] | None:
        """Block until done (tests, and threads that may block); the accounts or None."""
        self._done.wait(timeout)
        return self.accounts

    def when_done(self, callback: Callable[[list[AccountSnapshot] | None], None]) -> None:
        """Call `callback(accounts)` once done: now if it is, else on the prefetch thread."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(callback)
                return
        callback(self.accounts)
