"""Credential sources, their order and provenance, and the keyring's failure modes."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import keyring
import keyring.core
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringLocked, PasswordDeleteError
from keyrings.alt.file import EncryptedKeyring, PlaintextKeyring
from keyrings.alt.multi import MultipartKeyringWrapper
from pydantic import SecretStr

from fintoc_tui.credentials import (
    DEFAULT_TIMEOUT,
    SERVICE,
    CredentialStore,
    InvalidPrivateKey,
    KeyPrefixError,
    KeyringFailure,
    KeyringTimeout,
    KeyringUnavailable,
    PlaintextKeyringRefused,
    is_plaintext,
    mask_key,
    validate_secret_key,
)
from fintoc_tui.keyring_memory import MemoryKeyring

TEST_KEY = "sk_test_9c8d7e6f5a4b3c2d1e0fgD3g"
TEST_KEY_2 = "sk_test_0000111122223333444455Zz"
# Fake; assembled so no live-key-shaped literal sits in the repository.
LIVE_KEY = "sk_live_" + "Q1w2E3r4T5y6U7i8O9p04H2a"


def _pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="module")
def rsa_pem() -> str:
    return _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture
def memory() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def store(memory) -> CredentialStore:
    return CredentialStore(memory, env={})


class BlockingKeyring(KeyringBackend):
    """A keyring that hangs like a locked Secret Service waiting on a prompt."""

    priority = -5  # never auto-selected

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.entered = threading.Event()

    def get_password(self, service, username):
        self.entered.set()
        self.release.wait()
        return None

    def set_password(self, service, username, password):
        self.release.wait()


def plaintext_file_keyring(path: Path, cls: type[PlaintextKeyring] = PlaintextKeyring):
    """keyrings.alt's real unencrypted file backend, writing to `path`."""
    backend = cls()
    backend.file_path = str(path)
    return backend


def on_disk(path: Path, account: str) -> str | None:
    """What the unencrypted file at `path` holds for `account`, read as anyone could."""
    return plaintext_file_keyring(path).get_password(SERVICE, account)


class ReadOnlyKeyring(KeyringBackend):
    """A backend that refuses writes the way a chainer skips past (NotImplementedError)."""

    priority = -5

    def get_password(self, service, username):
        return None

    def set_password(self, service, username, password):
        raise NotImplementedError


def chain_of(*members: KeyringBackend) -> ChainerBackend:
    """keyring's own chainer over exactly these backends, as auto-detection builds one."""

    class Chain(ChainerBackend):
        backends = list(members)

    return Chain()


class EchoingKeyring(KeyringBackend):
    """A backend whose errors repeat the password it was given."""

    priority = -5

    def get_password(self, service, username):
        return None

    def set_password(self, service, username, password):
        raise RuntimeError(f"cannot store {password!r}")


class LockedKeyring(KeyringBackend):
    priority = -5

    def get_password(self, service, username):
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service, username, password):
        raise KeyringLocked("Failed to unlock the collection!")


# --- mask_key and validation ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (TEST_KEY, "sk_test_…gD3g"),
        (SecretStr(LIVE_KEY), "sk_live_…4H2a"),
        ("  " + TEST_KEY + "\n", "sk_test_…gD3g"),
        ("pk_live_abcdefghijklmnop", "pk_live_…mnop"),
        ("sk_test_short", "••••"),
        ("hunter2hunter2hunter2hunter2", "••••"),
        ("-----BEGIN PRIVATE KEY-----\nMIIEv", "••••"),
        ("", "••••"),
        (None, ""),
    ],
)
def test_mask_key_shows_prefix_and_last_four_only(value, masked):
    assert mask_key(value) == masked


