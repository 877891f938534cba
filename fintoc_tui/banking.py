"""Bank account numbers and institutions for Mexico (CLABE) and Chile (RUT).

The checksums and the Mexican bank table come from well-kept libraries
(`clabe`, `python-stdnum`); this module turns their yes/no answers into
sentences a person can act on, and adds live-typing checks for the UI.
Both libraries are imported on first use: `clabe` pulls in pydantic and
`stdnum` pulls in pydoc/ssl, which would make `import fintoc_tui.banking`
(and so the CLI) slow for no reason.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

__all__ = [
    "CLABE_LENGTH",
    "CL_ACCOUNT_TYPES",
    "CL_ACCOUNT_TYPE_ALIASES",
    "CL_INSTITUTIONS",
    "MAX_CLP_TRANSFER",
    "REFERENCE_ID_MAX_DIGITS",
    "BankingError",
    "MXBank",
    "clabe_bank",
    "clabe_problem",
    "compact_clabe",
    "format_clabe",
    "format_rut",
    "make_clabe",
    "make_rut",
    "mx_institution",
    "normalize_cl_account_type",
    "reference_id_problem",
    "rut_check_digit",
    "rut_problem",
    "validate_clabe",
    "validate_rut",
]

CLABE_LENGTH = 18
REFERENCE_ID_MAX_DIGITS = 7

#: Fintoc's per-transfer ceiling in Chile, in CLP (which has no minor unit).
MAX_CLP_TRANSFER = 7_000_000

#: Chilean institutions Fintoc accepts as `counterparty.institution_id`
#: (fintoc-api.md §4), with the name people know them by.
CL_INSTITUTIONS: dict[str, str] = {
    "cl_banco_estado": "BancoEstado",
    "cl_banco_bci": "Bci",
    "cl_banco_bice": "Banco BICE",
    "cl_banco_de_chile": "Banco de Chile",
    "cl_banco_falabella": "Banco Falabella",
    "cl_banco_itau": "Itaú",
    "cl_banco_ripley": "Banco Ripley",
    "cl_banco_santander": "Santander",
    "cl_banco_consorcio": "Banco Consorcio",
    "cl_banco_scotiabank": "Scotiabank",
    "cl_mercado_pago": "Mercado Pago",
    "cl_mach": "MACH",
    "cl_tenpo": "Tenpo",
    "cl_banco_security": "Banco Security",
    "cl_tapp_caja_los_andes": "Tapp Caja Los Andes",
    "cl_banco_internacional": "Banco Internacional",
    "cl_banco_coopeuch": "Coopeuch",
    "cl_copec_pay": "Copec Pay",
    "cl_prepago_los_heroes": "Prepago Los Héroes",
    "cl_banco_bbva": "BBVA",
    "cl_banco_hsbc": "HSBC",
}

#: Chilean account types the API takes, with a display name.
CL_ACCOUNT_TYPES: dict[str, str] = {
    "checking_account": "Checking (cuenta corriente)",
    "sight_account": "Sight (cuenta vista)",
    "savings_account": "Savings (cuenta de ahorro)",
}

#: Older documentation spells the types without the `_account` suffix.
CL_ACCOUNT_TYPE_ALIASES: dict[str, str] = {
    "checking": "checking_account",
    "sight": "sight_account",
    "savings": "savings_account",
}

#: Participants Fintoc answers with that `clabe`'s table (Banxico's list of
#: 2022) lacks: Fintoc's own test CLABEs start 735 and come back as
#: `{"id": "90735", "name": "FINTOC"}` (recorded test-mode traffic,
#: fintoc-api-additions.md §1.1). `clabe` knows 738 as Fintoc too; both stay.
#: An overlay rather than `clabe.add_bank`: that would change the package's
#: tables for every other user in the process, and it imports pydantic.
_EXTRA_BANKS: dict[str, str] = {"735": "90735"}

#: `institution.name` as Fintoc writes it: Banxico's short name in upper case
#: ("FINTOC", "JP MORGAN", "CRISTOBAL COLON", "CI BOLSA" were seen on the wire),
#: so `clabe`'s name upper-cased, except where the wire showed otherwise.
#: BBVA's name was never seen; the rule gives "BBVA MEXICO" (docs: "BBVA Mexico").
_FINTOC_NAMES: dict[str, str] = {"90735": "FINTOC", "90723": "Cuenca"}


class BankingError(ValueError):
    """An account number, RUT or institution that cannot be used; `str()` is a sentence."""


class MXBank(NamedTuple):
    """A Mexican institution as the API names it: Banxico code (`90735`) and Fintoc's name.

    A NamedTuple rather than a dataclass: `dataclasses` costs more to import
    than the rest of this module.
    """

    banxico_code: str
    name: str
    abm_code: str  # the 3-digit prefix of its CLABEs


@functools.cache
def _clabe() -> Any:
    import clabe

    return clabe


@functools.cache
def _clabe_banks() -> Any:
    """clabe's bank tables (`BANKS`, `BANK_NAMES`) without importing the whole package.

    `import clabe` runs its `__init__`, which imports pydantic (~120 ms) for
    a `Clabe` type this module never uses; the accounts table needs only the
    two dicts, on its first frame. `clabe/banks.py` is plain data, so it is
    loaded by itself, registered as `clabe.banks`: a later `import clabe`
    reuses that module, so both see the same tables.
    """
    import sys

    loaded = sys.modules.get("clabe.banks")
    if loaded is not None:
        return loaded
    from importlib.machinery import PathFinder
    from importlib.util import find_spec, module_from_spec

    package = find_spec("clabe")
    locations = package.submodule_search_locations if package is not None else None
    spec = PathFinder.find_spec("clabe.banks", locations or [])
    if spec is None or spec.loader is None:  # a future clabe moved the tables
        return _clabe()
    module = module_from_spec(spec)
    sys.modules["clabe.banks"] = module
    spec.loader.exec_module(module)
    return module


@functools.cache
def _rut() -> Any:
    from stdnum.cl import rut

    return rut


def _banxico_code(prefix: str) -> str | None:
    """The 5-digit Banxico code of a CLABE's 3-digit bank prefix, or None if unknown."""
    return _clabe_banks().BANKS.get(prefix) or _EXTRA_BANKS.get(prefix)


