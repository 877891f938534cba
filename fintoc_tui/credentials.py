# Long module: one store, one lookup order (env, keyring, session) for two kinds of key in
# two modes, plus the keyring's timeout and the errors a person reads; the parts share state.
"""Where the secret key and the JWS private key come from, per mode.

Each mode (`test`, `live`) has two slots: the API secret key and the JWS
private key (RSA, PEM). A slot is filled from the first of these that has a
value — the order is part of the contract and is shown in `docs/keys.md`:

1. **Environment variables** (read each time, never written):
   - secret key: `FINTOC_TEST_SECRET_KEY` / `FINTOC_LIVE_SECRET_KEY`, then the
     generic `FINTOC_SECRET_KEY` (as fintoc-cli uses it), which fills whichever
     slot its prefix names (`sk_test_…` → test, `sk_live_…` → live).
   - JWS key: `FINTOC_TEST_JWS_PRIVATE_KEY` (PEM text), then
     `FINTOC_TEST_JWS_PRIVATE_KEY_FILE` (a path); same with `LIVE`; then the
     generic `FINTOC_JWS_PRIVATE_KEY` and `FINTOC_JWS_PRIVATE_KEY_FILE`, which
     fill both modes (a JWS key is not tied to a mode).
2. **The OS keyring**, service `fintoc-tui`, user names `test/secret_key`,
   `live/secret_key`, `test/jws_private_key`, `live/jws_private_key`.
3. **This session only**: process memory, gone when the app quits.

Keyring calls can block forever (a locked keyring waiting on a prompt), so
every one runs on a daemon thread and is abandoned after `timeout` seconds
with `KeyringTimeout`; callers run the store from workers, never the UI
thread. With no keyring backend (headless Linux) nothing fails: lookups skip
the keyring, `keyring_status()` says what to do, env vars and session memory
keep working. Live secrets are never written to a plaintext keyring backend.
Secrets are `SecretStr`; reprs, logs and exception texts show only
`mask_key` output.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from pydantic import SecretStr

from fintoc_tui.masking import KEY_BODY as _KEY_BODY
from fintoc_tui.masking import mask_key

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "fintoc-tui"
DEFAULT_TIMEOUT = 2.0

Mode = Literal["test", "live"]
Kind = Literal["secret_key", "jws_private_key"]
Where = Literal["keyring", "session"]
Origin = Literal["env", "keyring", "session"]
MODES: tuple[Mode, ...] = ("test", "live")

SECRET_PREFIX: dict[str, str] = {"test": "sk_test_", "live": "sk_live_"}
GENERIC_SECRET_ENV = "FINTOC_SECRET_KEY"
GENERIC_JWS_ENV = "FINTOC_JWS_PRIVATE_KEY"
SESSION_SOURCE = "this session only"

MIN_RSA_BITS = 2048
_SECRET_PREFIXES = tuple(SECRET_PREFIX.values())

NO_KEYRING_ADVICE = (
    "No OS keyring is available, so keys cannot be saved between runs. "
    "Set them in environment variables (FINTOC_TEST_SECRET_KEY, FINTOC_LIVE_SECRET_KEY, "
    "FINTOC_TEST_JWS_PRIVATE_KEY_FILE, FINTOC_LIVE_JWS_PRIVATE_KEY_FILE) or keep them for "
    "this session only. To save them, install and unlock a Secret Service "
    "(gnome-keyring, KeePassXC) or choose a backend with PYTHON_KEYRING_BACKEND."
)
TIMEOUT_ADVICE = (
    "The keyring did not answer in time; it may be locked and waiting for a password "
    "prompt. Unlock it and try again, or use environment variables or this-session-only "
    "storage meanwhile."
)
PLAINTEXT_ADVICE = (
    "This keyring backend stores secrets unencrypted on disk, so live keys are not saved "
    "in it. Use a Secret Service or the macOS/Windows keychain, environment variables, "
    "or keep the live key for this session only."
)


# --- errors -----------------------------------------------------------------


class CredentialError(Exception):
    """A problem with a key, phrased for a person; never contains a secret."""

    def __init__(self, message: str, advice: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.advice = advice

    def __str__(self) -> str:
        return f"{self.message} {self.advice}".strip()


class KeyPrefixError(CredentialError, ValueError):
    """A secret key that does not belong in the slot it was given for."""


class InvalidPrivateKey(CredentialError, ValueError):
    """Text that is not a usable RSA private key in PEM form."""


class KeyringUnavailable(CredentialError):
    """There is no usable OS keyring (no backend, disabled, or locked)."""


class KeyringTimeout(CredentialError):
    """A keyring call did not return within the store's timeout."""