@pytest.mark.parametrize(
    ("mode", "value", "phrase"),
    [
        ("test", LIVE_KEY, "That is a live key (sk_live_…4H2a)"),
        ("live", TEST_KEY, "That is a test key (sk_test_…gD3g)"),
        ("test", "pk_test_abcdefghijklmnop", "public key"),
        ("test", "", "No key given"),
        ("live", "abc123", "starts with sk_live_"),
        ("test", "sk_test_abc def", "only letters, digits"),
    ],
)
def test_wrong_keys_are_refused_with_a_clear_message(mode, value, phrase):
    with pytest.raises(KeyPrefixError) as info:
        validate_secret_key(mode, value)
    assert phrase in str(info.value)
    # The message never repeats the key itself.
    if len(value) > 12:
        assert value not in str(info.value)


def test_set_refuses_a_key_in_the_wrong_slot_and_saves_nothing(store, memory):
    with pytest.raises(KeyPrefixError, match="sk_test_"):
        store.set_secret_key("test", LIVE_KEY, "keyring")
    with pytest.raises(KeyPrefixError):
        store.set_secret_key("live", TEST_KEY, "session")
    assert store.secret_key("test") is None
    assert store.secret_key("live") is None
    assert memory.get_password(SERVICE, "test/secret_key") is None


# --- the in-memory backend ----------------------------------------------------


def test_memory_keyring_set_get_delete(memory):
    memory.set_password("svc", "user", "pw")
    assert memory.get_password("svc", "user") == "pw"
    assert memory.get_password("svc", "other") is None
    memory.delete_password("svc", "user")
    assert memory.get_password("svc", "user") is None
    with pytest.raises(PasswordDeleteError):
        memory.delete_password("svc", "user")
    memory.set_password("svc", "user", TEST_KEY)
    assert TEST_KEY not in repr(memory)


def test_memory_keyring_is_used_only_when_chosen(monkeypatch):
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    assert MemoryKeyring.priority < fail.Keyring.priority
    # Imported, it still never wins auto-detection over "no keyring".
    assert not isinstance(keyring.core._detect_backend(), MemoryKeyring)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "fintoc_tui.keyring_memory.MemoryKeyring")
    assert isinstance(keyring.core._detect_backend(), MemoryKeyring)


# --- sources, order, provenance ---------------------------------------------


def test_keyring_set_get_delete_with_provenance(store, memory):
    saved = store.set_secret_key("test", TEST_KEY, "keyring")
    assert saved.source == "keyring (MemoryKeyring)"
    assert saved.origin == "keyring"
    assert memory.get_password(SERVICE, "test/secret_key") == TEST_KEY
    found = store.secret_key("test")
    assert found.secret() == TEST_KEY
    assert found.masked == "sk_test_…gD3g"
    assert store.secret_key("live") is None
    assert store.delete_secret_key("test") is None
    assert store.secret_key("test") is None
    assert memory.get_password(SERVICE, "test/secret_key") is None


def test_session_only_keys_live_in_memory_and_say_so(store, memory):
    saved = store.set_secret_key("live", LIVE_KEY, "session")
    assert saved.source == "this session only"
    assert memory.get_password(SERVICE, "live/secret_key") is None
    assert store.secret_key("live").secret() == LIVE_KEY
    # A fresh store (a new run) does not see it.
    assert CredentialStore(memory, env={}).secret_key("live") is None
    store.delete_secret_key("live")
    assert store.secret_key("live") is None


def test_order_is_env_then_keyring_then_session(memory):
    env: dict[str, str] = {}
    store = CredentialStore(memory, env=env)
    store.set_secret_key("test", TEST_KEY_2, "session")
    assert store.secret_key("test").source == "this session only"

    memory.set_password(SERVICE, "test/secret_key", TEST_KEY)
    found = store.secret_key("test")
    assert (found.source, found.secret()) == ("keyring (MemoryKeyring)", TEST_KEY)

    env["FINTOC_SECRET_KEY"] = TEST_KEY_2
    found = store.secret_key("test")
    assert (found.source, found.secret()) == ("env FINTOC_SECRET_KEY", TEST_KEY_2)
    assert store.env_source("secret_key", "test") == "env FINTOC_SECRET_KEY"

    env["FINTOC_TEST_SECRET_KEY"] = TEST_KEY
    found = store.secret_key("test")
    assert (found.source, found.secret()) == ("env FINTOC_TEST_SECRET_KEY", TEST_KEY)


