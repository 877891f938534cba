"""What the environment cards show, read in thread workers: masked values, never secrets.

The keyring may block, so the screen reads the slots here on a thread and
gets back plain frozen views (`ModeSlots`, `SandboxView`); the card text is
built from them in `card_text`. A check's outcome is a `CheckView`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from fintoc_tui.credentials import CredentialError, CredentialStore, KeyringTimeout, Mode
from fintoc_tui.masking import mask_key

if TYPE_CHECKING:
    from fintoc_tui.ui.shell.sandbox_link import SandboxInfo


@dataclass(frozen=True)
class SlotView:
    """One key slot as shown: masked value or fingerprint, where it came from, or a problem."""

    value: str = ""
    source: str = ""
    problem: str | None = None


@dataclass(frozen=True)
class ModeSlots:
    secret: SlotView
    jws: SlotView
    server: SlotView = SlotView()
    """Set only when `FINTOC_BASE_URL` sends this mode somewhere other than Fintoc."""


@dataclass(frozen=True)
class CheckView:
    """The last connection check of one card: idle, ok or problem, and what it said.

    `summary` is the one line the "In use" banner repeats (the organisation
    when ok, the first sentence of the problem otherwise).
    """

    state: str
    text: Text
    summary: str = ""


NOT_CHECKED = CheckView("idle", Text("Not checked yet — press c."))
CHECKING = CheckView("idle", Text("Checking…"))


@dataclass(frozen=True)
class SandboxView:
    url: str | None = None
    key: str | None = None
    jws: str | None = None


def jws_fingerprint(private_pem: str) -> str:
    from fintoc_tui.api.jws import fingerprint, public_pem_from_private

    return fingerprint(public_pem_from_private(private_pem))


KEYRING_SILENT = "unknown: the keyring did not answer (see Keyring below)"
"""A slot's row while the keyring hangs; the keyring panel says why and what to do."""


def read_slots(store: CredentialStore, mode: Mode) -> ModeSlots:
    """Both slots of a mode (blocking: keyring; call from a thread)."""
    try:
        credential = store.secret_key(mode)
        secret = SlotView(credential.masked, credential.source) if credential else SlotView()
    except KeyringTimeout:
        secret = SlotView(problem=KEYRING_SILENT)
    except CredentialError as error:
        secret = SlotView(problem=str(error))
    try:
        jws_credential = store.jws_private_key(mode)
        if jws_credential is None:
            jws = SlotView()
        else:
            jws = SlotView(jws_fingerprint(jws_credential.secret()), jws_credential.source)
    except KeyringTimeout:
        jws = SlotView(problem=KEYRING_SILENT)
    except CredentialError as error:
        jws = SlotView(problem=str(error))
    except ValueError:
        jws = SlotView(problem="The stored JWS key could not be read as an RSA private key.")
    return ModeSlots(secret, jws, read_server(mode))


def read_server(mode: Mode) -> SlotView:
    """Where this mode's requests go, when `FINTOC_BASE_URL` says somewhere other than Fintoc."""
    from fintoc_tui.environments import BASE_URL_VARIABLE, BaseUrlError, fintoc_environment
    from fintoc_tui.ui.shell.connection import server_for

    try:
        url = server_for(fintoc_environment(mode)).base_url
    except BaseUrlError as error:
        return SlotView(problem=f"{BASE_URL_VARIABLE} is not usable: {error}")
    if url == fintoc_environment(mode).base_url:
        return SlotView()
    return SlotView(url, f"env {BASE_URL_VARIABLE}")


def read_sandbox(info: SandboxInfo | None) -> SandboxView:
    """The running sandbox's card: its URL, masked key and demo JWS key's fingerprint."""
    if info is None:
        return SandboxView()
    jws = None
    public_pem = info.jws_public_pem()
    if public_pem:
        from fintoc_tui.api.jws import trusted_public_pem_fingerprint

        try:
            return SandboxView(
                info.base_url, mask_key(info.secret_key), trusted_public_pem_fingerprint(public_pem)
            )
        except ValueError:
            pass  # derive it from the private key below
    pem = info.jws_private_pem()
    if pem:
        try:
            jws = jws_fingerprint(pem.decode())
        except ValueError:
            jws = None
    return SandboxView(info.base_url, mask_key(info.secret_key), jws)


def describe_check_problem(error: BaseException, label: str) -> str:
    """The exact reason a check failed, without a traceback and without secrets."""
    from fintoc_tui.api.errors import AuthenticationError, FintocError, NetworkError
    from fintoc_tui.environments import BaseUrlError

    if isinstance(error, CredentialError):
        return str(error)
    if isinstance(error, BaseUrlError):
        return f"FINTOC_BASE_URL is not usable: {error}"
    if isinstance(error, AuthenticationError):
        code = error.code or error.type
        return (
            f"{error.status or 401} {code}: Fintoc refused the {label} key ({error.message}). "
            "Press k to replace it."
        )
    if isinstance(error, NetworkError):
        reason = error.message.rstrip(".")
        return f"No network: {reason}. Check the connection, then press c."
    if isinstance(error, FintocError):
        status = f"{error.status} " if error.status else ""
        return f"{status}{error.code or error.type}: {error.message}"
    return f"The check failed ({type(error).__name__}). Press c to try again."


def first_sentence(text: str) -> str:
    """The opening sentence of a problem, for the one-line "In use" banner."""
    head, dot, _ = text.partition(". ")
    return f"{head}." if dot else text
