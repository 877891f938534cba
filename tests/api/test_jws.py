"""JWS request signatures: our signer against joserfc, and the verifier's rules."""

from __future__ import annotations

import base64
import json
import pickle
import subprocess
import sys
import threading
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from hypothesis import example, given, settings
from hypothesis import strategies as st
from joserfc import jws as jose_jws
from joserfc.errors import BadSignatureError
from joserfc.jwk import RSAKey
from joserfc.registry import HeaderParameter

from fintoc_tui.api.jws import (
    JWSError,
    JWSKeyError,
    JWSSigner,
    JWSVerifier,
    fingerprint,
    generate_keypair,
    public_pem_from_private,
)
from fintoc_tui.clock import ManualClock, SystemClock

BODY = b'{"amount":59013,"currency":"MXN","account_id":"acc_123"}'
START = datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC)


@pytest.fixture(scope="session")
def keypair():
    return generate_keypair()


@pytest.fixture(scope="session")
def other_keypair():
    return generate_keypair()


@pytest.fixture
def signer(keypair):
    # Per test (parsing is cached, so this is cheap): mutation testing then sees
    # every test that uses a signer, not only the first, as reaching its code.
    return JWSSigner.from_pem(keypair[0])


@pytest.fixture
def clock():
    return ManualClock(START)


@pytest.fixture
def verifier(keypair, clock):
    return JWSVerifier([keypair[1]], clock)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def protected_of(header_value: str) -> dict:
    return json.loads(unb64url(header_value.split(".")[0]))