def test_by_default_the_store_reads_the_processs_environment(memory, monkeypatch, rsa_pem):
    """README's first key source: the running app's store (no `env=`) reads os.environ,
    each time, so a variable set after the store was made still counts."""
    store = CredentialStore(memory)
    assert store.secret_key("test") is None
    monkeypatch.setenv("FINTOC_TEST_SECRET_KEY", TEST_KEY)
    monkeypatch.setenv("FINTOC_JWS_PRIVATE_KEY", rsa_pem)
    found = store.secret_key("test")
    assert (found.source, found.secret(), found.origin) == (
        "env FINTOC_TEST_SECRET_KEY",
        TEST_KEY,
        "env",
    )
    assert store.jws_private_key("live").source == "env FINTOC_JWS_PRIVATE_KEY"
    assert CredentialStore(keyring=memory).secret_key("test").secret() == TEST_KEY


def test_generic_env_key_fills_the_slot_its_prefix_names(memory):
    store = CredentialStore(memory, env={"FINTOC_SECRET_KEY": LIVE_KEY})
    assert store.secret_key("test") is None
    live = store.secret_key("live")
    assert (live.source, live.secret(), live.mode) == ("env FINTOC_SECRET_KEY", LIVE_KEY, "live")


def test_a_wrong_env_key_is_reported_naming_the_variable(memory):
    store = CredentialStore(memory, env={"FINTOC_TEST_SECRET_KEY": LIVE_KEY})
    with pytest.raises(KeyPrefixError) as info:
        store.secret_key("test")
    assert str(info.value).startswith("FINTOC_TEST_SECRET_KEY: That is a live key")
    assert LIVE_KEY not in str(info.value)
    garbage = CredentialStore(memory, env={"FINTOC_SECRET_KEY": "nonsense-value"})
    with pytest.raises(KeyPrefixError, match="FINTOC_SECRET_KEY does not hold"):
        garbage.secret_key("live")


def test_saving_while_an_env_var_is_set_reports_the_env_var_still_wins(memory):
    store = CredentialStore(memory, env={"FINTOC_TEST_SECRET_KEY": TEST_KEY})
    effective = store.set_secret_key("test", TEST_KEY_2, "keyring")
    assert effective.source == "env FINTOC_TEST_SECRET_KEY"
    assert memory.get_password(SERVICE, "test/secret_key") == TEST_KEY_2
    assert store.delete_secret_key("test") == "env FINTOC_TEST_SECRET_KEY"


def test_saving_to_the_keyring_drops_an_older_session_copy(store):
    store.set_secret_key("test", TEST_KEY_2, "session")
    store.set_secret_key("test", TEST_KEY, "keyring")
    store.delete_secret_key("test")
    assert store.secret_key("test") is None


def test_a_bad_value_in_the_keyring_is_reported(store, memory):
    memory.set_password(SERVICE, "live/secret_key", TEST_KEY)
    with pytest.raises(KeyPrefixError, match="keyring entry fintoc-tui live/secret_key"):
        store.secret_key("live")


# --- no keyring backend ---------------------------------------------------------


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_without_a_keyring_the_store_explains_and_keeps_working(backend):
    store = CredentialStore(backend, env={"FINTOC_LIVE_SECRET_KEY": LIVE_KEY})
    status = store.keyring_status()
    assert status.available is False
    assert not status.live_ok
    assert "PYTHON_KEYRING_BACKEND" in status.advice
    assert "Secret Service" in status.advice
    assert "FINTOC_TEST_SECRET_KEY" in status.advice
    assert status.summary == status.problem
    assert store.last_status == status

    assert store.secret_key("test") is None
    with pytest.raises(KeyringUnavailable) as info:
        store.set_secret_key("test", TEST_KEY, "keyring")
    assert "PYTHON_KEYRING_BACKEND" in str(info.value)

    assert store.set_secret_key("test", TEST_KEY, "session").source == "this session only"
    assert store.secret_key("test").secret() == TEST_KEY
    assert store.secret_key("live").source == "env FINTOC_LIVE_SECRET_KEY"
    assert store.delete_secret_key("test") is None
    assert store.secret_key("test") is None


