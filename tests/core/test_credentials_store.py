"""The credential store's details a person sees: where each key came from, what the
keyring status says, and the exact words (and log lines) of each keyring failure.

Written while mutation-testing `credentials.py`: each test pins a behaviour
that a one-token change used to leave unnoticed.
"""

from __future__ import annotations

import logging
import sys
import threading

import keyring.core
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import InitError, KeyringLocked, NoKeyringError

from fintoc_tui.credentials import (
    NO_KEYRING_ADVICE,
    PLAINTEXT_ADVICE,
    SERVICE,
    TIMEOUT_ADVICE,
    CredentialStore,
    KeyPrefixError,
    KeyringFailure,
    KeyringStatus,
    KeyringTimeout,
    KeyringUnavailable,
    PlaintextKeyringRefused,
    backend_name,
    is_plaintext,
)
from fintoc_tui.keyring_memory import MemoryKeyring

TEST_KEY = "sk_test_9c8d7e6f5a4b3c2d1e0fgD3g"
LIVE_KEY = "sk_live_" + "Q1w2E3r4T5y6U7i8O9p04H2a"


@pytest.fixture(scope="module")
def pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _facts(credential) -> tuple:
    return (
        credential.kind,
        credential.mode,
        credential.origin,
        credential.source,
        credential.secret(),
    )


class Raising(KeyringBackend):
    """A backend whose every call raises `error` (as a broken Secret Service does)."""

    priority = -5

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error
        self.asked: list[tuple[str, str]] = []

    def get_password(self, service, username):
        self.asked.append((service, username))
        raise self.error

    def set_password(self, service, username, password):
        raise self.error

    def delete_password(self, service, username):
        raise self.error


class Blocking(KeyringBackend):
    priority = -5

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service, username):
        self.release.wait()

    def set_password(self, service, username, password):
        self.release.wait()

    def delete_password(self, service, username):
        self.release.wait()


@pytest.fixture
def blocking():
    backend = Blocking()
    yield backend
    backend.release.set()


# -- where each key came from ----------------------------------------------------------------


def test_every_source_says_what_it_holds_for_which_mode(tmp_path, pem):
    pem_file = tmp_path / "live.pem"
    pem_file.write_text(pem)
    memory = MemoryKeyring()
    env = {
        "FINTOC_LIVE_SECRET_KEY": LIVE_KEY,
        "FINTOC_LIVE_JWS_PRIVATE_KEY_FILE": str(pem_file),
        "FINTOC_TEST_JWS_PRIVATE_KEY": pem,
    }
    store = CredentialStore(memory, env=env)
    assert _facts(store.secret_key("live")) == (
        "secret_key",
        "live",
        "env",
        "env FINTOC_LIVE_SECRET_KEY",
        LIVE_KEY,
    )
    assert _facts(store.jws_private_key("live")) == (
        "jws_private_key",
        "live",
        "env",
        f"env FINTOC_LIVE_JWS_PRIVATE_KEY_FILE ({pem_file})",
        pem,
    )
    assert _facts(store.jws_private_key("test")) == (
        "jws_private_key",
        "test",
        "env",
        "env FINTOC_TEST_JWS_PRIVATE_KEY",
        pem,
    )
    env.clear()
    env["FINTOC_SECRET_KEY"] = LIVE_KEY
    env["FINTOC_JWS_PRIVATE_KEY_FILE"] = str(pem_file)
    assert _facts(store.secret_key("live"))[2:4] == ("env", "env FINTOC_SECRET_KEY")
    assert store.secret_key("live").mode == "live"
    assert store.jws_private_key("test").mode == "test"

    env.clear()
    memory.set_password(SERVICE, "live/secret_key", LIVE_KEY)
    assert _facts(store.secret_key("live")) == (
        "secret_key",
        "live",
        "keyring",
        "keyring (MemoryKeyring)",
        LIVE_KEY,
    )
    store.set_jws_private_key("live", pem, "session")
    assert _facts(store.jws_private_key("live")) == (
        "jws_private_key",
        "live",
        "session",
        "this session only",
        pem,
    )