def forge(private_pem: bytes, protected: dict | str | bytes, body: bytes = BODY) -> str:
    """Sign an arbitrary protected header with a real key, to test each rule alone."""
    if isinstance(protected, dict):
        protected = json.dumps(protected, separators=(",", ":"))
    if isinstance(protected, str):
        protected = protected.encode()
    key = serialization.load_pem_private_key(private_pem, None)
    header_b64 = b64url(protected)
    signature = key.sign(
        f"{header_b64}.{b64url(body)}".encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    return f"{header_b64}.{b64url(signature)}"


def good_header(clock, **changes) -> dict:
    header = {"alg": "RS256", "nonce": "0123456789abcdef" * 2, "ts": int(clock.time())}
    header["crit"] = ["ts", "nonce"]
    header.update(changes)
    return {k: v for k, v in header.items() if v is not ...}


# --- interoperability with an independent implementation ---------------------

JOSE_REGISTRY = jose_jws.JWSRegistry(
    header_registry={
        "ts": HeaderParameter("Timestamp", "int", required=True),
        "nonce": HeaderParameter("Nonce", "str", required=True),
    },
    algorithms=["RS256"],
)


def jose_verify(header_value: str, body: bytes, public_pem: bytes):
    """joserfc's reading of our detached compact JWS, payload put back."""
    header_b64, signature_b64 = header_value.split(".")
    key = RSAKey.import_key(public_pem)
    return jose_jws.deserialize_compact(
        f"{header_b64}..{signature_b64}", key, registry=JOSE_REGISTRY, payload=body
    )


def test_joserfc_accepts_our_signature(signer, keypair):
    value = signer.sign(BODY)
    obj = jose_verify(value, BODY, keypair[1])
    assert obj.payload == BODY
    assert obj.protected["alg"] == "RS256"


def test_joserfc_rejects_changed_body(signer, keypair):
    value = signer.sign(BODY)
    tampered = BODY.replace(b"59013", b"59014")
    with pytest.raises(BadSignatureError):
        jose_verify(value, tampered, keypair[1])


def test_joserfc_signature_is_accepted_by_us(keypair, clock, verifier):
    """The other direction: a JWS made by joserfc with the official header verifies."""
    protected = good_header(clock)
    full = jose_jws.serialize_compact(
        protected, BODY, RSAKey.import_key(keypair[0]), registry=JOSE_REGISTRY
    )
    header_b64, _, signature_b64 = full.split(".")
    verifier.verify(f"{header_b64}.{signature_b64}", BODY)


def test_every_body_byte_is_covered(signer, keypair, clock, verifier):
    value = signer.sign(BODY, clock)
    for i in range(len(BODY)):
        tampered = BODY[:i] + bytes([BODY[i] ^ 0x01]) + BODY[i + 1 :]
        with pytest.raises(JWSError) as info:
            verifier.verify(value, tampered)
        assert info.value.code == "invalid_jws_signature_header"
    verifier.verify(value, BODY)


# --- the protected header ------------------------------------------------------


def test_header_has_the_official_shape(signer, clock):
    value = signer.sign(BODY, clock)
    header_b64, signature_b64 = value.split(".")
    assert "=" not in value and "+" not in value and "/" not in value
    raw = unb64url(header_b64)
    protected = json.loads(raw)
    assert list(protected) == ["alg", "nonce", "ts", "crit"]
    assert raw == json.dumps(protected, separators=(",", ":")).encode()  # compact JSON
    assert protected["alg"] == "RS256"
    assert isinstance(protected["nonce"], str) and len(protected["nonce"]) == 32
    int(protected["nonce"], 16)
    assert protected["nonce"] == protected["nonce"].lower()
    assert type(protected["ts"]) is int and protected["ts"] == int(START.timestamp())
    assert protected["crit"] == ["ts", "nonce"]
    assert len(unb64url(signature_b64)) == 256  # 2048-bit RSA


def test_ts_follows_the_system_clock_without_one(signer):
    import time

    before = int(time.time())
    ts = protected_of(signer.sign(BODY))["ts"]
    assert before <= ts <= int(time.time())


def test_signature_is_rs256_over_header_dot_body(signer, keypair):
    value = signer.sign(BODY)
    header_b64, signature_b64 = value.split(".")
    public = serialization.load_pem_public_key(keypair[1])
    public.verify(
        unb64url(signature_b64),
        f"{header_b64}.{b64url(BODY)}".encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )


def test_nonces_are_fresh(signer, clock):
    nonces = {protected_of(signer.sign(BODY, clock))["nonce"] for _ in range(50)}
    assert len(nonces) == 50


def test_sign_refuses_text(signer):
    with pytest.raises(TypeError):
        signer.sign(BODY.decode())  # type: ignore[arg-type]


def test_empty_body_can_be_signed(signer, verifier, clock):
    verifier.verify(signer.sign(b"", clock), b"")


# --- the verifier's error codes --------------------------------------------------


def code_of(verifier, value, body=BODY) -> str:
    with pytest.raises(JWSError) as info:
        verifier.verify(value, body)
    error = info.value
    assert error.status == 401 and error.type == "authentication_error"
    assert str(error) == error.message and error.message
    return error.code


def test_valid_signature_passes(signer, verifier, clock):
    assert verifier.verify(signer.sign(BODY, clock), BODY) is None


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_header(verifier, value):
    assert code_of(verifier, value) == "missing_jws_signature_header"


def test_no_public_key(signer, clock):
    empty = JWSVerifier([], clock)
    assert code_of(empty, signer.sign(BODY, clock)) == "missing_active_jws_public_key"


TWO_PARTS = "The JWS signature header must be two base64url parts: header.signature"
NOT_B64 = "The JWS signature is not valid base64url"
NOT_JSON = "The JWS protected header is not base64url JSON"
NOT_OBJECT = "The JWS protected header must be a JSON object"
TOO_LONG = "The JWS signature header is too long"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("onlyonepart", TWO_PARTS),
        ("a.b.c", TWO_PARTS),
        ("..", TWO_PARTS),
        ("eyJhbGciOiJSUzI1NiJ9..c2ln", TWO_PARTS),  # payload-attached compact form
        ("!!!.abcd", NOT_JSON),
        ("eyJhbGciOiJSUzI1NiJ9.ab+c", NOT_B64),  # plain base64, not base64url
        ("eyJhbGciOiJSUzI1NiJ9.abc=", NOT_B64),  # padded
        ("eyJhbGciOiJSUzI1NiJ9.a", NOT_B64),  # impossible length
        ("eyJhbGciOiJSUzI1NiJ9.", NOT_B64),  # no signature at all
        ("eyJhbGciOiJSUzI1NiJ9.é", NOT_B64),
        (".c2ln", NOT_JSON),
        (b64url(b"not json") + ".c2ln", NOT_JSON),
        (b64url(b"[1,2]") + ".c2ln", NOT_OBJECT),
        (b64url(b"\xff\xfe") + ".c2ln", NOT_JSON),
        ("é.c2ln", NOT_JSON),
        ("a" * 5000 + ".c2ln", TOO_LONG),
        ("a" * 4097, TOO_LONG),
        ("a" * 4096, TWO_PARTS),  # the longest value that is looked at
    ],
)
def test_malformed_header(verifier, value, message):
    assert code_of(verifier, value) == "invalid_jws_signature_header"
    assert message_of(verifier, value) == message