def _strip(text: str) -> str:
    """Drop the spaces and hyphens people paste between groups."""
    return "".join(text.split()).replace("-", "")


def _first_non_digit(text: str) -> str | None:
    return next((ch for ch in text if not ("0" <= ch <= "9")), None)


# -- CLABE ---------------------------------------------------------------------


def compact_clabe(text: str) -> str:
    """The CLABE without spaces or hyphens (not validated)."""
    return _strip(text)


def _unknown_bank(code: str) -> str:
    return f"bank code {code} is not a known bank"


def _check_digit(first17: str) -> str:
    return str(_clabe().compute_control_digit(first17))


def validate_clabe(text: str) -> str:
    """The 18-digit CLABE in `text`, or `BankingError` saying exactly what is wrong."""
    number = _strip(text)
    if not number:
        raise BankingError("enter an 18-digit CLABE")
    bad = _first_non_digit(number)
    if bad is not None:
        raise BankingError(f"a CLABE has only digits, not {bad!r}")
    if len(number) != CLABE_LENGTH:
        raise BankingError(f"a CLABE needs 18 digits, has {len(number)}")
    if _banxico_code(number[:3]) is None:
        raise BankingError(_unknown_bank(number[:3]))
    expected = _check_digit(number[:17])
    if number[17] != expected:
        raise BankingError(f"check digit should be {expected}, not {number[17]}")
    return number


def clabe_problem(partial: str) -> str | None:
    """What is already wrong with a CLABE being typed, or None while it may still be fine."""
    number = _strip(partial)
    bad = _first_non_digit(number)
    if bad is not None:
        return f"a CLABE has only digits, not {bad!r}"
    if len(number) > CLABE_LENGTH:
        return f"a CLABE needs 18 digits, has {len(number)}"
    if len(number) >= 3 and _banxico_code(number[:3]) is None:
        return _unknown_bank(number[:3])
    if len(number) == CLABE_LENGTH:
        try:
            validate_clabe(number)
        except BankingError as exc:
            return str(exc)
    return None


def clabe_bank(text: str) -> MXBank | None:
    """The bank a CLABE (or its first 3 digits) belongs to, if known."""
    prefix = _strip(text)[:3]
    if len(prefix) < 3 or _first_non_digit(prefix) is not None:
        return None
    banxico = _banxico_code(prefix)
    if banxico is None:
        return None
    return MXBank(banxico_code=banxico, name=mx_institution(banxico) or banxico, abm_code=prefix)


def format_clabe(text: str) -> str:
    """`735969000000203297` → `735 969 00000020329 7` (works on partial input too)."""
    number = _strip(text)
    groups = (number[:3], number[3:6], number[6:17], number[17:])
    return " ".join(group for group in groups if group)