class KeyringFailure(CredentialError):
    """The keyring backend raised an error of its own."""


class PlaintextKeyringRefused(CredentialError):
    """A live secret would have been written to an unencrypted keyring."""


# --- values -----------------------------------------------------------------


def validate_secret_key(mode: Mode, value: str | SecretStr) -> str:
    """The key, stripped, if it fits the `mode` slot; else `KeyPrefixError`."""
    text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
    text = text.strip()
    want = SECRET_PREFIX[mode]
    if not text:
        raise KeyPrefixError(f"No key given. A {mode} secret key starts with {want}.")
    if text.startswith(("pk_test_", "pk_live_")):
        raise KeyPrefixError(
            f"That is a public key ({text[:8]}…). Paste the secret key, which starts with {want}."
        )
    other: Mode = "live" if mode == "test" else "test"
    if text.startswith(SECRET_PREFIX[other]):
        raise KeyPrefixError(
            f"That is a {other} key ({mask_key(text)}); the {mode} slot takes keys that "
            f"start with {want}."
        )
    if not text.startswith(want):
        raise KeyPrefixError(f"A Fintoc {mode} secret key starts with {want}; this one does not.")
    if not _KEY_BODY.fullmatch(text[len(want) :]):
        raise KeyPrefixError(
            "A Fintoc secret key has only letters, digits, '_' and '-' after its prefix; "
            "check what was pasted."
        )
    return text


def validate_jws_private_key(pem: str | bytes | SecretStr) -> str:
    """The PEM text if it is an unencrypted RSA private key of ≥2048 bits.

    Accepts PKCS#1 and PKCS#8, and the `\\n`-escaped one-line form `.env`
    files often hold. Raises `InvalidPrivateKey` saying what is wrong.
    """
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    if isinstance(pem, SecretStr):
        pem = pem.get_secret_value()
    text = pem.decode(errors="replace") if isinstance(pem, bytes) else pem
    # The one-line form .env files hold; a PEM itself never has a backslash.
    text = text.strip().replace("\\n", "\n")
    if "-----BEGIN" not in text:
        raise InvalidPrivateKey("That is not a PEM file (no -----BEGIN line).")
    if "PUBLIC KEY-----" in text and "PRIVATE KEY-----" not in text:
        raise InvalidPrivateKey(
            "That is a public key. fintoc-tui needs the private key; the public one is "
            "what you upload to the Fintoc dashboard."
        )
    if "ENCRYPTED" in text:
        raise InvalidPrivateKey(
            "That private key is encrypted with a passphrase. Decrypt it first: "
            "openssl pkey -in key.pem -out key-plain.pem"
        )
    try:
        key = load_pem_private_key(text.encode(), password=None)
    except (ValueError, TypeError):
        raise InvalidPrivateKey("That PEM could not be read as a private key.") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise InvalidPrivateKey("Fintoc signs with RS256, so the JWS key must be an RSA key.")
    if key.key_size < MIN_RSA_BITS:
        raise InvalidPrivateKey(
            f"That RSA key has {key.key_size} bits; Fintoc needs at least {MIN_RSA_BITS}."
        )
    return text + "\n"