def test_the_env_source_is_named_even_when_its_value_is_wrong(tmp_path):
    store = CredentialStore(
        MemoryKeyring(),
        env={
            "FINTOC_TEST_SECRET_KEY": LIVE_KEY,
            "FINTOC_JWS_PRIVATE_KEY_FILE": str(tmp_path / "missing.pem"),
        },
    )
    assert store.env_source("secret_key", "test") == "env FINTOC_TEST_SECRET_KEY"
    assert store.env_source("jws_private_key", "live") == (
        f"env FINTOC_JWS_PRIVATE_KEY_FILE ({tmp_path / 'missing.pem'})"
    )
    assert store.env_source("secret_key", "live") is None


@pytest.mark.parametrize(
    ("env", "kind", "message"),
    [
        (
            {"FINTOC_SECRET_KEY": "hunter2"},
            "secret_key",
            "FINTOC_SECRET_KEY does not hold a Fintoc secret key (sk_test_… or sk_live_…).",
        ),
        (
            {"FINTOC_SECRET_KEY": "sk_test_bad key"},
            "secret_key",
            "FINTOC_SECRET_KEY: A Fintoc secret key has only letters, digits, '_' and '-' "
            "after its prefix; check what was pasted.",
        ),
        (
            {"FINTOC_TEST_SECRET_KEY": LIVE_KEY},
            "secret_key",
            "FINTOC_TEST_SECRET_KEY: That is a live key (sk_live_…4H2a); the test slot "
            "takes keys that start with sk_test_.",
        ),
        (
            {"FINTOC_TEST_JWS_PRIVATE_KEY": "not a pem"},
            "jws_private_key",
            "FINTOC_TEST_JWS_PRIVATE_KEY: That is not a PEM file (no -----BEGIN line).",
        ),
    ],
)
def test_a_wrong_env_value_is_reported_whole_and_by_name(env, kind, message):
    store = CredentialStore(MemoryKeyring(), env=env)
    with pytest.raises(KeyPrefixError if kind == "secret_key" else Exception) as info:
        store.get(kind, "test")
    assert str(info.value) == message


