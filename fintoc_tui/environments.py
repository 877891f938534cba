"""The three places the app can point at: the local sandbox, test, live.

The key decides the mode at Fintoc; the environment decides which key slot
the app reads and which base URL it calls. `--base-url` / `FINTOC_BASE_URL`
point any of them at another Fintoc-compatible server (`environment_for`);
plain http is refused off this machine in test and live (`check_base_url`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

EnvironmentName = Literal["sandbox", "test", "live"]
Mode = Literal["test", "live"]

FINTOC_BASE_URL = "https://api.fintoc.com"
ENVIRONMENT_NAMES: tuple[EnvironmentName, ...] = ("sandbox", "test", "live")


@dataclass(frozen=True)
class Environment:
    name: EnvironmentName
    base_url: str

    @property
    def mode(self) -> Mode:
        """Sandbox is Fintoc test mode served locally."""
        return "live" if self.name == "live" else "test"

    @property
    def is_live(self) -> bool:
        return self.name == "live"

    @property
    def label(self) -> str:
        """The chip shown in the header: SANDBOX / TEST / LIVE."""
        return self.name.upper()


def fintoc_environment(name: Literal["test", "live"]) -> Environment:
    return Environment(name=name, base_url=FINTOC_BASE_URL)


def sandbox_environment(base_url: str) -> Environment:
    return Environment(name="sandbox", base_url=base_url.rstrip("/"))


#: Points the commands (and later the TUI) at any Fintoc-compatible server.
BASE_URL_VARIABLE = "FINTOC_BASE_URL"


class BaseUrlError(ValueError):
    """A base URL the app will not send a key to; `str()` says why and what to do."""


def is_loopback_host(host: str) -> bool:
    """`localhost`, 127.0.0.0/8 and ::1: traffic that never leaves this machine."""
    if host.lower() == "localhost":
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(url: str, name: EnvironmentName) -> str:
    """The URL without a trailing slash, or `BaseUrlError`.

    In test and live the secret key travels in every request: plain HTTP is
    refused unless the server is on this machine (a sandbox you started, a
    local proxy). The sandbox's key is public, so any http URL will do there.
    """
    from urllib.parse import urlsplit

    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise BaseUrlError(f"{url!r} is not a URL (expected https://host[:port])") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BaseUrlError(f"{url!r} is not an http(s) URL (expected https://host[:port])")
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username or parts.password:
        # A path prefix would be lost on `Link` pages (the client follows their
        # path, not their host), so only scheme://host[:port] is accepted.
        raise BaseUrlError(
            f"{parts.scheme}://{parts.hostname}…: give the server only (scheme://host[:port]), "
            "without a path, a query or credentials"
        )
    if parts.scheme == "http" and name != "sandbox" and not is_loopback_host(parts.hostname):
        raise BaseUrlError(
            f"refusing plain http to {parts.hostname} in {name}: the secret key would cross the "
            "network unencrypted. Use https, or a server on this machine (127.0.0.1, localhost)."
        )
    return text.rstrip("/")


def environment_for(
    name: EnvironmentName, base_url: str | None = None, *, env: Mapping[str, str] | None = None
) -> Environment:
    """The environment `name`, at `base_url`, else `$FINTOC_BASE_URL`, else Fintoc's own.

    For the sandbox with no URL given, the caller starts one (the base URL is
    known only once it listens); this returns it with an empty base URL.
    """
    source = os.environ if env is None else env
    url = base_url or source.get(BASE_URL_VARIABLE) or None
    if url is None:
        return Environment(name=name, base_url="" if name == "sandbox" else FINTOC_BASE_URL)
    return Environment(name=name, base_url=check_base_url(url, name))