@dataclass(frozen=True, repr=False)
class Credential:
    """A secret and where it came from (`source`, shown to the person)."""

    value: SecretStr
    source: str
    kind: Kind = "secret_key"
    mode: Mode = "test"
    origin: Origin = "session"

    @property
    def masked(self) -> str:
        if self.kind == "jws_private_key":
            return "RSA private key"
        return mask_key(self.value)

    def secret(self) -> str:
        """The raw value, for the one place that needs it (the HTTP client)."""
        return self.value.get_secret_value()

    def __repr__(self) -> str:
        return (
            f"Credential(kind={self.kind!r}, mode={self.mode!r}, value={self.masked!r}, "
            f"source={self.source!r})"
        )

    __str__ = __repr__


@dataclass(frozen=True)
class KeyringStatus:
    """What the keyring can do right now, for the environment screen."""

    available: bool
    backend: str
    advice: str = ""
    plaintext: bool = False
    problem: str | None = None
    in_memory: bool = False
    """Keys saved there live only in this process (a backend with `persistent = False`)."""
    timed_out_after: float | None = None
    """The timeout (s) a call gave up after, when the keyring did not answer."""

    @property
    def live_ok(self) -> bool:
        """Whether live keys may be saved in it."""
        return self.available and not self.plaintext

    @property
    def summary(self) -> str:
        if not self.available:
            return self.problem or "no keyring"
        if self.plaintext:
            return f"keyring ({self.backend}, unencrypted: test keys only)"
        return f"keyring ({self.backend})"


# --- backend introspection --------------------------------------------------


def backend_name(backend: object) -> str:
    """`SecretService`, `macOS`, `WinVaultKeyring`, `MemoryKeyring`…"""
    cls = type(backend)
    if cls.__name__ == "Keyring":
        return cls.__module__.rpartition(".")[2]
    return cls.__name__


def _members(backend: KeyringBackend) -> tuple[KeyringBackend, ...]:
    """Every backend a `set_password` may land in, in the order it is tried.

    A chainer tries each of its backends until one accepts (the first may
    refuse with NotImplementedError), so any of them can end up holding a
    key; keyrings.alt's multipart wrapper stores through the one it wraps.
    `fail` and `null` backends hold nothing and are left out.
    """
    from keyring.backends import chainer, fail, null

    chained = backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]
    members = [_unwrap(member) for member in chained]
    return tuple(m for m in members if not isinstance(m, fail.Keyring | null.Keyring))


def _unwrap(backend: KeyringBackend) -> KeyringBackend:
    try:
        from keyrings.alt.multi import MultipartKeyringWrapper
    except ImportError:  # keyrings.alt is optional: without it there is no wrapper
        return backend
    while isinstance(backend, MultipartKeyringWrapper):
        backend = backend._keyring
    return backend


def is_plaintext(backend: object) -> bool:
    """Whether `backend` writes secrets to disk unencrypted, judged by its type.

    keyrings.alt's file backends all derive from `file_base.Keyring`; only
    the ones that mix in `file.Encrypted` encrypt (with a password). Any
    other file-backed keyring, `PlaintextKeyring` or a subclass whatever its
    name, is plaintext. Without keyrings.alt installed there is none.
    """
    try:
        from keyrings.alt.file import Encrypted
        from keyrings.alt.file_base import Keyring as FileKeyring
    except ImportError:
        return False
    return isinstance(backend, FileKeyring) and not isinstance(backend, Encrypted)


def _classify(backend: KeyringBackend) -> KeyringStatus:
    from keyring.backends import null

    members = _members(backend)
    if not members:
        if isinstance(backend, null.Keyring):
            return KeyringStatus(
                False,
                "null",
                NO_KEYRING_ADVICE,
                problem="The keyring is switched off (null backend).",
            )
        return KeyringStatus(
            False,
            "none",
            NO_KEYRING_ADVICE,
            problem="No OS keyring backend is available on this machine.",
        )
    name = " + ".join(backend_name(member) for member in members)
    if any(is_plaintext(member) for member in members):
        return KeyringStatus(True, name, PLAINTEXT_ADVICE, plaintext=True)
    in_memory = not any(getattr(member, "persistent", True) for member in members)
    return KeyringStatus(True, name, in_memory=in_memory)


# --- the store --------------------------------------------------------------

