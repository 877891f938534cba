"""How much the sandbox accepts, and which characters (docs/sandbox.md, "Input limits").

Fintoc documents a few limits (comment ≤ 40, metadata ≤ 50 keys of ≤ 40
characters with values ≤ 500, an MX `reference_id` of ≤ 7 digits); the
request models (`api.models`) check those. Where Fintoc is silent the sandbox
picks generous bounds of its own, here, so that anything the real API would
take passes, while a 10 MB holder name, an escape sequence that would repaint
someone's terminal, or a number with 5,000 digits never reaches the store.

Every problem found here is a 400 in Fintoc's error shape whose `param` names the field
(`counterparty.holder_name`), checked before the request models run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from fintoc_tui.money import MAX_AMOUNT
from fintoc_tui.sandbox.errors import SandboxError

#: A POST body larger than this is refused (413) before it is read into
#: memory. The largest valid body (50 metadata entries of 40 + 500
#: characters, every one written as a JSON `\uXXXX` surrogate pair) is
#: about 330 KB.
MAX_BODY_BYTES: Final = 512 * 1024

#: Integers with more digits than this are not turned into Python ints at
#: all (Python refuses past 4,300 digits, and no field needs more than 19).
MAX_NUMBER_DIGITS: Final = 100


@dataclass(frozen=True, slots=True)
class TextLimit:
    """The most characters a text field may have, and the Fintoc code for going over."""

    max_length: int
    code: str = "invalid_request"


_ID = TextLimit(64)
_ACCOUNT_NUMBER = TextLimit(40, "invalid_account_number")
_HOLDER_ID = TextLimit(40, "invalid_holder_id")
_HOLDER_NAME = TextLimit(100)
_ACCOUNT_TYPE = TextLimit(40, "invalid_account_type")
_INSTITUTION_ID = TextLimit(64, "invalid_institution_id")

#: Text fields of the POST bodies whose length Fintoc does not document (or
#: whose own check would quote the whole value back in its message).
TEXT_LIMITS: Final[dict[str, TextLimit]] = {
    "account_id": _ID,
    "account_number_id": _ID,
    "transfer_id": _ID,
    "currency": TextLimit(16, "invalid_currency"),
    # Fintoc's documented limit, counted as sent: the request models count
    # after trimming spaces, so "41 characters " would pass them.
    "comment": TextLimit(40, "invalid_comment_size"),
    "reference_id": TextLimit(40, "invalid_reference_id_size"),
    "counterparty.account_number": _ACCOUNT_NUMBER,
    "counterparty.holder_id": _HOLDER_ID,
    "counterparty.holder_name": _HOLDER_NAME,
    "counterparty.account_type": _ACCOUNT_TYPE,
    "counterparty.institution_id": _INSTITUTION_ID,
    "counterparty_account_number": _ACCOUNT_NUMBER,
    "counterparty_holder_id": _HOLDER_ID,
    "counterparty_holder_name": _HOLDER_NAME,
    "counterparty_account_type": _ACCOUNT_TYPE,
    "counterparty_institution_id": _INSTITUTION_ID,
}


class OversizedNumber:
    """A JSON or form integer too long to be any field's value; stands in for it until refused."""

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"<a number of {self.digits:,} digits>"


def parse_int(text: str) -> int | OversizedNumber:
    """`json.loads(parse_int=...)`: an int, unless the text is too long to be one worth reading."""
    digits = len(text.lstrip("+-"))
    return OversizedNumber(digits) if digits > MAX_NUMBER_DIGITS else int(text)


#: Unicode's control characters (category Cc: C0, DEL, C1) and lone surrogates (Cs).
_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _bad_character(text: str) -> str | None:
    """The first character no field may hold, described for a person; None if there is none."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    char, position = found.group(), found.start() + 1
    if "\ud800" <= char <= "\udfff":
        return f"half of a UTF-16 surrogate pair (U+{ord(char):04X}) at position {position}"
    name = _CONTROL_NAMES.get(char, "a control character")
    return f"{name} (U+{ord(char):04X}) at position {position}"


_CONTROL_NAMES = {
    "\x00": "a NUL character",
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a carriage return",
    "\x1b": "an escape character",
    "\x7f": "a DEL character",
}


def _walk(data: Any) -> Iterator[tuple[str, Any, bool]]:
    """Every (param path, value, is_key) in a parsed body, objects and lists included.

    Iterative, not recursive: a body may nest as deep as the JSON parser
    allows. A key is reported with the path of the object holding it ("" at
    the top).
    """
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if path:
            yield path, value, False
        if isinstance(value, dict):
            for key, item in value.items():
                yield path, key, True
                stack.append((f"{path}.{key}" if path else str(key), item))
        elif isinstance(value, list):
            stack.extend((f"{path}.{index}", item) for index, item in enumerate(value))


def check_body(data: dict[str, Any]) -> None:
    """Raise the 400 for the first value no request may carry; see the module docstring."""
    for path, value, is_key in _walk(data):
        if isinstance(value, OversizedNumber):
            raise _oversized(path, value)
        if isinstance(value, str):
            problem = _bad_character(value)
            if problem is not None:
                what = (f"a key of {path}" if path else "a parameter name") if is_key else path
                raise SandboxError(
                    400,
                    "invalid_request",
                    f"{what} contains {problem}; send plain text without control characters",
                    param=path or None,
                )
        limit = None if is_key else TEXT_LIMITS.get(path)
        if limit is None:
            continue
        if isinstance(value, dict | list):
            # A text field holding a structure: refused here, so no later message quotes it.
            kind = "an object" if isinstance(value, dict) else "a list"
            raise SandboxError(400, limit.code, f"{path} must be text, not {kind}", param=path)
        # `reference_id` may come as a number; it is text once stored.
        length = (
            len(value) if isinstance(value, str) else len(str(value)) if type(value) is int else 0
        )
        if length > limit.max_length:
            raise _too_long(path, limit, length)


def _oversized(path: str, value: OversizedNumber) -> SandboxError:
    if path == "amount":
        return SandboxError(
            400,
            "invalid_amount",
            f"amount must be at most {MAX_AMOUNT:,} minor units, not a number of "
            f"{value.digits:,} digits",
            param=path,
        )
    return SandboxError(
        400,
        "invalid_request",
        f"{path} is a number of {value.digits:,} digits; no field takes one that long",
        param=path,
    )


def _too_long(path: str, limit: TextLimit, length: int) -> SandboxError:
    return SandboxError(
        400,
        limit.code,
        f"{path} can have at most {limit.max_length} characters, has {length:,}",
        param=path,
    )