def message_of(verifier, value, body=BODY) -> str:
    with pytest.raises(JWSError) as info:
        verifier.verify(value, body)
    return info.value.message


@pytest.mark.parametrize(
    "crit",
    [..., [], ["ts"], ["nonce"], ["ts", "nonce", "kid"], ["ts", "ts"], "ts,nonce", None],
)
def test_crit_must_name_ts_and_nonce(keypair, clock, verifier, crit):
    value = forge(keypair[0], good_header(clock, crit=crit))
    assert code_of(verifier, value) == "invalid_jws_signature_header"


def test_crit_order_does_not_matter(keypair, clock, verifier):
    verifier.verify(forge(keypair[0], good_header(clock, crit=["nonce", "ts"])), BODY)


def test_extra_fields_are_tolerated(keypair, clock, verifier):
    verifier.verify(forge(keypair[0], good_header(clock, typ="JOSE")), BODY)


@pytest.mark.parametrize("alg", ["HS256", "RS512", "PS256", "none", "rs256", ..., 256])
def test_wrong_algorithm(keypair, clock, verifier, alg):
    value = forge(keypair[0], good_header(clock, alg=alg))
    assert code_of(verifier, value) == "invalid_jws_signature_algorithm"


@pytest.mark.parametrize(
    "nonce",
    ["abc", "0123456789abcdef" * 2 + "0", "g" * 32, "0" * 31, 12345, None, ...],
)
def test_bad_nonce(keypair, clock, verifier, nonce):
    value = forge(keypair[0], good_header(clock, nonce=nonce))
    assert code_of(verifier, value) == "invalid_jws_signature_nonce"


@pytest.mark.parametrize("kind", ["float", "string", "bool", "null", "missing"])
def test_bad_timestamp_format(keypair, clock, verifier, kind):
    now = int(clock.time())
    ts = {"float": now + 0.5, "string": str(now), "bool": True, "null": None, "missing": ...}[kind]
    value = forge(keypair[0], good_header(clock, ts=ts))
    assert code_of(verifier, value) == "invalid_jws_signature_timestamp_format"


@pytest.mark.parametrize(
    ("offset", "ok"),
    [(-120, True), (-121, False), (30, True), (31, False), (-(10**6), False), (10**6, False)],
)
def test_timestamp_window(keypair, clock, verifier, offset, ok):
    value = forge(keypair[0], good_header(clock, ts=int(clock.time()) + offset))
    if ok:
        verifier.verify(value, BODY)
    else:
        assert code_of(verifier, value) == "invalid_jws_signature_timestamp_value"


def test_signature_expires_as_the_clock_moves(signer, verifier, clock):
    value = signer.sign(BODY, clock)
    clock.advance(121)
    assert code_of(verifier, value) == "invalid_jws_signature_timestamp_value"


def test_window_is_configurable(signer, keypair, clock):
    strict = JWSVerifier([keypair[1]], clock, max_age=10, max_future=0)
    value = signer.sign(BODY, clock)
    clock.advance(11)
    assert code_of(strict, value) == "invalid_jws_signature_timestamp_value"


def test_unknown_key(other_keypair, clock, verifier):
    stranger = JWSSigner.from_pem(other_keypair[0])
    assert code_of(verifier, stranger.sign(BODY, clock)) == "invalid_jws_signature_header"


def test_signature_of_another_header(signer, verifier, clock):
    """Swapping the protected header under a valid signature must fail."""
    a = signer.sign(BODY, clock)
    b = signer.sign(BODY, clock)
    mixed = a.split(".")[0] + "." + b.split(".")[1]
    assert code_of(verifier, mixed) == "invalid_jws_signature_header"


def test_any_registered_key_verifies(keypair, other_keypair, signer, clock):
    verifier = JWSVerifier([other_keypair[1]], clock)
    assert code_of(verifier, signer.sign(BODY, clock)) == "invalid_jws_signature_header"
    assert verifier.add_public_key(keypair[1]) == signer.fingerprint
    verifier.verify(signer.sign(BODY, clock), BODY)
    verifier.add_public_key(keypair[1].decode())  # adding again changes nothing
    assert len(verifier.fingerprints) == 2


# --- nonces ----------------------------------------------------------------------


def test_replay_is_refused(signer, verifier, clock):
    value = signer.sign(BODY, clock)
    verifier.verify(value, BODY)
    assert code_of(verifier, value) == "jws_nonce_already_used"
    clock.advance(60)
    assert code_of(verifier, value) == "jws_nonce_already_used"