def test_a_jws_file_that_is_not_a_key_is_reported_with_its_path(tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("hello")
    store = CredentialStore(MemoryKeyring(), env={"FINTOC_JWS_PRIVATE_KEY_FILE": str(bad)})
    with pytest.raises(Exception) as info:
        store.jws_private_key("test")
    assert str(info.value) == (
        f"FINTOC_JWS_PRIVATE_KEY_FILE ({bad}): That is not a PEM file (no -----BEGIN line)."
    )
    missing = CredentialStore(
        MemoryKeyring(), env={"FINTOC_JWS_PRIVATE_KEY_FILE": str(tmp_path / "no.pem")}
    )
    with pytest.raises(Exception) as info:
        missing.jws_private_key("test")
    assert str(info.value) == (
        f"FINTOC_JWS_PRIVATE_KEY_FILE points at {tmp_path / 'no.pem'}, which cannot be read "
        "(No such file or directory)."
    )


def test_a_bad_keyring_value_is_reported_with_its_entry():
    memory = MemoryKeyring()
    memory.set_password(SERVICE, "test/secret_key", LIVE_KEY)
    with pytest.raises(KeyPrefixError) as info:
        CredentialStore(memory, env={}).secret_key("test")
    assert str(info.value) == (
        "The keyring entry fintoc-tui test/secret_key is not usable: That is a live key "
        "(sk_live_…4H2a); the test slot takes keys that start with sk_test_."
    )


def test_a_keyring_save_replaces_the_session_copy_for_good():
    memory = MemoryKeyring()
    store = CredentialStore(memory, env={})
    store.set_secret_key("test", TEST_KEY, "session")
    store.set_secret_key("test", TEST_KEY, "keyring")
    memory.delete_password(SERVICE, "test/secret_key")  # removed elsewhere (another app)
    assert store.secret_key("test") is None


def test_secret_keys_saved_as_bytes_are_read_as_text():
    store = CredentialStore(MemoryKeyring(), env={})
    assert store.set("secret_key", "test", TEST_KEY.encode(), "session").secret() == TEST_KEY
    with pytest.raises(KeyPrefixError, match="this one does not"):
        store.set("secret_key", "test", b"\xffsk_test_x", "session")


def test_only_keyring_or_session_are_places_to_save():
    store = CredentialStore(MemoryKeyring(), env={})
    with pytest.raises(ValueError) as info:
        store.set_secret_key("test", TEST_KEY, "disk")  # type: ignore[arg-type]
    assert str(info.value) == "where must be 'keyring' or 'session', not 'disk'"


def test_a_keyring_that_is_not_there_leaves_the_session_copy_in_use():
    store = CredentialStore(fail.Keyring(), env={})
    store.set_secret_key("live", LIVE_KEY, "session")
    assert store.secret_key("live").origin == "session"
    assert store.delete_secret_key("live") is None
    assert store.secret_key("live") is None
    assert CredentialStore(null.Keyring(), env={}).delete_secret_key("test") is None


# -- the store and its status, shown -----------------------------------------------------------


def test_the_store_shows_its_keyring_timeout_and_how_many_session_keys():
    store = CredentialStore(MemoryKeyring(), env={}, timeout=0.5)
    assert repr(store) == "<CredentialStore keyring=MemoryKeyring timeout=0.5s session=0>"
    store.set_secret_key("test", TEST_KEY, "session")
    assert repr(store) == "<CredentialStore keyring=MemoryKeyring timeout=0.5s session=1>"
    assert store.last_status is None


@pytest.mark.parametrize(
    ("backend", "status"),
    [
        (MemoryKeyring(), KeyringStatus(True, "MemoryKeyring", in_memory=True)),
        (
            null.Keyring(),
            KeyringStatus(
                False,
                "null",
                NO_KEYRING_ADVICE,
                problem="The keyring is switched off (null backend).",
            ),
        ),
        (
            fail.Keyring(),
            KeyringStatus(
                False,
                "none",
                NO_KEYRING_ADVICE,
                problem="No OS keyring backend is available on this machine.",
            ),
        ),
        (
            Raising(KeyringLocked("locked")),
            KeyringStatus(False, "Raising", TIMEOUT_ADVICE, problem="The keyring is locked."),
        ),
        (
            Raising(NoKeyringError("none")),
            KeyringStatus(
                False,
                "Raising",
                NO_KEYRING_ADVICE,
                problem="No OS keyring backend is available on this machine.",
            ),
        ),
        (
            Raising(InitError("bus")),
            KeyringStatus(
                False, "Raising", NO_KEYRING_ADVICE, problem="The keyring could not be opened."
            ),
        ),
        (
            Raising(RuntimeError("dbus said no")),
            KeyringStatus(
                False,
                "Raising",
                NO_KEYRING_ADVICE,
                problem="The keyring (Raising) failed while trying to check the keyring: "
                "RuntimeError.",
            ),
        ),
    ],
)
def test_the_status_of_each_kind_of_keyring_in_full(backend, status):
    store = CredentialStore(backend, env={})
    assert store.keyring_status() == status
    assert store.last_status == status


def test_a_plaintext_status_carries_its_advice(tmp_path):
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "k.cfg")
    assert CredentialStore(backend, env={}).keyring_status() == KeyringStatus(
        True, "PlaintextKeyring", PLAINTEXT_ADVICE, plaintext=True
    )
    with pytest.raises(PlaintextKeyringRefused) as info:
        CredentialStore(backend, env={}).set_secret_key("live", LIVE_KEY, "keyring")
    assert info.value.advice == PLAINTEXT_ADVICE
    assert info.value.message == (
        "Live keys are never written in plaintext, and the keyring backend "
        "(PlaintextKeyring) stores them unencrypted."
    )


def test_the_probe_reads_one_entry_that_does_not_exist():
    backend = Raising(RuntimeError("x"))
    CredentialStore(backend, env={}).keyring_status()
    assert backend.asked == [("fintoc-tui", "status-probe")]


@pytest.mark.parametrize(
    ("error", "message", "advice"),
    [
        (
            NoKeyringError("x"),
            "No OS keyring backend is available on this machine.",
            NO_KEYRING_ADVICE,
        ),
        (KeyringLocked("x"), "The keyring is locked.", TIMEOUT_ADVICE),
        (InitError("x"), "The keyring could not be opened.", NO_KEYRING_ADVICE),
    ],
)
def test_a_save_that_fails_says_why_and_what_to_do(error, message, advice):
    store = CredentialStore(Raising(error), env={})
    with pytest.raises(KeyringUnavailable) as info:
        store.set_secret_key("test", TEST_KEY, "keyring")
    assert (info.value.message, info.value.advice) == (message, advice)