def make_clabe(bank3: str, city3: str, account11: str) -> str:
    """A valid CLABE from its parts, computing the check digit."""
    for label, part, size in (("bank", bank3, 3), ("city", city3, 3), ("account", account11, 11)):
        if len(part) != size or _first_non_digit(part) is not None:
            raise BankingError(f"{label} part needs exactly {size} digits, got {part!r}")
    if _banxico_code(bank3) is None:
        raise BankingError(_unknown_bank(bank3))
    first17 = bank3 + city3 + account11
    return first17 + _check_digit(first17)


def mx_institution(banxico_code: str) -> str | None:
    """A Mexican institution's name as Fintoc writes it (`90735` → `FINTOC`), or None."""
    name = _FINTOC_NAMES.get(banxico_code)
    if name is not None:
        return name
    known: str | None = _clabe_banks().BANK_NAMES.get(banxico_code)
    return known.upper() if known is not None else None


# -- RUT -----------------------------------------------------------------------


def _rut_error(text: str) -> str | None:
    """Why `text` is not a valid RUT, or None if it is."""
    rut = _rut()
    number = rut.compact(text)
    if not number:
        return "enter a RUT, like 12.345.678-5"
    body, check = number[:-1], number[-1]
    bad = _first_non_digit(body)
    if bad is not None:
        return f"a RUT has only digits before the check digit, not {bad!r}"
    if check not in "0123456789K":
        return f"a RUT check digit is 0-9 or K, not {check!r}"
    if len(number) not in (8, 9):
        return f"a RUT has 7 or 8 digits before the check digit, this has {len(body)}"
    expected = rut.calc_check_digit(body)
    if check != expected:
        return f"RUT check digit should be {expected}, not {check}"
    return None


def rut_check_digit(body: str | int) -> str:
    """The modulo-11 check digit (`0`-`9` or `K`) for a RUT's digits."""
    digits = str(body)
    if not digits or _first_non_digit(digits) is not None:
        raise BankingError(f"a RUT body is digits only, not {digits!r}")
    return str(_rut().calc_check_digit(digits))


def make_rut(body: str | int) -> str:
    """A valid compact RUT from its digits (for seeds and tests), e.g. `12345678` → `123456785`."""
    digits = str(body)
    return validate_rut(digits + rut_check_digit(digits))


def validate_rut(text: str) -> str:
    """The compact RUT the API wants (`123456785`, uppercase K), or `BankingError`."""
    problem = _rut_error(text)
    if problem is not None:
        raise BankingError(problem)
    return str(_rut().compact(text))


def format_rut(text: str) -> str:
    """A valid RUT in the usual style, `12.345.678-5`; raises `BankingError` if invalid."""
    return str(_rut().format(validate_rut(text)))


def rut_problem(partial: str) -> str | None:
    """What is already wrong with a RUT being typed, or None while it may still be fine.

    Without a hyphen we cannot tell `1234567-8` from the start of `12345678-5`,
    so a RUT counts as complete once it has a check digit after a hyphen, ends
    in K, or has 9 characters.
    """
    text = partial.strip()
    if not text:
        return None
    number = _rut().compact(text)
    if text[:2].upper() == "CL":
        text = text[2:]
    bad = next((ch for ch in text if ch not in "0123456789kK.- "), None)
    if bad is not None:
        return f"a RUT has only digits and a final K, not {bad!r}"
    if "K" in number[:-1]:
        return "K can only be the check digit, at the end"
    if len(number) > 9:
        return f"a RUT has 7 or 8 digits before the check digit, this has {len(number) - 1}"
    after_hyphen = text.rsplit("-", 1)[1].strip() if "-" in text else ""
    complete = bool(after_hyphen) or number.endswith("K") or len(number) == 9
    return _rut_error(number) if complete else None


# -- Chile: account types --------------------------------------------------------


def normalize_cl_account_type(value: str) -> str:
    """The API's name for a Chilean account type, accepting the older aliases."""
    key = value.strip().lower()
    key = CL_ACCOUNT_TYPE_ALIASES.get(key, key)
    if key not in CL_ACCOUNT_TYPES:
        choices = ", ".join(CL_ACCOUNT_TYPES)
        raise BankingError(f"account type {value!r} is not one of {choices}")
    return key


# -- Mexico: reference id --------------------------------------------------------


def reference_id_problem(text: str) -> str | None:
    """Why a Mexican `reference_id` would be refused, or None (empty means none given)."""
    if not text:
        return None
    bad = _first_non_digit(text)
    if bad is not None:
        return f"reference id has only digits, not {bad!r}"
    if len(text) > REFERENCE_ID_MAX_DIGITS:
        return f"reference id has at most {REFERENCE_ID_MAX_DIGITS} digits, has {len(text)}"
    if text.startswith("0"):
        return "reference id cannot start with 0"
    return None
