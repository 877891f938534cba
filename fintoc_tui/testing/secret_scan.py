"""Check a picture of the app (an SVG) for the secrets it was made with.

Snapshots and screenshots are committed, and the README shows the
screenshots: a key or a PEM in one would be published. A `SecretLedger` is
told every secret a picture's app could reach (the keys it was given, what
its credential store handed out or was asked to save, what its clients were
built with), and `leaks(svg)` names, masked, each one the picture shows: a
secret key in full or its body without the prefix, or any 16 characters of a
private key's base64 body. Whoever made them, an unmasked `sk_test_…` /
`sk_live_…` key and PEM private-key armour count too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import SecretStr

if TYPE_CHECKING:
    from fintoc_tui.credentials import Credential, CredentialStore, Kind, Mode, Where

Secret = str | bytes | SecretStr | None
Factory = TypeVar("Factory", bound=Callable[..., Any])

#: A secret key with characters of its body right after the prefix (a mask has "…" there).
UNMASKED_KEY = re.compile(r"sk_(?:test|live)_[A-Za-z0-9_-]{8,}")
PRIVATE_ARMOUR = re.compile(r"PRIVATE KEY-----")
KEY_PREFIXES = ("sk_test_", "sk_live_")
MIN_BODY = 12
"""Shorter text (a refused entry, a key's body) is not searched: it occurs by chance."""
WINDOW, STEP = 16, 8
"""Any run of 23+ characters of a PEM body on screen contains one whole window."""

_STYLE = re.compile(r"<style.*?</style>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_ARMOUR_LINE = re.compile(r"-----[A-Z ]+-----")


def svg_text(svg: str) -> str:
    """The characters a picture shows (its <text> runs, joined), without markup or CSS."""
    return html.unescape(_TAG.sub("", _STYLE.sub("", svg))).replace("\xa0", " ")


def _plain(value: Secret) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return value or ""


def _pem_body(pem: str) -> str:
    """The base64 between the armour lines, on one line (`\\n`-escaped PEMs too)."""
    return "".join(_ARMOUR_LINE.sub("", pem.replace("\\n", "\n")).split())


def _public_body(pem: str) -> str:
    """The base64 of the public half: a private key's DER repeats the modulus, which
    may line up with the public key a dialog rightly shows."""
    try:
        from fintoc_tui.api.jws import public_pem_from_private

        return _pem_body(public_pem_from_private(pem.replace("\\n", "\n")).decode())
    except (ValueError, TypeError):
        return ""


def _needles(secret: str) -> list[str]:
    """What of `secret` must not be on screen."""
    if "-----BEGIN" in secret:
        body, public = _pem_body(secret), _public_body(secret)
        windows = (body[i : i + WINDOW] for i in range(0, len(body) - WINDOW + 1, STEP))
        return [window for window in windows if window not in public]
    bodies = [secret.removeprefix(prefix) for prefix in KEY_PREFIXES]
    return [text for text in {secret, *bodies} if len(text) >= MIN_BODY]


def _masked(key: str) -> str:
    """`sk_test_…gD3g`, made here: the scan must not trust the `mask_key` it checks."""
    return f"{key[:8]}…{key[-4:]}"


def _label(secret: str) -> str:
    """How a finding names the secret: never the secret itself."""
    if "-----BEGIN" in secret:
        return f"the private key PEM ({len(_pem_body(secret))} base64 characters)"
    return f"the secret key {_masked(secret)}"


class SecretInPicture(AssertionError):
    """A picture shows a secret; the message names it masked."""


class SecretLedger:
    """Every secret one picture's app could reach, and the check of the picture."""

    def __init__(self) -> None:
        self._secrets: dict[str, list[str]] = {}
        """Each secret, and what of it must not be on screen."""
        self._watched: set[int] = set()

    def __len__(self) -> int:
        return len(self._secrets)

    def add(self, *values: Secret) -> None:
        for value in values:
            text = _plain(value).strip()
            if text and text not in self._secrets:
                self._secrets[text] = _needles(text)

    def watch_store(self, store: CredentialStore) -> CredentialStore:
        """Record each key `store` hands out or is asked to save, from now on."""
        if id(store) in self._watched:
            return store
        self._watched.add(id(store))
        get, put = store.get, store.set

        def recording_get(kind: Kind, mode: Mode) -> Credential | None:
            credential = get(kind, mode)
            if credential is not None:
                self.add(credential.value)
            return credential

        def recording_set(
            kind: Kind, mode: Mode, value: str | bytes | SecretStr, where: Where
        ) -> Credential:
            self.add(value)
            return put(kind, mode, value, where)

        store.get = recording_get  # type: ignore[method-assign]
        store.set = recording_set  # type: ignore[method-assign]
        return store

    def watch_factory(self, factory: Factory) -> Factory:
        """`factory(environment, secret_key, jws_private_pem)`, recording both secrets."""
        if getattr(factory, "_ledger", None) is self:
            return factory

        def recording(environment: Any, secret_key: str, jws_private_pem: bytes | None) -> Any:
            self.add(secret_key, jws_private_pem)
            return factory(environment, secret_key, jws_private_pem)

        recording._ledger = self  # type: ignore[attr-defined]
        return recording  # type: ignore[return-value]

    def watch_app(self, app: Any) -> None:
        """Everything a `FintocApp` not yet running was given: its store, factory and sandbox."""
        self.watch_store(app.credentials)
        app.client_factory = self.watch_factory(app.client_factory)
        sandbox = app.sandbox_info
        if sandbox is not None:
            self.add(sandbox.secret_key, sandbox.jws_private_pem())

    def leaks(self, svg: str) -> list[str]:
        """What the picture shows that it must not, each named without the secret."""
        found: list[str] = []
        for text in (svg_text(svg), html.unescape(svg)):
            for secret, needles in self._secrets.items():
                if any(needle in text for needle in needles):
                    found.append(_label(secret))
            found += [f"an unmasked key {_masked(m)}" for m in UNMASKED_KEY.findall(text)]
            if PRIVATE_ARMOUR.search(text):
                found.append("private key armour (PRIVATE KEY-----)")
        return sorted(set(found))

    def check(self, svg: str, picture: str) -> None:
        """Raise `SecretInPicture` if `svg` shows a secret; a ledger that knows none
        proves nothing, so that is refused too."""
        if not self._secrets:
            raise SecretInPicture(
                f"{picture}: no secrets were recorded, so the scan proves nothing"
            )
        leaks = self.leaks(svg)
        if leaks:
            raise SecretInPicture(f"{picture} shows {', '.join(leaks)}")
