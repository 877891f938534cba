"""`GET /v1/whoami` (additions §11.2): who a key belongs to, as Fintoc's own CLI reads it.

Not in the public docs. The current CLI reads `organization.name`,
`organization.api_version` and `api_key.mode`; an older one read a flat
`organization_name`, `mode`, `api_version`. Both shapes are accepted.
"""

from __future__ import annotations

from fintoc_tui.api.models import FintocObject

__all__ = ["WhoAmI"]


class WhoAmIOrganization(FintocObject):
    name: str | None = None
    api_version: str | None = None


class WhoAmIKey(FintocObject):
    mode: str | None = None


class WhoAmI(FintocObject):
    organization: WhoAmIOrganization | None = None
    api_key: WhoAmIKey | None = None
    # The older CLI's flat shape.
    organization_name: str | None = None
    mode: str | None = None
    api_version: str | None = None

    @property
    def organization_label(self) -> str | None:
        nested = self.organization.name if self.organization is not None else None
        return nested or self.organization_name

    @property
    def key_mode(self) -> str | None:
        nested = self.api_key.mode if self.api_key is not None else None
        return nested or self.mode

    @property
    def pinned_api_version(self) -> str | None:
        nested = self.organization.api_version if self.organization is not None else None
        return nested or self.api_version
