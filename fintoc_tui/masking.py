"""How a secret key is shown: `sk_test_…gD3g`, the prefix and the last four characters.

Its own module, standard library only, so the header can show the masked key
on the first frame without importing `credentials` (and with it pydantic).
"""

from __future__ import annotations

import re
from typing import Any

KEY_PREFIXES = ("sk_test_", "sk_live_", "pk_test_", "pk_live_")
KEY_BODY = re.compile(r"[A-Za-z0-9_\-]+")


def mask_key(value: Any) -> str:
    """`sk_test_…gD3g` for a key as text or a `SecretStr`; `••••` for anything unexpected.

    Values without a known prefix, or too short to keep most of the key hidden,
    are masked completely.
    """
    if value is None:
        return ""
    reveal = getattr(value, "get_secret_value", None)
    text = str(reveal() if callable(reveal) else value).strip()
    for prefix in KEY_PREFIXES:
        body = text[len(prefix) :]
        if text.startswith(prefix) and len(body) >= 12 and KEY_BODY.fullmatch(body):
            return f"{prefix}…{body[-4:]}"
    return "••••"
