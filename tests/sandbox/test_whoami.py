"""`GET /v1/whoami` in the sandbox: the shape Fintoc's current CLI reads."""

from __future__ import annotations

from fintoc_tui.sandbox.routes_whoami import API_VERSION


async def test_whoami_names_the_root_entity_mode_and_api_version(sandbox):
    response = await sandbox.get("/v1/whoami")
    assert response.status_code == 200
    entities = {e["id"]: e for e in (await sandbox.get("/v2/entities")).json()}
    root = next(e for e in entities.values() if e["is_root"])
    assert response.json() == {
        "organization": {"name": root["holder_name"], "api_version": API_VERSION},
        "api_key": {"mode": "test"},
    }


async def test_whoami_needs_the_key(sandbox):
    response = await sandbox.client.get("/v1/whoami", headers={"Authorization": ""})
    assert response.status_code == 401
