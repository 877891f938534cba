"""`fintoc-tui --env ENV --base-url URL`: the app opens ENV at that server, says so, keeps it.

`start_point` decides where the app opens (no Textual, no network); a refused
URL ends the program with one line on stderr before anything starts; the
header shows a server that is not Fintoc's; and switching away and back
keeps the server the session was started with.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from textual.widgets import Static

from fintoc_tui.environments import FINTOC_BASE_URL, BaseUrlError, Environment
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.ui.shell.config import RememberedEnvironment
from fintoc_tui.ui.shell.run import start_point
from fintoc_tui.ui.shell.sandbox_link import SandboxInfo

LOCAL = "http://127.0.0.1:8765"


# --- where the app opens ------------------------------------------------------------------


def test_test_at_a_local_sandbox_is_that_server():
    assert start_point("test", LOCAL + "/") == (Environment("test", LOCAL), None)


def test_live_over_https_anywhere_is_allowed():
    assert start_point("live", "https://proxy.example:8443") == (
        Environment("live", "https://proxy.example:8443"),
        None,
    )


def test_fintoc_base_url_points_test_and_live_when_no_flag(monkeypatch):
    monkeypatch.setenv("FINTOC_BASE_URL", LOCAL)
    assert start_point("live", None) == (Environment("live", LOCAL), None)


def test_fintocs_own_address_keeps_the_name_so_a_remembered_live_still_asks():
    name = RememberedEnvironment("live")
    environment, sandbox = start_point(name, None)
    assert environment is name and sandbox is None
    assert start_point("test", FINTOC_BASE_URL) == ("test", None)


def test_a_sandbox_you_started_is_used_instead_of_starting_one(isolated_home):
    environment, sandbox = start_point("sandbox", "http://127.0.0.1:9999")
    assert environment == "sandbox"
    assert isinstance(sandbox, SandboxInfo)
    assert sandbox.base_url == "http://127.0.0.1:9999"
    assert sandbox.secret_key == SANDBOX_SECRET_KEY
    assert sandbox.jws_private_key_path == str(
        isolated_home / "data" / "sandbox_jws_private_key.pem"
    )


def test_the_sandbox_flag_starts_its_own_whatever_fintoc_base_url_says(monkeypatch):
    monkeypatch.setenv("FINTOC_BASE_URL", LOCAL)
    assert start_point("sandbox", None) == ("sandbox", None)


@pytest.mark.parametrize(
    ("name", "url", "words"),
    [
        ("test", "http://example.com", "refusing plain http to example.com in test"),
        ("live", "http://10.0.0.5:8000", "refusing plain http to 10.0.0.5 in live"),
        ("test", "https://example.com/v2", "give the server only"),
        ("live", "ftp://example.com", r"not an http\(s\) URL"),
        (None, LOCAL, "needs an environment: add --env"),
    ],
)
def test_a_url_the_key_must_not_travel_to_is_refused_with_the_reason(name, url, words):
    with pytest.raises(BaseUrlError, match=words):
        start_point(name, url)


def test_plain_http_off_this_machine_is_fine_for_a_sandbox():
    _environment, sandbox = start_point("sandbox", "http://10.0.0.5:8765")
    assert sandbox is not None and sandbox.base_url == "http://10.0.0.5:8765"


@pytest.mark.parametrize(
    ("argv", "env", "line"),
    [
        (
            ["--env", "test", "--base-url", "http://example.com"],
            {},
            "fintoc-tui: error: --base-url: refusing plain http to example.com in test",
        ),
        (
            ["--env", "live"],
            {"FINTOC_BASE_URL": "http://203.0.113.9"},
            "fintoc-tui: error: FINTOC_BASE_URL: refusing plain http to 203.0.113.9 in live",
        ),
    ],
)
def test_the_program_stops_before_the_screen_with_one_line(argv, env, line, isolated_home):
    import os

    result = subprocess.run(
        [sys.executable, "-m", "fintoc_tui", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(line)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


# --- the app at that server ----------------------------------------------------------------


def server_text(app) -> str:
    widget = app.screen.query_one("#server", Static)
    return str(widget.render()) if widget.display else ""


async def test_the_header_names_the_server_and_a_switch_keeps_it(make_app, settle, memory):
    from fintoc_tui.credentials import CredentialStore

    store = CredentialStore(keyring=memory, env={"FINTOC_TEST_SECRET_KEY": SANDBOX_SECRET_KEY})
    app = make_app(Environment("test", LOCAL), credentials=store, remember=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.client is not None and app.client.base_url == LOCAL
        assert app.accounts, "the accounts of the server at that URL"
        assert server_text(app) == f"server {LOCAL}"

        app.request_environment("sandbox")
        await settle(pilot)
        assert app.environment.name == "sandbox"
        assert server_text(app) == ""

        app.request_environment("test")
        await settle(pilot)
        assert app.environment == Environment("test", LOCAL)
        assert app.client is not None and app.client.base_url == LOCAL
        assert server_text(app) == f"server {LOCAL}"


async def test_fintocs_own_server_is_not_shown(make_app, settle):
    app = make_app("test", remember=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.environment == Environment("test", FINTOC_BASE_URL)
        assert server_text(app) == ""