def test_saving_to_no_keyring_says_so_with_the_advice():
    with pytest.raises(KeyringUnavailable) as info:
        CredentialStore(null.Keyring(), env={}).set_secret_key("test", TEST_KEY, "keyring")
    assert (info.value.message, info.value.advice) == (
        "The keyring is switched off (null backend).",
        NO_KEYRING_ADVICE,
    )


def test_a_failed_save_is_logged_by_type_only(caplog):
    store = CredentialStore(Raising(RuntimeError(f"cannot store {TEST_KEY}")), env={})
    with caplog.at_level(logging.WARNING, "fintoc_tui.credentials"), pytest.raises(KeyringFailure):
        store.set_secret_key("test", TEST_KEY, "keyring")
    assert caplog.messages == ["keyring call save a key failed: RuntimeError"]


def test_each_timed_out_call_names_what_it_was_doing(blocking, caplog):
    store = CredentialStore(blocking, env={}, timeout=0.05)
    with (
        caplog.at_level(logging.WARNING, "fintoc_tui.credentials"),
        pytest.raises(KeyringTimeout) as info,
    ):
        store.delete_secret_key("test")
    assert (info.value.message, info.value.advice) == (
        "The keyring did not answer within 0.05 s (delete a key).",
        TIMEOUT_ADVICE,
    )
    assert caplog.messages == ["keyring call delete a key timed out after 0.05s"]
    with pytest.raises(KeyringTimeout) as info:
        store.set_secret_key("test", TEST_KEY, "keyring")
    assert (info.value.message, info.value.advice) == (
        "The keyring is still busy with an earlier request (save a key).",
        TIMEOUT_ADVICE,
    )
    assert store.keyring_status() == KeyringStatus(
        False,
        "Blocking",
        TIMEOUT_ADVICE,
        problem="The keyring is still busy with an earlier request (check the keyring).",
        timed_out_after=0.05,
    )


def test_a_second_caller_waits_its_turn_then_gives_up_saying_busy(blocking):
    store = CredentialStore(blocking, env={}, timeout=0.2)
    holding = threading.Event()
    release_lock = threading.Event()

    def hold_the_lock() -> None:
        with store._keyring_lock:
            holding.set()
            release_lock.wait()

    holder = threading.Thread(target=hold_the_lock, daemon=True)
    holder.start()
    holding.wait()
    try:
        with pytest.raises(KeyringTimeout) as info:
            store.set_secret_key("test", TEST_KEY, "keyring")
    finally:
        release_lock.set()
        holder.join()
    assert (info.value.message, info.value.advice) == (
        "The keyring is busy (save a key).",
        TIMEOUT_ADVICE,
    )


def test_a_keyring_that_cannot_even_be_chosen_is_named_unknown(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "no_such_module.NoKeyring")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    status = CredentialStore(env={}).keyring_status()
    assert status.available is False and status.backend == "unknown"
    assert status.problem == (
        "The keyring (unknown) failed while trying to check the keyring: ModuleNotFoundError."
    )


# -- naming backends; plaintext without keyrings.alt ------------------------------------------


def test_backends_are_named_for_a_person():
    assert backend_name(MemoryKeyring()) == "MemoryKeyring"
    named_keyring = type(
        "Keyring", (null.Keyring,), {"__module__": "keyring.backends.SecretService"}
    )
    assert backend_name(named_keyring()) == "SecretService"
    flat = type("Keyring", (null.Keyring,), {"__module__": "macOS"})
    assert backend_name(flat()) == "macOS"


def test_without_keyrings_alt_nothing_is_plaintext(monkeypatch):
    from keyrings.alt.file import PlaintextKeyring
    from keyrings.alt.multi import MultipartKeyringWrapper

    wrapped = MultipartKeyringWrapper(MemoryKeyring())
    plaintext = PlaintextKeyring()
    # As if keyrings.alt were not installed: its modules cannot be imported.
    for name in ("keyrings.alt.file", "keyrings.alt.file_base", "keyrings.alt.multi"):
        monkeypatch.setitem(sys.modules, name, None)
    assert is_plaintext(plaintext) is False
    assert CredentialStore(wrapped, env={}).keyring_status().backend == "MultipartKeyringWrapper"