def test_nonce_reuse_with_a_new_timestamp_is_refused(keypair, verifier, clock):
    verifier.verify(forge(keypair[0], good_header(clock)), BODY)
    clock.advance(5)
    again = forge(keypair[0], good_header(clock, nonce=("0123456789ABCDEF" * 2)))
    assert code_of(verifier, again) == "jws_nonce_already_used"


def test_forged_header_does_not_burn_the_nonce(keypair, other_keypair, verifier, clock):
    genuine = forge(keypair[0], good_header(clock))
    forged = forge(other_keypair[0], good_header(clock))
    assert code_of(verifier, forged) == "invalid_jws_signature_header"
    verifier.verify(genuine, BODY)


def test_wrong_body_does_not_burn_the_nonce(signer, verifier, clock):
    value = signer.sign(BODY, clock)
    assert code_of(verifier, value, b"{}") == "invalid_jws_signature_header"
    verifier.verify(value, BODY)


def test_nonce_memory_is_bounded(keypair, clock):
    verifier = JWSVerifier([keypair[1]], clock, max_nonces=5)
    signer = JWSSigner.from_pem(keypair[0])
    for _ in range(20):
        verifier.verify(signer.sign(BODY, clock), BODY)
    assert len(verifier._nonces) == 5


def test_expired_nonces_are_forgotten(signer, keypair, clock):
    verifier = JWSVerifier([keypair[1]], clock)
    for _ in range(10):
        verifier.verify(signer.sign(BODY, clock), BODY)
    assert len(verifier._nonces) == 10
    clock.advance(200)
    verifier.verify(signer.sign(BODY, clock), BODY)
    assert len(verifier._nonces) == 1


def test_concurrent_replays_accept_exactly_one(signer, verifier, clock):
    """Many threads race to use the same signature: exactly one may win."""
    values = [signer.sign(BODY, clock) for _ in range(8)]
    threads_per_value = 8
    barrier = threading.Barrier(len(values) * threads_per_value)
    results: dict[str, list[str]] = {v: [] for v in values}
    lock = threading.Lock()

    def attempt(value):
        barrier.wait()
        try:
            verifier.verify(value, BODY)
            outcome = "ok"
        except JWSError as error:
            outcome = error.code
        with lock:
            results[value].append(outcome)

    threads = [
        threading.Thread(target=attempt, args=(v,))
        for v in values
        for _ in range(threads_per_value)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for outcomes in results.values():
        assert sorted(outcomes) == ["jws_nonce_already_used"] * (threads_per_value - 1) + ["ok"]


# --- keys ----------------------------------------------------------------------------


def test_generated_keypair_shapes(keypair):
    private_pem, public_pem = keypair
    assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    key = serialization.load_pem_private_key(private_pem, None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    assert public_pem_from_private(private_pem) == public_pem


def test_fingerprint_is_stable_and_short(keypair, other_keypair, signer):
    fp = fingerprint(keypair[1])
    assert fp == fingerprint(keypair[1].decode()) == signer.fingerprint
    assert fp.startswith("SHA256:") and len(fp) == len("SHA256:") + 19
    assert fp != fingerprint(other_keypair[1])
    # Same key, different PEM wrapping: same fingerprint (it hashes the DER).
    lines = keypair[1].decode().splitlines()
    rewrapped = "\n".join([lines[0], "".join(lines[1:-1]), lines[-1]]) + "\n"
    assert fingerprint(rewrapped) == fp


def test_fingerprint_is_sha256_of_spki_der(keypair):
    import hashlib

    der = serialization.load_pem_public_key(keypair[1]).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashlib.sha256(der).hexdigest()
    assert fingerprint(keypair[1]).replace(":", "")[len("SHA256") :] == digest[:16]


def test_pkcs1_private_key_loads(keypair):
    key = serialization.load_pem_private_key(keypair[0], None)
    pkcs1 = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    assert pkcs1.startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    assert JWSSigner.from_pem(pkcs1).public_pem == keypair[1]


def test_encrypted_private_key(keypair, clock, verifier):
    key = serialization.load_pem_private_key(keypair[0], None)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"hunter22"),
    )
    signer = JWSSigner.from_pem(encrypted, password=b"hunter22")
    verifier.verify(signer.sign(BODY, clock), BODY)
    with pytest.raises(JWSKeyError, match="encrypted; give its password"):
        JWSSigner.from_pem(encrypted)
    with pytest.raises(JWSKeyError, match="wrong password"):
        JWSSigner.from_pem(encrypted, password=b"nope")
    with pytest.raises(JWSKeyError, match="not encrypted"):
        JWSSigner.from_pem(keypair[0], password=b"hunter22")


