"""Screenshots of the shell: accounts, account detail, help, palette, and the states."""

from __future__ import annotations

import asyncio

from scripts.screenshots import Scene, connected, settle


async def _nothing(pilot, stage) -> None:
    await settle(pilot)


async def _detail(pilot, stage) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def _help(pilot, stage) -> None:
    await settle(pilot)
    await pilot.press("f1")
    await pilot.pause()


async def _palette(pilot, stage) -> None:
    await settle(pilot)
    # A query, not the bare palette: with no query the providers' answers arrive in
    # whatever order they finish, and the picture would change from run to run.
    await pilot.press("ctrl+p", *"switch to")
    await settle(pilot)


def _offline(stage) -> None:
    stage.transport.offline = True


def _loading(stage) -> None:
    stage.transport.gate = asyncio.Event()


def _refused_live(stage) -> None:
    stage.credentials.set_secret_key("live", "sk_live_" + "Wr0ngKeyWr0ngKeyWr0ngKey00", "session")


async def _release(pilot, stage) -> None:
    await connected(pilot)


SCENES = [
    Scene("accounts", _nothing, description="accounts and balances (sandbox)"),
    Scene("account-detail", _detail, description="an account's numbers and movements"),
    Scene("help", _help, description="every key binding and its id"),
    Scene("command-palette", _palette, description="ctrl+p, then typing"),
    Scene("accounts-loading", _release, setup=_loading, description="loading"),
    Scene("accounts-offline", _nothing, setup=_offline, description="network dropped"),
    Scene(
        "accounts-live-key-refused",
        _nothing,
        environment="live",
        setup=_refused_live,
        description="live mode, key refused",
    ),
    Scene("accounts-no-key", _nothing, environment="test", description="test mode, no key yet"),
]
