# Long module: signing and verifying are two halves of one format, and the verifier's checks
# mirror Fintoc's error codes one by one.
"""Fintoc's detached JWS request signature (header `Fintoc-JWS-Signature`).

The client signs the exact body bytes of every transfer request with the
organisation's RSA key; the sandbox verifies with the same rules the real API
states (fintoc-api.md §5). The format is tiny and fixed — one algorithm, two
critical header fields, payload left out — so it is built directly on
`cryptography` rather than on a general JOSE library, which would need its own
registry for `ts`/`nonce` and would still leave nonce memory to us. joserfc is
used in the tests as an independent oracle.

`cryptography` is imported lazily so that importing this module (the CLI, the
models) costs nothing until a key is actually loaded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import heapq
import json
import secrets
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from fintoc_tui.clock import Clock, SystemClock

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

__all__ = [
    "ALGORITHM",
    "HEADER_NAME",
    "JWSError",
    "JWSKeyError",
    "JWSSigner",
    "JWSVerifier",
    "fingerprint",
    "generate_keypair",
    "public_pem_from_private",
]

HEADER_NAME: Final = "Fintoc-JWS-Signature"
ALGORITHM: Final = "RS256"
MIN_KEY_BITS: Final = 2048
_CRIT: Final = ("ts", "nonce")
_B64URL_CHARS: Final = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)
_HEX: Final = frozenset("0123456789abcdefABCDEF")
#: Longest header value looked at; a real one is ~450 characters (4096-bit key ~800).
_MAX_HEADER_LENGTH: Final = 4096


class JWSError(Exception):
    """A signature the API would refuse: HTTP 401, `authentication_error`, `code`."""

    status = 401
    type = "authentication_error"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"JWSError({self.code!r}, {self.message!r})"


class JWSKeyError(ValueError):
    """A PEM that cannot be used; the message never contains the PEM itself."""


# --- encoding helpers --------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    """Strict base64url without padding (urlsafe_b64decode alone skips junk)."""
    raw = text.encode("ascii", "strict")
    if not raw or len(raw) % 4 == 1 or not _B64URL_CHARS.issuperset(raw):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(raw + b"=" * (-len(raw) % 4))


def _as_bytes(pem: bytes | str) -> bytes:
    if isinstance(pem, str):
        return pem.encode("utf-8")
    if isinstance(pem, bytes | bytearray | memoryview):
        return bytes(pem)
    raise TypeError(f"a PEM is bytes or str, not {type(pem).__name__}")


# --- keys --------------------------------------------------------------------


def generate_keypair() -> tuple[bytes, bytes]:
    """A fresh 2048-bit RSA key: (PKCS#8 private PEM, unencrypted; SPKI public PEM).

    The public PEM is what gets uploaded to the Fintoc dashboard.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=MIN_KEY_BITS)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return private_pem, _public_pem(key.public_key())