def test_default_backend_is_resolved_lazily_from_keyring(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    store = CredentialStore(env={})
    assert "keyring=default" in repr(store)
    status = store.keyring_status()
    assert (status.available, status.backend) == (False, "none")
    assert store.set_secret_key("test", TEST_KEY, "session").secret() == TEST_KEY


def test_a_locked_keyring_is_unavailable_not_a_crash():
    store = CredentialStore(LockedKeyring(), env={})
    assert store.keyring_status().problem == "The keyring is locked."
    assert store.secret_key("test") is None
    with pytest.raises(KeyringUnavailable, match="locked"):
        store.set_secret_key("test", TEST_KEY, "keyring")


# --- timeouts ---------------------------------------------------------------------


@pytest.fixture
def blocking():
    backend = BlockingKeyring()
    yield backend
    backend.release.set()


def test_a_hung_keyring_times_out(blocking):
    store = CredentialStore(blocking, env={}, timeout=0.05)
    with pytest.raises(KeyringTimeout) as info:
        store.secret_key("test")
    assert "did not answer within 0.05 s" in str(info.value)
    assert "locked" in info.value.advice
    assert blocking.entered.is_set()
    stuck = [t for t in threading.enumerate() if t.name == "fintoc-tui-keyring"]
    assert stuck and all(t.daemon for t in stuck)

    # While the first call hangs, later ones fail at once rather than pile up.
    with pytest.raises(KeyringTimeout, match="still busy"):
        store.set_secret_key("test", TEST_KEY, "keyring")
    status = store.keyring_status()
    assert status.available is False and "still busy" in status.problem

    # Session storage is not held hostage by the keyring.
    store.set_secret_key("test", TEST_KEY, "session")
    assert store.secret_key("test").source == "this session only"

    # Once the keyring answers again, so does the store.
    blocking.release.set()
    stuck[0].join()
    assert store.keyring_status().available is True


def test_the_default_timeout_is_the_documented_two_seconds(blocking):
    """README and docs/keys.md promise the keyring is given up on after 2 seconds
    (tests/test_docs_agree.py holds them to DEFAULT_TIMEOUT).

    The store is made with its defaults, as the app makes it; this waits the
    real two seconds once (no assertion on how long it took).
    """
    store = CredentialStore(blocking, env={})
    assert DEFAULT_TIMEOUT == 2.0 and store.timeout == DEFAULT_TIMEOUT
    with pytest.raises(KeyringTimeout, match=r"did not answer within 2 s \(read a key\)"):
        store.secret_key("test")


# --- never plaintext for live -------------------------------------------------------


def test_live_keys_are_never_written_to_a_plaintext_backend(tmp_path, rsa_pem):
    path = tmp_path / "keys.cfg"
    store = CredentialStore(plaintext_file_keyring(path), env={})
    status = store.keyring_status()
    assert status.available and status.plaintext and not status.live_ok
    assert "unencrypted" in status.summary

    with pytest.raises(PlaintextKeyringRefused, match="never written in plaintext"):
        store.set_secret_key("live", LIVE_KEY, "keyring")
    with pytest.raises(PlaintextKeyringRefused):
        store.set_jws_private_key("live", rsa_pem, "keyring")
    assert on_disk(path, "live/secret_key") is None
    assert on_disk(path, "live/jws_private_key") is None
    assert store.secret_key("live") is None

    # Test keys may go there; live ones may be kept for the session.
    assert store.set_secret_key("test", TEST_KEY, "keyring").origin == "keyring"
    assert on_disk(path, "test/secret_key") == TEST_KEY
    assert store.set_secret_key("live", LIVE_KEY, "session").origin == "session"
    assert on_disk(path, "live/secret_key") is None


class CorporateVault(PlaintextKeyring):
    """A PlaintextKeyring by another name (a site's own subclass, a fork)."""


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: plaintext_file_keyring(p, CorporateVault), id="renamed-subclass"),
        pytest.param(
            lambda p: chain_of(ReadOnlyKeyring(), plaintext_file_keyring(p)),
            id="chain-first-refuses-writes",
        ),
        pytest.param(
            lambda p: chain_of(MemoryKeyring(), plaintext_file_keyring(p)),
            id="chain-plaintext-second",
        ),
        pytest.param(
            lambda p: MultipartKeyringWrapper(plaintext_file_keyring(p)),
            id="multipart-wrapper",
        ),
    ],
)
def test_plaintext_is_found_by_type_anywhere_a_write_can_land(tmp_path, rsa_pem, make):
    path = tmp_path / "keys.cfg"
    store = CredentialStore(make(path), env={})
    status = store.keyring_status()
    assert status.available and status.plaintext and not status.live_ok

    with pytest.raises(PlaintextKeyringRefused):
        store.set_secret_key("live", LIVE_KEY, "keyring")
    with pytest.raises(PlaintextKeyringRefused):
        store.set_jws_private_key("live", rsa_pem, "keyring")
    assert on_disk(path, "live/secret_key") is None
    assert on_disk(path, "live/jws_private_key") is None
    assert store.secret_key("live") is None


