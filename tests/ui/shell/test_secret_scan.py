"""The scan every snapshot and screenshot goes through finds what it must, and only that.

Pictures here are real: a small Textual app showing the text, exported as
the snapshot plugin and the screenshot script export theirs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from fintoc_tui.api.jws import generate_keypair
from fintoc_tui.credentials import CredentialStore
from fintoc_tui.keyring_memory import MemoryKeyring
from fintoc_tui.masking import mask_key
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.testing.secret_scan import SecretInPicture, SecretLedger, svg_text
from scripts.screenshots import DEMO_JWS_PEM, OUT

ROOT = Path(__file__).resolve().parents[3]
PRIVATE_PEM, PUBLIC_PEM = generate_keypair()
LIVE_KEY = "sk_live_" + "Sh0wnOnlyMask3dPlease0001"
ENV_KEY = "sk_test_" + "Fr0mTheEnv1ronment000002"


class Shows(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text, markup=False)


async def picture(text: str) -> str:
    app = Shows(text)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        return app.export_screenshot()


def ledger() -> SecretLedger:
    known = SecretLedger()
    known.add(LIVE_KEY, PRIVATE_PEM)
    return known


@pytest.mark.parametrize(
    ("shown", "named"),
    [
        (f"Secret key {LIVE_KEY}", "the secret key sk_live_…0001"),
        (f"body only: {LIVE_KEY.removeprefix('sk_live_')}", "the secret key sk_live_…0001"),
        (PRIVATE_PEM.decode().splitlines()[5][:30], "the private key PEM"),
        ("sk_test_" + "NeverRegisteredAnywhere42", "an unmasked key sk_test_…re42"),
        ("-----BEGIN RSA PRIVATE KEY-----", "private key armour"),
    ],
    ids=["full key", "key body", "30 characters of a PEM", "any unmasked key", "armour"],
)
async def test_a_picture_showing_a_secret_fails_and_names_it_masked(shown, named):
    svg = await picture(f"Somewhere on screen: {shown} (and more)")
    with pytest.raises(SecretInPicture) as raised:
        ledger().check(svg, "this picture")
    message = str(raised.value)
    assert named in message
    assert LIVE_KEY not in message and "NeverRegisteredAnywhere42" not in message


def pkcs1(pem: bytes) -> bytes:
    """The same key as "BEGIN RSA PRIVATE KEY": its DER puts the modulus where the
    public key's does, so their base64 share long runs."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(pem, password=None)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


@pytest.mark.parametrize("private_pem", [PRIVATE_PEM, pkcs1(PRIVATE_PEM)], ids=["pkcs8", "pkcs1"])
async def test_masked_keys_and_the_public_key_are_allowed(private_pem):
    known = SecretLedger()
    known.add(LIVE_KEY, private_pem)
    svg = await picture(f"Secret key {mask_key(LIVE_KEY)}\n{PUBLIC_PEM.decode()}")
    assert known.leaks(svg) == []
    assert mask_key(LIVE_KEY) in svg_text(svg)


def test_a_ledger_that_knows_no_secret_proves_nothing():
    with pytest.raises(SecretInPicture, match="proves nothing"):
        SecretLedger().check("<svg></svg>", "an empty picture")


def test_the_ledger_learns_what_a_store_saves_or_hands_out_and_what_a_factory_gets():
    known = SecretLedger()
    env = {"FINTOC_TEST_SECRET_KEY": ENV_KEY}
    store = known.watch_store(CredentialStore(keyring=MemoryKeyring(), env=env))
    assert known.watch_store(store) is store  # watched once, not twice
    store.set_secret_key("live", LIVE_KEY, "session")  # saved
    store.secret_key("test")  # handed out, from the environment
    factory = known.watch_factory(lambda *args: args)
    assert factory("sandbox", SANDBOX_SECRET_KEY, PRIVATE_PEM) == (
        "sandbox",
        SANDBOX_SECRET_KEY,
        PRIVATE_PEM,
    )
    assert len(known) == 4
    # A key's body without its prefix is found only by a ledger that knows the key.
    for key in (LIVE_KEY, ENV_KEY, SANDBOX_SECRET_KEY):
        body = key[len("sk_test_") :]
        assert known.leaks(f"shown: {body}") and not SecretLedger().leaks(body)
    assert known.leaks(PRIVATE_PEM.decode().splitlines()[3])


def test_every_snapshot_test_is_under_tests_ui_where_snap_compare_scans(snap_compare):
    assert snap_compare.scans_for_secrets
    using = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").rglob("*.py")
        if "snap_compare(" in path.read_text(encoding="utf-8")
    }
    assert using and all(name.startswith("tests/ui/") for name in using), using


def test_no_committed_picture_shows_a_fixed_test_secret(picture_secrets):
    """At rest too: the keys and PEMs that are the same in every run, and any unmasked key."""
    from fintoc_tui.testing.deterministic_keys import deterministic_private_pem

    fixed = picture_secrets  # knows the UI tests' own TEST_KEY
    fixed.add(SANDBOX_SECRET_KEY, DEMO_JWS_PEM, deterministic_private_pem(7))
    pictures = [*OUT.glob("*.svg"), *(ROOT / "tests").rglob("__snapshots__/**/*.svg")]
    assert len(pictures) > 50
    shown = {p.name: fixed.leaks(p.read_text(encoding="utf-8")) for p in pictures}
    assert {name: leaks for name, leaks in shown.items() if leaks} == {}
