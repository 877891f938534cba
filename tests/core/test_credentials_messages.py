"""The exact words of every credential problem, and the small rules behind them.

These sentences are what the environment screen shows a person: each says
what is wrong and what to do, and none repeats a secret. Pinning them whole
(not a fragment) is what lets mutation testing see a changed or emptied
message; the rules (which prefix, which PEM, which key size) are checked
through the same calls.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pydantic import SecretStr

from fintoc_tui.credentials import (
    NO_KEYRING_ADVICE,
    PLAINTEXT_ADVICE,
    TIMEOUT_ADVICE,
    Credential,
    CredentialError,
    InvalidPrivateKey,
    KeyPrefixError,
    KeyringStatus,
    validate_jws_private_key,
    validate_secret_key,
)

TEST_KEY = "sk_test_9c8d7e6f5a4b3c2d1e0fgD3g"
LIVE_KEY = "sk_live_" + "Q1w2E3r4T5y6U7i8O9p04H2a"


def _pem(key, fmt=serialization.PrivateFormat.PKCS8, encryption=None) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, fmt, encryption or serialization.NoEncryption()
    ).decode()


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


# -- secret keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "value", "message"),
    [
        ("test", "", "No key given. A test secret key starts with sk_test_."),
        ("live", "  \n", "No key given. A live secret key starts with sk_live_."),
        (
            "live",
            "pk_live_abcdefghijklmnop",
            "That is a public key (pk_live_…). Paste the secret key, which starts with sk_live_.",
        ),
        (
            "test",
            "pk_test_abcdefghijklmnop",
            "That is a public key (pk_test_…). Paste the secret key, which starts with sk_test_.",
        ),
        (
            "test",
            LIVE_KEY,
            "That is a live key (sk_live_…4H2a); the test slot takes keys that start with "
            "sk_test_.",
        ),
        (
            "live",
            TEST_KEY,
            "That is a test key (sk_test_…gD3g); the live slot takes keys that start with "
            "sk_live_.",
        ),
        (
            "test",
            "hunter2hunter2",
            "A Fintoc test secret key starts with sk_test_; this one does not.",
        ),
        (
            "live",
            "SK_LIVE_abc",
            "A Fintoc live secret key starts with sk_live_; this one does not.",
        ),
        (
            "test",
            "sk_test_abc def",
            "A Fintoc secret key has only letters, digits, '_' and '-' after its prefix; "
            "check what was pasted.",
        ),
        (
            "test",
            "sk_test_",
            "A Fintoc secret key has only letters, digits, '_' and '-' after its prefix; "
            "check what was pasted.",
        ),
    ],
)
def test_each_refused_secret_key_says_why_in_full(mode, value, message):
    with pytest.raises(KeyPrefixError) as info:
        validate_secret_key(mode, value)
    assert info.value.message == message
    assert str(info.value) == message  # no advice: the message says it all
    assert value.strip()[8:] not in message or not value.strip()[8:]


@pytest.mark.parametrize("value", [TEST_KEY, SecretStr(TEST_KEY), f"  {TEST_KEY}\n"])
def test_a_good_secret_key_comes_back_stripped(value):
    assert validate_secret_key("test", value) == TEST_KEY


def test_a_key_body_may_hold_underscores_and_dashes():
    assert validate_secret_key("live", LIVE_KEY + "_-x") == LIVE_KEY + "_-x"


# -- JWS private keys -----------------------------------------------------------------------


def test_each_refused_pem_says_why_in_full(rsa_key):
    public = (
        rsa_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    encrypted = _pem(rsa_key, encryption=serialization.BestAvailableEncryption(b"pw"))
    small = _pem(rsa.generate_private_key(public_exponent=65537, key_size=1024))
    not_rsa = _pem(ec.generate_private_key(ec.SECP256R1()))
    broken = "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n"
    certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    cases = {
        "just text": "That is not a PEM file (no -----BEGIN line).",
        public: (
            "That is a public key. fintoc-tui needs the private key; the public one is what "
            "you upload to the Fintoc dashboard."
        ),
        encrypted: (
            "That private key is encrypted with a passphrase. Decrypt it first: "
            "openssl pkey -in key.pem -out key-plain.pem"
        ),
        broken: "That PEM could not be read as a private key.",
        certificate: "That PEM could not be read as a private key.",
        not_rsa: "Fintoc signs with RS256, so the JWS key must be an RSA key.",
        small: "That RSA key has 1024 bits; Fintoc needs at least 2048.",
    }
    for pem, message in cases.items():
        with pytest.raises(InvalidPrivateKey) as info:
            validate_jws_private_key(pem)
        assert str(info.value) == message


def test_a_file_with_both_a_public_and_a_private_key_is_read_for_the_private_one(rsa_key):
    public = (
        rsa_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    private = _pem(rsa_key)
    assert validate_jws_private_key(public + private) == (public + private).strip() + "\n"


@pytest.mark.parametrize(
    "fmt", [serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL]
)
def test_good_pems_come_back_as_text_ending_in_one_newline(rsa_key, fmt):
    pem = _pem(rsa_key, fmt)
    for given in (pem, pem.encode(), SecretStr(pem), "\n\n" + pem + "\n\n"):
        assert validate_jws_private_key(given) == pem


def test_a_one_line_pem_with_backslash_n_escapes_is_read(rsa_key):
    pem = _pem(rsa_key)
    assert validate_jws_private_key(pem.strip().replace("\n", "\\n")) == pem


def test_pem_bytes_that_are_not_utf8_are_read_not_crashed_on(rsa_key):
    pem = _pem(rsa_key).encode()
    # A stray byte from a bad copy outside the PEM block: the block is still usable.
    text = validate_jws_private_key(pem + b"\xff\n")
    assert text.startswith("-----BEGIN PRIVATE KEY-----") and "\ufffd" in text
    with pytest.raises(InvalidPrivateKey, match=r"^That is not a PEM file"):
        validate_jws_private_key(b"\xff\xfe")


# -- how errors and values show themselves -------------------------------------------------


def test_an_error_shows_its_message_then_its_advice():
    error = CredentialError("The keyring is locked.", "Unlock it.")
    assert (error.message, error.advice, str(error)) == (
        "The keyring is locked.",
        "Unlock it.",
        "The keyring is locked. Unlock it.",
    )
    assert error.args == ("The keyring is locked.",)
    assert str(CredentialError("Only this.")) == "Only this."


def test_a_credential_shows_only_its_mask():
    key = Credential(SecretStr(LIVE_KEY), "env FINTOC_LIVE_SECRET_KEY", "secret_key", "live", "env")
    assert repr(key) == (
        "Credential(kind='secret_key', mode='live', value='sk_live_…4H2a', "
        "source='env FINTOC_LIVE_SECRET_KEY')"
    )
    assert str(key) == repr(key)
    assert key.masked == "sk_live_…4H2a" and key.secret() == LIVE_KEY
    pem = Credential(
        SecretStr("-----BEGIN PRIVATE KEY-----"), "this session only", "jws_private_key"
    )
    assert pem.masked == "RSA private key"
    assert (pem.mode, pem.origin) == ("test", "session")
    assert repr(pem) == (
        "Credential(kind='jws_private_key', mode='test', value='RSA private key', "
        "source='this session only')"
    )


@pytest.mark.parametrize(
    ("status", "summary", "live_ok"),
    [
        (KeyringStatus(True, "SecretService"), "keyring (SecretService)", True),
        (
            KeyringStatus(True, "PlaintextKeyring", PLAINTEXT_ADVICE, plaintext=True),
            "keyring (PlaintextKeyring, unencrypted: test keys only)",
            False,
        ),
        (KeyringStatus(False, "none", problem="No OS keyring."), "No OS keyring.", False),
        (KeyringStatus(False, "none"), "no keyring", False),
    ],
)
def test_the_status_summary_and_whether_live_keys_may_go_there(status, summary, live_ok):
    assert (status.summary, status.live_ok) == (summary, live_ok)


def test_status_defaults_say_nothing_is_wrong():
    status = KeyringStatus(True, "SecretService")
    assert (status.advice, status.plaintext, status.problem, status.in_memory) == (
        "",
        False,
        None,
        False,
    )


def test_the_advice_texts_in_full():
    assert NO_KEYRING_ADVICE == (
        "No OS keyring is available, so keys cannot be saved between runs. "
        "Set them in environment variables (FINTOC_TEST_SECRET_KEY, FINTOC_LIVE_SECRET_KEY, "
        "FINTOC_TEST_JWS_PRIVATE_KEY_FILE, FINTOC_LIVE_JWS_PRIVATE_KEY_FILE) or keep them for "
        "this session only. To save them, install and unlock a Secret Service "
        "(gnome-keyring, KeePassXC) or choose a backend with PYTHON_KEYRING_BACKEND."
    )
    assert TIMEOUT_ADVICE == (
        "The keyring did not answer in time; it may be locked and waiting for a password "
        "prompt. Unlock it and try again, or use environment variables or this-session-only "
        "storage meanwhile."
    )
    assert PLAINTEXT_ADVICE == (
        "This keyring backend stores secrets unencrypted on disk, so live keys are not saved "
        "in it. Use a Secret Service or the macOS/Windows keychain, environment variables, "
        "or keep the live key for this session only."
    )
