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


def _empty(stage) -> None:
    """An organisation with no accounts: the same sandbox app over an unseeded store."""
    import httpx

    from fintoc_tui.sandbox.app import create_app
    from fintoc_tui.sandbox.store import SandboxStore

    empty = SandboxStore(None)
    stage.transport.inner = httpx.ASGITransport(app=create_app(empty, stage.clock))


async def _detail_loading(pilot, stage) -> None:
    await settle(pilot)
    stage.transport.gate = asyncio.Event()  # the account's numbers and movements wait
    await pilot.press("enter")
    await pilot.pause()


async def _detail_offline(pilot, stage) -> None:
    await settle(pilot)
    stage.transport.offline = True
    await pilot.press("enter")
    await settle(pilot)


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
    Scene("accounts-empty", _nothing, setup=_empty, description="an organisation with no accounts"),
    Scene("account-detail-loading", _detail_loading, description="an account, its data on the way"),
    Scene("account-detail-offline", _detail_offline, description="an account, network dropped"),
]