def test_a_chain_that_writes_through_to_plaintext_really_does(tmp_path):
    """Why every member counts: the chainer hands a refused write to the next backend."""
    path = tmp_path / "keys.cfg"
    store = CredentialStore(chain_of(ReadOnlyKeyring(), plaintext_file_keyring(path)), env={})
    store.set_secret_key("test", TEST_KEY, "keyring")
    assert on_disk(path, "test/secret_key") == TEST_KEY
    assert store.keyring_status().backend == "ReadOnlyKeyring + PlaintextKeyring"


def test_encrypted_and_ordinary_backends_are_not_plaintext():
    # EncryptedKeyring needs pycryptodome to start; its type is what counts.
    encrypted = EncryptedKeyring.__new__(EncryptedKeyring)
    assert not is_plaintext(encrypted)
    assert not is_plaintext(MemoryKeyring())
    assert not is_plaintext(chain_of(MemoryKeyring()))
    assert is_plaintext(PlaintextKeyring())
    store = CredentialStore(chain_of(MemoryKeyring(), ReadOnlyKeyring()), env={})
    status = store.keyring_status()
    assert status.live_ok and not status.plaintext
    # Saved keys outlive the process as soon as one member is persistent.
    assert not status.in_memory
    store.set_secret_key("live", LIVE_KEY, "keyring")
    assert store.secret_key("live").origin == "keyring"


@pytest.mark.parametrize(
    ("backend", "name"),
    [
        (chain_of(), "none"),
        (chain_of(fail.Keyring(), null.Keyring()), "none"),
        (null.Keyring(), "null"),
        (fail.Keyring(), "none"),
    ],
)
def test_a_chain_of_nothing_is_no_keyring(backend, name):
    status = CredentialStore(backend, env={}).keyring_status()
    assert (status.available, status.backend) == (False, name)
    assert status.problem


# --- secrets stay secret ---------------------------------------------------------------


def test_reprs_never_show_secrets(store, rsa_pem):
    key = store.set_secret_key("test", TEST_KEY, "keyring")
    jws = store.set_jws_private_key("test", rsa_pem, "session")
    body = rsa_pem.splitlines()[1]
    for text in (repr(key), str(key), f"{key}", repr(store), str(store)):
        assert TEST_KEY not in text
        assert "9c8d7e6f" not in text
    assert "sk_test_…gD3g" in repr(key)
    for text in (repr(jws), str(jws)):
        assert body not in text
        assert "RSA private key" in text
    assert repr(key.value) == "SecretStr('**********')"


