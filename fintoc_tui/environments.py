"""The three places the app can point at: the local sandbox, test, live.

The key decides the mode at Fintoc; the environment decides which key slot
the app reads and which base URL it calls.
"""

from __future__ import annotations

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