def _secret_fragments(pem: bytes) -> list[str]:
    body = [line for line in pem.decode().splitlines() if not line.startswith("-----")]
    return [line[:24] for line in body[1:4]]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda pem: pem.replace(b"M", b"*", 3),
        lambda pem: pem[: len(pem) // 2],
        lambda pem: pem.replace(b"-----BEGIN PRIVATE KEY-----\n", b""),
        lambda pem: pem.replace(b"PRIVATE KEY", b"CERTIFICATE"),
    ],
)
def test_bad_private_pem_error_never_shows_the_pem(keypair, mangle):
    bad = mangle(keypair[0])
    with pytest.raises(JWSKeyError) as info:
        JWSSigner.from_pem(bad)
    text = str(info.value) + repr(info.value)
    assert "Could not read" in text or "not a PEM" in text
    for fragment in _secret_fragments(keypair[0]):
        assert fragment not in text
    # No chained cryptography error either (tracebacks get logged).
    error = info.value
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


def test_wrong_kinds_of_key():
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_private = ec_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    ec_public = ec_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(JWSKeyError, match="RSA"):
        JWSSigner.from_pem(ec_private)
    with pytest.raises(JWSKeyError, match="RSA"):
        fingerprint(ec_public)
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(JWSKeyError, match="at least 2048"):
        JWSSigner.from_pem(small)


def test_public_and_private_keys_are_not_mixed_up(keypair, clock):
    with pytest.raises(JWSKeyError, match="public key; signing needs"):
        JWSSigner.from_pem(keypair[1])
    with pytest.raises(JWSKeyError, match="private key; give the public key"):
        JWSVerifier([keypair[0]], clock)
    with pytest.raises(JWSKeyError) as info:
        fingerprint(b"garbage")
    assert "garbage" not in str(info.value)


def test_signer_never_shows_key_material(signer, keypair):
    text = repr(signer) + str(signer)
    assert "PRIVATE" not in text
    for fragment in _secret_fragments(keypair[0]):
        assert fragment not in text
    assert signer.fingerprint in repr(signer)
    assert not hasattr(signer, "__dict__")
    import copy
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(signer)
    with pytest.raises(TypeError):
        copy.deepcopy(signer)


def test_loading_the_same_pem_again_is_cached(keypair):
    first = JWSSigner.from_pem(keypair[0])
    second = JWSSigner.from_pem(keypair[0].decode())
    assert first._key is second._key


def test_import_is_light():
    """Importing the module must not pull in cryptography (CLI start-up) or Textual."""
    script = (
        "import sys\n"
        "import fintoc_tui.api.jws\n"
        "print(any(m.startswith('cryptography') for m in sys.modules), 'textual' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "False False"


# --- what each refusal says (the sandbox sends these to API clients) ---------------


def test_each_rule_has_its_own_sentence(keypair, other_keypair, signer, verifier, clock):
    forged = lambda **changes: forge(keypair[0], good_header(clock, **changes))  # noqa: E731
    assert message_of(verifier, None) == (
        "This request needs a JWS signature in the Fintoc-JWS-Signature header"
    )
    assert message_of(JWSVerifier([], clock), signer.sign(BODY, clock)) == (
        "No active JWS public key is registered for this organization"
    )
    assert message_of(verifier, forged(alg="HS256")) == "The JWS signature algorithm must be RS256"
    assert message_of(verifier, forged(crit=["ts"])) == (
        'The JWS protected header must have "crit": ["ts", "nonce"]'
    )
    assert message_of(verifier, forged(nonce="abc")) == (
        "The JWS nonce must be 32 hexadecimal characters"
    )
    assert message_of(verifier, forged(ts="1")) == (
        "The JWS ts must be an integer number of Unix seconds"
    )
    assert message_of(verifier, forged(ts=int(clock.time()) - 500)) == (
        "The JWS ts is outside the accepted window (120 s past, 30 s future); "
        "sign again just before sending"
    )
    stranger = JWSSigner.from_pem(other_keypair[0])
    assert message_of(verifier, stranger.sign(BODY, clock)) == (
        "The JWS signature does not match the request body with any registered public key"
    )
    value = signer.sign(BODY, clock)
    verifier.verify(value, BODY)
    assert message_of(verifier, value) == "This JWS nonce was already used; sign again"


def test_key_problems_have_their_own_sentences(keypair):
    key = serialization.load_pem_private_key(keypair[0], None)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"hunter22"),
    )
    cases = [
        (
            lambda: JWSSigner.from_pem(keypair[1]),
            "That is a public key; signing needs the RSA private key",
        ),
        (
            lambda: JWSSigner.from_pem(b"just text"),
            "That is not a PEM key (it should start with -----BEGIN PRIVATE KEY-----)",
        ),
        (lambda: JWSSigner.from_pem(encrypted), "The private key is encrypted; give its password"),
        (
            lambda: JWSSigner.from_pem(keypair[0], password=b"x"),
            "The private key is not encrypted; give no password",
        ),
        (
            lambda: JWSSigner.from_pem(encrypted, password=b"wrong"),
            "Could not read the private key: wrong password, or not a PEM private key",
        ),
        (
            lambda: JWSSigner.from_pem(keypair[0][:300]),
            "Could not read the private key: not a valid PEM private key",
        ),
        (
            lambda: fingerprint(keypair[0]),
            "That is a private key; give the public key (-----BEGIN PUBLIC KEY-----)",
        ),
        (
            lambda: fingerprint(b"-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n"),
            "Could not read the public key: not a PEM public key (-----BEGIN PUBLIC KEY-----)",
        ),
    ]
    for load, message in cases:
        with pytest.raises(JWSKeyError) as info:
            load()
        assert str(info.value) == message


