"""The environment check names the organisation, mode and pinned API version (`/v1/whoami`)."""

from __future__ import annotations

from ui_helpers import text_of

from fintoc_tui.sandbox.routes_whoami import API_VERSION
from fintoc_tui.ui.environment.environment_screen import EnvironmentScreen

SIZE = (120, 36)


async def _check_test(app, pilot, settle) -> str:
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(app.screen, EnvironmentScreen)
    await pilot.click("#test-check")
    await settle(pilot)
    return text_of(app, "#check-test")


async def test_check_shows_the_pinned_api_version(
    make_app, settle, credentials, sandbox_secret_key, sandbox_store
):
    credentials.set_secret_key("test", sandbox_secret_key, "session")
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        check = await _check_test(app, pilot, settle)
    root = _root_entity(sandbox_store)
    assert check == f"✓ {root['holder_name']} · test mode · 2 accounts · API version {API_VERSION}"


async def test_without_whoami_the_root_entity_names_it_and_the_version_is_not_reported(
    make_app, settle, credentials, sandbox_secret_key, sandbox_asgi, sandbox_store
):
    sandbox_asgi.router.routes = [r for r in sandbox_asgi.router.routes if r.path != "/v1/whoami"]
    credentials.set_secret_key("test", sandbox_secret_key, "session")
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        check = await _check_test(app, pilot, settle)
    root = _root_entity(sandbox_store)
    assert check == f"✓ {root['holder_name']} · test mode · 2 accounts · API version not reported"


def _root_entity(store) -> dict:
    with store.reading() as db:
        ids = [row[0] for row in db.execute("SELECT id FROM entities")]
    return next(e for e in map(lambda i: store.get("entities", i), ids) if e["is_root"])