T = TypeVar("T")


def _account(kind: Kind, mode: Mode) -> str:
    return f"{mode}/{kind}"


def _env_label(name: str, value: str) -> str:
    """`env FINTOC_TEST_SECRET_KEY`, or for a file variable also the file it names."""
    if name.endswith("_FILE"):
        return f"env {name} ({Path(value).expanduser()})"
    return f"env {name}"


class CredentialStore:
    """Keys per mode from env vars, the OS keyring, or this session's memory.

    Every method may call the keyring and so may block for up to `timeout`
    seconds: call them from a worker thread, never from the UI thread.
    """

    def __init__(
        self,
        keyring_backend: KeyringBackend | None = None,
        *,
        keyring: KeyringBackend | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        # `keyring=` is the spelling in ARCHITECTURE.md; both are accepted.
        self._backend: KeyringBackend | None = keyring_backend or keyring
        self._env: Mapping[str, str] = os.environ if env is None else env
        self.timeout = timeout
        self._session: dict[tuple[Kind, Mode], str] = {}
        self._session_lock = threading.Lock()
        self._keyring_lock = threading.Lock()
        self._stuck: threading.Thread | None = None
        self.last_status: KeyringStatus | None = None

    def __repr__(self) -> str:
        backend = backend_name(self._backend) if self._backend is not None else "default"
        with self._session_lock:
            count = len(self._session)
        return f"<CredentialStore keyring={backend} timeout={self.timeout:g}s session={count}>"

    # -- the keyring, behind a timeout ---------------------------------------

    def _resolve(self) -> KeyringBackend:
        if self._backend is None:
            import keyring as keyring_module

            self._backend = keyring_module.get_keyring()
        return self._backend

    def _call(self, action: str, fn: Callable[[KeyringBackend], T]) -> T:
        """Run `fn(backend)` on a daemon thread; give up after `timeout`.

        The thread is a daemon so a keyring that never answers cannot keep the
        app from exiting. While an abandoned call is still hanging, later calls
        fail at once instead of piling up more stuck threads.
        """
        from keyring import errors as kerrors

        if self._stuck is not None and self._stuck.is_alive():
            raise KeyringTimeout(
                f"The keyring is still busy with an earlier request ({action}).",
                TIMEOUT_ADVICE,
            )
        if not self._keyring_lock.acquire(timeout=self.timeout):
            raise KeyringTimeout(f"The keyring is busy ({action}).", TIMEOUT_ADVICE)
        try:
            box: dict[str, object] = {}
            done = threading.Event()

            def run() -> None:
                try:
                    box["result"] = fn(self._resolve())
                except BaseException as exc:  # handed to the caller's thread
                    box["error"] = exc
                finally:
                    done.set()

            thread = threading.Thread(target=run, name="fintoc-tui-keyring", daemon=True)
            thread.start()
            if not done.wait(self.timeout):
                self._stuck = thread
                log.warning("keyring call %s timed out after %gs", action, self.timeout)
                raise KeyringTimeout(
                    f"The keyring did not answer within {self.timeout:g} s ({action}).",
                    TIMEOUT_ADVICE,
                )
        finally:
            self._keyring_lock.release()
        error = box.get("error")
        if error is None:
            return box["result"]  # type: ignore[return-value]
        if isinstance(error, kerrors.NoKeyringError):
            raise KeyringUnavailable(
                "No OS keyring backend is available on this machine.", NO_KEYRING_ADVICE
            ) from None
        if isinstance(error, kerrors.KeyringLocked):
            raise KeyringUnavailable("The keyring is locked.", TIMEOUT_ADVICE) from None
        if isinstance(error, kerrors.InitError):
            raise KeyringUnavailable(
                "The keyring could not be opened.", NO_KEYRING_ADVICE
            ) from None
        if isinstance(error, CredentialError):
            raise error
        # Backend errors name the backend and the exception type only: their
        # text is outside our control and could echo what was being stored.
        log.warning("keyring call %s failed: %s", action, type(error).__name__)
        raise KeyringFailure(
            f"The keyring ({self._backend_label()}) failed while trying to {action}: "
            f"{type(error).__name__}."
        ) from None

    def keyring_status(self) -> KeyringStatus:
        """Probe the keyring (with the timeout) and say what it can do. Never raises."""
        try:
            status = self._call("check the keyring", self._probe)
        except KeyringTimeout as exc:
            status = KeyringStatus(
                False,
                self._backend_label(),
                TIMEOUT_ADVICE,
                problem=exc.message,
                timed_out_after=self.timeout,
            )
        except CredentialError as exc:
            status = KeyringStatus(
                False, self._backend_label(), exc.advice or NO_KEYRING_ADVICE, problem=exc.message
            )
        self.last_status = status
        return status

    def _probe(self, backend: KeyringBackend) -> KeyringStatus:
        status = _classify(backend)
        if status.available:
            # A read of an entry that does not exist: this is what hangs or
            # raises when a Secret Service is locked or broken.
            backend.get_password(SERVICE, "status-probe")
        return status

    def _backend_label(self) -> str:
        return backend_name(self._backend) if self._backend is not None else "unknown"

    # -- lookups ---------------------------------------------------------------

    def secret_key(self, mode: Mode) -> Credential | None:
        """The secret key for `mode`, or None. Raises `CredentialError` when a
        value is there but wrong (e.g. `FINTOC_TEST_SECRET_KEY=sk_live_…`), or
        when the keyring timed out and no session value can stand in."""
        return self.get("secret_key", mode)

    def jws_private_key(self, mode: Mode) -> Credential | None:
        """The JWS private key (PEM text) for `mode`, or None."""
        return self.get("jws_private_key", mode)

    def get(self, kind: Kind, mode: Mode) -> Credential | None:
        found = self._from_env(kind, mode)
        if found is not None:
            return found
        session = self._session_credential(kind, mode)
        try:
            stored = self._call(
                "read a key", lambda kr: kr.get_password(SERVICE, _account(kind, mode))
            )
        except KeyringUnavailable:
            return session
        except (KeyringTimeout, KeyringFailure):
            if session is not None:
                return session
            raise
        if stored:
            source = f"keyring ({self._backend_label()})"
            try:
                value = self._validate(kind, mode, stored)
            except CredentialError as exc:
                # Validation errors carry no advice: the message says what to fix.
                raise type(exc)(
                    f"The keyring entry {SERVICE} {_account(kind, mode)} is not usable: "
                    f"{exc.message}"
                ) from None
            return Credential(SecretStr(value), source, kind, mode, "keyring")
        return session

    def env_source(self, kind: Kind, mode: Mode) -> str | None:
        """The env var that fills this slot (it wins over anything saved), even
        when its value is wrong."""
        entry = self._env_entry(kind, mode)
        return None if entry is None else _env_label(*entry)

    def _env_entry(self, kind: Kind, mode: Mode) -> tuple[str, str] | None:
        """(name, value) of the variable that fills this slot, in the documented order."""
        env = self._env
        upper = mode.upper()
        if kind == "secret_key":
            name = f"FINTOC_{upper}_SECRET_KEY"
            value = env.get(name, "").strip()
            if value:
                return name, value
            # Any default that is not a key prefix does: not mutated.
            generic = env.get(GENERIC_SECRET_ENV, "").strip()  # pragma: no mutate
            return (
                (GENERIC_SECRET_ENV, generic) if generic.startswith(SECRET_PREFIX[mode]) else None
            )
        for name in (f"FINTOC_{upper}_JWS_PRIVATE_KEY", GENERIC_JWS_ENV):
            for variable in (name, f"{name}_FILE"):
                value = env.get(variable, "").strip()
                if value:
                    return variable, value
        return None

    def _from_env(self, kind: Kind, mode: Mode) -> Credential | None:
        """The slot's value from the environment, checked; a wrong one is reported by name."""
        entry = self._env_entry(kind, mode)
        if entry is None:
            generic = self._env.get(GENERIC_SECRET_ENV, "").strip()
            if kind == "secret_key" and generic and not generic.startswith(_SECRET_PREFIXES):
                raise KeyPrefixError(
                    f"{GENERIC_SECRET_ENV} does not hold a Fintoc secret key "
                    "(sk_test_… or sk_live_…)."
                )
            return None
        name, value = entry
        where = _env_label(name, value).removeprefix("env ")
        if name.endswith("_FILE"):
            file = Path(value).expanduser()
            try:
                raw: str | bytes = file.read_bytes()
            except OSError as exc:
                raise InvalidPrivateKey(
                    f"{name} points at {file}, which cannot be read ({exc.strerror})."
                ) from None
        else:
            raw = value
        try:
            clean = self._validate(kind, mode, raw)
        except CredentialError as exc:
            raise type(exc)(f"{where}: {exc.message}") from None
        return Credential(SecretStr(clean), f"env {where}", kind, mode, "env")

    def _session_credential(self, kind: Kind, mode: Mode) -> Credential | None:
        with self._session_lock:
            value = self._session.get((kind, mode))
        if value is None:
            return None
        return Credential(SecretStr(value), SESSION_SOURCE, kind, mode)  # origin "session"

    # -- changes -------------------------------------------------------------

    def set_secret_key(self, mode: Mode, value: str | SecretStr, where: Where) -> Credential:
        """Check the prefix, then save. Returns the credential now in effect,
        which may still come from an env var (see `env_source`)."""
        return self.set("secret_key", mode, value, where)

    def set_jws_private_key(
        self, mode: Mode, pem: str | bytes | SecretStr, where: Where
    ) -> Credential:
        return self.set("jws_private_key", mode, pem, where)

    def delete_secret_key(self, mode: Mode) -> str | None:
        """Remove it from the keyring and this session; returns the env var
        that still fills the slot, if any (it cannot be deleted from here)."""
        return self.delete("secret_key", mode)

    def delete_jws_private_key(self, mode: Mode) -> str | None:
        return self.delete("jws_private_key", mode)

    @staticmethod
    def _validate(kind: Kind, mode: Mode, value: str | bytes | SecretStr) -> str:
        if kind == "secret_key":
            if isinstance(value, bytes):
                value = value.decode(errors="replace")
            return validate_secret_key(mode, value)
        return validate_jws_private_key(value)

    def set(
        self, kind: Kind, mode: Mode, value: str | bytes | SecretStr, where: Where
    ) -> Credential:
        clean = self._validate(kind, mode, value)
        if where == "session":
            with self._session_lock:
                self._session[(kind, mode)] = clean
        elif where == "keyring":

            def write(backend: KeyringBackend) -> None:
                status = _classify(backend)
                if not status.available:
                    raise KeyringUnavailable(str(status.problem), NO_KEYRING_ADVICE)
                if mode == "live" and status.plaintext:
                    raise PlaintextKeyringRefused(
                        f"Live keys are never written in plaintext, and the keyring backend "
                        f"({status.backend}) stores them unencrypted.",
                        PLAINTEXT_ADVICE,
                    )
                backend.set_password(SERVICE, _account(kind, mode), clean)

            self._call("save a key", write)
            # The keyring copy is now the one that counts; an older session
            # copy would otherwise come back after a later delete.
            with self._session_lock:
                self._session.pop((kind, mode), None)
        else:
            raise ValueError(f"where must be 'keyring' or 'session', not {where!r}")
        effective = self.get(kind, mode)
        assert effective is not None
        return effective

    def delete(self, kind: Kind, mode: Mode) -> str | None:
        from keyring.errors import PasswordDeleteError

        with self._session_lock:
            self._session.pop((kind, mode), None)

        def remove(backend: KeyringBackend) -> None:
            try:
                backend.delete_password(SERVICE, _account(kind, mode))
            except PasswordDeleteError:
                pass  # nothing saved there

        try:
            self._call("delete a key", remove)
        except KeyringUnavailable:
            pass  # nothing can be saved there either
        return self.env_source(kind, mode)