def test_wrong_kinds_of_key_say_rs256():
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_private = ec_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    ec_public = ec_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(JWSKeyError) as info:
        JWSSigner.from_pem(ec_private)
    assert str(info.value) == "The key must be an RSA private key (Fintoc signs with RS256)"
    with pytest.raises(JWSKeyError) as info:
        fingerprint(ec_public)
    assert str(info.value) == "The key must be an RSA public key (Fintoc verifies RS256)"


def test_type_errors_say_what_was_expected(signer):
    with pytest.raises(TypeError, match=r"^a PEM is bytes or str, not int$"):
        fingerprint(123)  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=r"^sign the exact body bytes that will be sent, not a str or object$"
    ):
        signer.sign(BODY.decode())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^a JWSSigner holds a private key and cannot be pickled$"):
        pickle.dumps(signer)


# --- more edges ------------------------------------------------------------------------


@settings(max_examples=40)
@given(body=st.binary(max_size=64))
@example(body=b"\x00\x00\x17")  # "AAAX": ends in a letter that is also in "XX=XX"
@example(body=b"\xfb\xff\xbf")  # "-_-_": the two base64url-only characters
@example(body=b"\x00")  # "AA" plus two padding characters, stripped
def test_any_body_verifies_with_joserfc_and_with_us(keypair, body):
    """Every length and byte pattern (padding, "-", "_", trailing "X"...) signs the same bytes."""
    value = JWSSigner.from_pem(keypair[0]).sign(body)
    assert jose_verify(value, body, keypair[1]).payload == body
    JWSVerifier([keypair[1]], SystemClock()).verify(value, body)


def test_a_nonce_is_remembered_for_as_long_as_its_timestamp_is_accepted(signer, verifier, clock):
    value = signer.sign(BODY, clock)
    verifier.verify(value, BODY)
    clock.advance(120)  # the last second the timestamp is still inside the window
    assert code_of(verifier, value) == "jws_nonce_already_used"
    clock.advance(1)
    assert code_of(verifier, value) == "invalid_jws_signature_timestamp_value"


def test_public_pem_from_an_encrypted_private_key(keypair):
    key = serialization.load_pem_private_key(keypair[0], None)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"hunter22"),
    )
    assert public_pem_from_private(encrypted, password=b"hunter22") == keypair[1]


def test_the_parsed_key_cache_is_bounded(keypair):
    """Loading many PEMs keeps at most a few parsed keys in memory."""
    from fintoc_tui.api import jws

    for extra in range(1, 13):  # the same key, spelled twelve ways
        JWSSigner.from_pem(keypair[0] + b"\n" * extra)
    assert len(jws._private_cache) == jws._PRIVATE_CACHE_SIZE == 8


def test_verifier_repr_names_fingerprints_only(keypair, clock):
    verifier = JWSVerifier([keypair[1]], clock)
    assert repr(verifier) == f"JWSVerifier(keys=[{fingerprint(keypair[1])!r}])"