def _public_pem(public_key: RSAPublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _fingerprint_of(public_key: RSAPublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return _fingerprint_of_der(der)


def _fingerprint_of_der(der: bytes) -> str:
    digest = hashlib.sha256(der).hexdigest()
    # 64 bits is plenty to tell a person's few keys apart at a glance.
    return "SHA256:" + ":".join(digest[i : i + 4] for i in range(0, 16, 4))


_private_cache: dict[bytes, RSAPrivateKey] = {}
_private_cache_lock = threading.Lock()
_PRIVATE_CACHE_SIZE: Final = 8


def _load_private(pem: bytes, password: bytes | None) -> RSAPrivateKey:
    """Load an RSA private key once; parsing and checking one costs ~50 ms."""
    cache_key = hashlib.sha256(b"%d:" % len(pem) + pem + b"\0" + (password or b"")).digest()
    with _private_cache_lock:
        cached = _private_cache.get(cache_key)
    if cached is not None:
        return cached

    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    if b"PUBLIC KEY-----" in pem:
        raise JWSKeyError("That is a public key; signing needs the RSA private key")
    if b"-----BEGIN" not in pem:
        raise JWSKeyError(
            "That is not a PEM key (it should start with -----BEGIN PRIVATE KEY-----)"
        )
    try:
        key = serialization.load_pem_private_key(pem, password=password)
    except TypeError:
        # cryptography: password given for an unencrypted key, or missing for an encrypted one.
        if password is None:
            raise JWSKeyError("The private key is encrypted; give its password") from None
        raise JWSKeyError("The private key is not encrypted; give no password") from None
    except (ValueError, UnsupportedAlgorithm):
        if password is not None:
            raise JWSKeyError(
                "Could not read the private key: wrong password, or not a PEM private key"
            ) from None
        raise JWSKeyError("Could not read the private key: not a valid PEM private key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise JWSKeyError("The key must be an RSA private key (Fintoc signs with RS256)")
    if key.key_size < MIN_KEY_BITS:
        raise JWSKeyError(f"The RSA key has {key.key_size} bits; use at least {MIN_KEY_BITS}")
    with _private_cache_lock:
        if len(_private_cache) >= _PRIVATE_CACHE_SIZE:
            _private_cache.pop(next(iter(_private_cache)))
        _private_cache[cache_key] = key
    return key


def _load_public(pem: bytes | str) -> RSAPublicKey:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    data = _as_bytes(pem)
    if b"PRIVATE KEY-----" in data:
        raise JWSKeyError("That is a private key; give the public key (-----BEGIN PUBLIC KEY-----)")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise JWSKeyError(
            "Could not read the public key: not a PEM public key (-----BEGIN PUBLIC KEY-----)"
        ) from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise JWSKeyError("The key must be an RSA public key (Fintoc verifies RS256)")
    return key


def public_pem_from_private(pem: bytes | str, password: bytes | None = None) -> bytes:
    """The SPKI public PEM that goes with a private PEM (to upload to Fintoc)."""
    return _public_pem(_load_private(_as_bytes(pem), password).public_key())


def fingerprint(public_pem: bytes | str) -> str:
    """A short, stable name for a public key: `SHA256:1a2b:3c4d:5e6f:7a8b`.

    The first 64 bits of SHA-256 over the key's SPKI DER encoding, so the same
    key gives the same fingerprint whatever PEM line wrapping it came with.
    """
    return _fingerprint_of(_load_public(public_pem))


def trusted_public_pem_fingerprint(public_pem: bytes) -> str:
    """`fingerprint` of a public PEM this program wrote itself, without loading `cryptography`.

    The SPKI DER is the PEM's base64 body, so hashing it needs no key parsing;
    the key is not checked, which is why only a PEM derived by `cryptography`
    earlier (the sandbox's cached public key) may come here. `cryptography`
    is ~8 MiB of the app's memory once loaded (bench/bench_memory.py), and
    showing the sandbox's card is no reason to load it. ValueError if this is
    not one PEM public key.
    """
    lines = public_pem.strip().splitlines()
    if len(lines) < 3 or lines[0] != b"-----BEGIN PUBLIC KEY-----":
        raise ValueError("not a PEM public key")
    if lines[-1] != b"-----END PUBLIC KEY-----":
        raise ValueError("not a PEM public key")
    try:
        der = base64.b64decode(b"".join(lines[1:-1]), validate=True)
    except binascii.Error as error:
        raise ValueError("not a PEM public key") from error
    return _fingerprint_of_der(der)


# --- signing -----------------------------------------------------------------


class JWSSigner:
    """Signs request bodies with one RSA private key, loaded once."""

    __slots__ = ("_fingerprint", "_key", "_public_pem")

    def __init__(self, private_key: RSAPrivateKey) -> None:
        self._key = private_key
        self._public_pem = _public_pem(private_key.public_key())
        self._fingerprint = _fingerprint_of(private_key.public_key())

    @classmethod
    def from_pem(cls, pem: bytes | str, password: bytes | None = None) -> JWSSigner:
        """Load a PEM private key (PKCS#8 or PKCS#1); raises `JWSKeyError`."""
        return cls(_load_private(_as_bytes(pem), password))

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    @property
    def public_pem(self) -> bytes:
        return self._public_pem

    def __repr__(self) -> str:
        return f"JWSSigner(fingerprint={self._fingerprint!r})"

    def __reduce__(self) -> Any:
        # Pickling would copy the private key into whatever stores the pickle.
        raise TypeError("a JWSSigner holds a private key and cannot be pickled")

    def sign(self, body: bytes, clock: Clock | None = None) -> str:
        """The `Fintoc-JWS-Signature` value for these exact body bytes.

        A fresh nonce every call: a retry needs a new signature.
        """
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        if not isinstance(body, bytes):
            raise TypeError("sign the exact body bytes that will be sent, not a str or object")
        now = (clock or _SYSTEM_CLOCK).time()
        protected = {
            "alg": ALGORITHM,
            "nonce": secrets.token_hex(16),
            "ts": int(now),
            "crit": list(_CRIT),
        }
        header_b64 = _b64url(json.dumps(protected, separators=(",", ":")).encode("ascii"))
        signing_input = f"{header_b64}.{_b64url(body)}".encode("ascii")
        signature = self._key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return f"{header_b64}.{_b64url(signature)}"


_SYSTEM_CLOCK: Final = SystemClock()


# --- verifying ---------------------------------------------------------------


class _NonceMemory:
    """Nonces seen while their timestamp is still acceptable, bounded and thread-safe.

    A nonce only needs remembering until its `ts` falls out of the window
    (after that the timestamp check refuses the header anyway), so memory is
    bounded by request rate × window; `limit` caps it regardless, forgetting
    the soonest-to-expire first.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._expiry: dict[str, int] = {}
        self._heap: list[tuple[int, str]] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._expiry)

    def add(self, nonce: str, expires_at: int, now: int) -> bool:
        """Record a nonce; False if it was already there (a replay)."""
        with self._lock:
            heap, expiry = self._heap, self._expiry
            while heap and (heap[0][0] < now or len(expiry) >= self._limit):
                when, old = heapq.heappop(heap)
                if expiry.get(old) == when:
                    del expiry[old]
            if nonce in expiry:
                return False
            expiry[nonce] = expires_at
            heapq.heappush(heap, (expires_at, nonce))
            return True


class JWSVerifier:
    """Checks `Fintoc-JWS-Signature` headers as the API does (sandbox side).

    Order: structure, algorithm, nonce shape, timestamp, signature, and only
    then the nonce is recorded — a forged header must not burn a real nonce.
    """

    def __init__(
        self,
        public_pems: Iterable[bytes | str],
        clock: Clock,
        *,
        max_age: int = 120,
        max_future: int = 30,
        max_nonces: int = 100_000,
    ) -> None:
        self._clock = clock
        self._max_age = max_age
        self._max_future = max_future
        self._keys: list[RSAPublicKey] = []
        self._fingerprints: list[str] = []
        self._keys_lock = threading.Lock()
        self._nonces = _NonceMemory(max_nonces)
        for pem in public_pems:
            self.add_public_key(pem)

    def add_public_key(self, pem: bytes | str) -> str:
        """Register another public key (as uploading one to the dashboard); returns its fingerprint."""
        key = _load_public(pem)
        fp = _fingerprint_of(key)
        with self._keys_lock:
            if fp not in self._fingerprints:
                self._keys.append(key)
                self._fingerprints.append(fp)
        return fp

    @property
    def fingerprints(self) -> tuple[str, ...]:
        with self._keys_lock:
            return tuple(self._fingerprints)

    def __repr__(self) -> str:
        return f"JWSVerifier(keys={list(self.fingerprints)!r})"

    def verify(self, header_value: str | None, body: bytes) -> None:
        """Return if the header is a valid, fresh signature of `body`; else raise `JWSError`."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        if header_value is None or not header_value.strip():
            raise JWSError(
                "missing_jws_signature_header",
                f"This request needs a JWS signature in the {HEADER_NAME} header",
            )
        with self._keys_lock:
            keys = tuple(self._keys)
        if not keys:
            raise JWSError(
                "missing_active_jws_public_key",
                "No active JWS public key is registered for this organization",
            )

        header_b64, signature = self._split(header_value.strip())
        protected = self._protected(header_b64)

        if protected.get("alg") != ALGORITHM:
            raise JWSError(
                "invalid_jws_signature_algorithm",
                f"The JWS signature algorithm must be {ALGORITHM}",
            )
        crit = protected.get("crit")
        if not isinstance(crit, list) or len(crit) != len(_CRIT) or set(crit) != set(_CRIT):
            raise _invalid_header('The JWS protected header must have "crit": ["ts", "nonce"]')
        nonce = protected.get("nonce")
        if not isinstance(nonce, str) or len(nonce) != 32 or not _HEX.issuperset(nonce):
            raise JWSError(
                "invalid_jws_signature_nonce", "The JWS nonce must be 32 hexadecimal characters"
            )
        ts = protected.get("ts")
        if not isinstance(ts, int) or isinstance(ts, bool):
            raise JWSError(
                "invalid_jws_signature_timestamp_format",
                "The JWS ts must be an integer number of Unix seconds",
            )
        now = int(self._clock.time())
        if ts < now - self._max_age or ts > now + self._max_future:
            raise JWSError(
                "invalid_jws_signature_timestamp_value",
                f"The JWS ts is outside the accepted window ({self._max_age} s past, "
                f"{self._max_future} s future); sign again just before sending",
            )

        signing_input = f"{header_b64}.{_b64url(body)}".encode("ascii")
        for key in keys:
            try:
                key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
            except InvalidSignature:
                continue
            break
        else:
            raise _invalid_header(
                "The JWS signature does not match the request body with any registered public key"
            )

        if not self._nonces.add(nonce.lower(), ts + self._max_age + 1, now):
            raise JWSError("jws_nonce_already_used", "This JWS nonce was already used; sign again")

    @staticmethod
    def _split(value: str) -> tuple[str, bytes]:
        if len(value) > _MAX_HEADER_LENGTH:
            raise _invalid_header("The JWS signature header is too long")
        parts = value.split(".")
        if len(parts) != 2:
            raise _invalid_header(
                "The JWS signature header must be two base64url parts: header.signature"
            )
        try:
            return parts[0], _b64url_decode(parts[1])
        except (ValueError, UnicodeError, binascii.Error):
            raise _invalid_header("The JWS signature is not valid base64url") from None

    @staticmethod
    def _protected(header_b64: str) -> dict[str, Any]:
        try:
            protected = json.loads(_b64url_decode(header_b64))
        except (ValueError, UnicodeError, binascii.Error, RecursionError):
            raise _invalid_header("The JWS protected header is not base64url JSON") from None
        if not isinstance(protected, dict):
            raise _invalid_header("The JWS protected header must be a JSON object")
        return protected


def _invalid_header(message: str) -> JWSError:
    return JWSError("invalid_jws_signature_header", message)