def test_backend_errors_never_echo_the_secret(caplog):
    store = CredentialStore(EchoingKeyring(), env={})
    with caplog.at_level(logging.DEBUG), pytest.raises(KeyringFailure) as info:
        store.set_secret_key("test", TEST_KEY, "keyring")
    assert "RuntimeError" in str(info.value)
    assert TEST_KEY not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert TEST_KEY not in caplog.text
    assert "RuntimeError" in caplog.text


# --- JWS private keys ---------------------------------------------------------------


def test_jws_key_set_in_keyring_and_read_back(store, memory, rsa_pem):
    saved = store.set_jws_private_key("live", rsa_pem, "keyring")
    assert saved.source == "keyring (MemoryKeyring)"
    assert saved.kind == "jws_private_key"
    assert memory.get_password(SERVICE, "live/jws_private_key") == rsa_pem
    assert store.jws_private_key("live").secret() == rsa_pem
    assert store.jws_private_key("test") is None
    store.delete_jws_private_key("live")
    assert store.jws_private_key("live") is None


def _public_pem(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def test_unusable_jws_keys_are_refused(store, rsa_pem):
    small = _pem(rsa.generate_private_key(public_exponent=65537, key_size=1024))
    ec_key = _pem(ec.generate_private_key(ec.SECP256R1()))
    encrypted = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"pw"),
        )
        .decode()
    )
    cases = [
        ("not a key", "not a PEM"),
        (_public_pem(rsa_pem), "That is a public key"),
        (small, "1024 bits"),
        (ec_key, "must be an RSA key"),
        (encrypted, "encrypted with a passphrase"),
        (rsa_pem.replace("A", "B", 40), "could not be read"),
    ]
    for pem, phrase in cases:
        with pytest.raises(InvalidPrivateKey, match=phrase):
            store.set_jws_private_key("test", pem, "session")
    assert store.jws_private_key("test") is None


def test_jws_key_from_env_text_file_and_generic(tmp_path, memory, rsa_pem):
    key_file = tmp_path / "jws.pem"
    key_file.write_text(rsa_pem)
    one_line = rsa_pem.strip().replace("\n", "\\n")  # as .env files hold it
    env = {
        "FINTOC_TEST_JWS_PRIVATE_KEY": one_line,
        "FINTOC_LIVE_JWS_PRIVATE_KEY_FILE": str(key_file),
    }
    store = CredentialStore(memory, env=env)
    test = store.jws_private_key("test")
    assert (test.source, test.secret()) == ("env FINTOC_TEST_JWS_PRIVATE_KEY", rsa_pem)
    live = store.jws_private_key("live")
    assert live.source == f"env FINTOC_LIVE_JWS_PRIVATE_KEY_FILE ({key_file})"
    assert live.secret() == rsa_pem

    generic = CredentialStore(memory, env={"FINTOC_JWS_PRIVATE_KEY_FILE": str(key_file)})
    for mode in ("test", "live"):
        assert generic.jws_private_key(mode).source.startswith("env FINTOC_JWS_PRIVATE_KEY_FILE")

    missing = CredentialStore(memory, env={"FINTOC_JWS_PRIVATE_KEY_FILE": str(tmp_path / "no")})
    with pytest.raises(InvalidPrivateKey, match="cannot be read"):
        missing.jws_private_key("test")


def test_the_status_says_whether_saved_keys_outlive_the_process():
    """An in-memory backend (persistent = False) is available but forgets at exit; others keep."""
    memory = CredentialStore(MemoryKeyring(), env={}).keyring_status()
    assert memory.available and memory.in_memory
    lasting = CredentialStore(EchoingKeyring(), env={}).keyring_status()
    assert lasting.available and not lasting.in_memory
