# Long module: every API shape in one place (responses and request bodies), so a field
# and its rule are written once for the client, the sandbox and the CLI.
"""Fintoc Transfers API v2 objects and request bodies (fintoc-api.md §3, §4, §9).

Responses are parsed leniently where the API may grow (unknown fields are
kept, unknown statuses parse) and strictly where a mistake costs money:
amounts must be JSON integers. The same models render the sandbox's
responses, so `to_api_dict()` gives the API's JSON shape in its real key order.

Request models validate everything the API checks, and raise pydantic
`ValidationError`s whose `type` is the Fintoc error code (`invalid_clabe`,
`invalid_comment_size`, …) and whose `loc` is the parameter path
(`counterparty.account_number`): `field_errors()` gives the UI a message per
field and `error_detail()` gives the sandbox the error the API would answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, NoReturn, TypeVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from fintoc_tui.banking import (
    CL_INSTITUTIONS,
    MAX_CLP_TRANSFER,
    BankingError,
    normalize_cl_account_type,
    reference_id_problem,
    validate_clabe,
    validate_rut,
)
from fintoc_tui.clock import isoformat_z
from fintoc_tui.money import CURRENCIES, MAX_AMOUNT, format_amount

__all__ = [
    "COMMENT_MAX_LENGTH",
    "FINAL_TRANSFER_STATUSES",
    "METADATA_KEY_MAX_LENGTH",
    "METADATA_MAX_KEYS",
    "METADATA_VALUE_MAX_LENGTH",
    "Account",
    "AccountNumber",
    "AccountNumberStatus",
    "AccountStatus",
    "CLCounterparty",
    "Counterparty",
    "Direction",
    "Entity",
    "ErrorBody",
    "ErrorDetail",
    "FintocObject",
    "Institution",
    "MXCounterparty",
    "Mode",
    "Movement",
    "MovementType",
    "ReturnTransferRequest",
    "SimulateReceiveTransferRequest",
    "Transfer",
    "TransferRequest",
    "TransferRequestError",
    "TransferStatus",
    "error_detail",
    "field_errors",
    "parse_list",
    "validate_against_account",
]

COMMENT_MAX_LENGTH = 40
METADATA_MAX_KEYS = 50
METADATA_KEY_MAX_LENGTH = 40
METADATA_VALUE_MAX_LENGTH = 500


# -- Vocabularies ------------------------------------------------------------------
# Fields hold plain `str` so a status Fintoc adds tomorrow still parses; these
# enums are for comparing (`transfer.status == TransferStatus.PENDING`).


class TransferStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REJECTED = "rejected"
    RETURNED = "returned"
    RETURN_PENDING = "return_pending"
    # Listed by Fintoc's current docs (the list filter; the receipt endpoint)
    # but never seen on the wire; what leads to them is not documented.
    REJECT_FAILED = "reject_failed"
    PARTIALLY_SUCCEEDED = "partially_succeeded"


#: Statuses a transfer reaches and (apart from a later return) stays in.
#: The two documented-but-unseen ones are taken as final (INFERRED): polling
#: them would wait forever for a change nobody has described.
FINAL_TRANSFER_STATUSES = frozenset(
    {
        TransferStatus.SUCCEEDED,
        TransferStatus.FAILED,
        TransferStatus.REJECTED,
        TransferStatus.RETURNED,
        TransferStatus.REJECT_FAILED,
        TransferStatus.PARTIALLY_SUCCEEDED,
    }
)


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"
    CLOSED = "closed"
    PENDING = "pending"


class AccountNumberStatus(StrEnum):
    ENABLED = "enabled"
    DISABLED = "disabled"


class MovementType(StrEnum):
    TRANSFER = "transfer"
    TRANSFER_RETURN = "transfer_return"
    FEE = "fee"
    OTHER = "other"


class Mode(StrEnum):
    TEST = "test"
    LIVE = "live"


# -- Field types -------------------------------------------------------------------


def _error(code: str, message: str) -> PydanticCustomError:
    """A validation error whose type is the Fintoc code (message passed as data, not a template)."""
    return PydanticCustomError(code, "{message}", {"message": message})


def _brief(value: Any) -> str:
    """A value for an error message, cut short: a 5,000-digit amount is not echoed back."""
    text = repr(value)
    return text if len(text) <= 24 else f"{text[:20]}… ({len(text):,} characters)"


def _minor_units(value: Any) -> int:
    """Money arrives as a JSON integer; a float or a string is refused, never rounded."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _error(
            "invalid_amount",
            f"amount must be an integer number of minor units, not {_brief(value)}",
        )
    return value


#: An amount in minor units (MXN centavos, whole CLP).
MinorUnits = Annotated[int, BeforeValidator(_minor_units)]


def _date_as_utc_midnight(value: Any) -> Any:
    """A bare date (`2026-03-01`, as an older docs page shows movements) is midnight UTC.

    A date-time without a zone is still refused: which zone it meant cannot be
    known, and a transfer shown hours off is worse than one not shown.
    """
    if isinstance(value, str) and len(value) == 10:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return value


#: Aware UTC timestamp, serialised to JSON as `2025-09-02T15:58:51Z`.
Timestamp = Annotated[
    AwareDatetime,
    BeforeValidator(_date_as_utc_midnight),
    PlainSerializer(isoformat_z, return_type=str, when_used="json"),
]


# -- Response objects ----------------------------------------------------------------


class FintocObject(BaseModel):
    """An object as the API sends it; fields it adds later are kept and sent back.

    Fields are declared in the order Fintoc's real responses list them
    (recorded test-mode traffic, fintoc-api-additions.md §1.2), so
    `to_api_dict()` renders the same key order.
    """

    # defer_build: a model's validator is built the first time it is used, not
    # at import, so start-up (which lists accounts only) builds Account's alone.
    model_config = ConfigDict(extra="allow", defer_build=True)

    def to_api_dict(self) -> dict[str, Any]:
        """The API's JSON shape: §3 field order, nulls kept, extra fields last."""
        return self.model_dump(mode="json")


class Entity(FintocObject):
    id: str
    holder_name: str | None = None
    holder_id: str | None = None
    is_root: bool = False


class Account(FintocObject):
    id: str
    object: str = "account"
    mode: str
    root_account_number: str | None = None
    is_root: bool = False
    root_account_number_id: str | None = None
    available_balance: MinorUnits
    currency: str
    entity: Entity | None = None
    description: str | None = None
    status: str

    @property
    def is_active(self) -> bool:
        return self.status == AccountStatus.ACTIVE


class AccountNumber(FintocObject):
    id: str
    account_id: str
    number: str
    created_at: Timestamp
    updated_at: Timestamp | None = None
    mode: str
    description: str | None = None
    metadata: dict[str, Any] = {}
    status: str
    is_root: bool = False
    object: str = "account_number"

    @property
    def is_enabled(self) -> bool:
        return self.status == AccountNumberStatus.ENABLED


class Institution(FintocObject):
    """`{id, name, country}`; any part may be null for a bank nobody recognises."""

    id: str | None = None
    name: str | None = None
    country: str | None = None


class Counterparty(FintocObject):
    holder_id: str | None = None
    holder_name: str | None = None
    account_number: str | None = None
    account_type: str | None = None
    institution: Institution | None = None


class Transfer(FintocObject):
    """A transfer. Real responses carry no `created_at` (use `transaction_date`);
    Chile's `reference_id`, `tracking_key` and `receipt_url` stay null."""

    object: str = "transfer"
    id: str
    amount: MinorUnits
    currency: str
    direction: str
    status: str
    transaction_date: Timestamp
    post_date: Timestamp | None = None
    comment: str | None = None
    reference_id: str | None = None
    tracking_key: str | None = None
    receipt_url: str | None = None
    mode: str
    counterparty: Counterparty
    account_number: AccountNumber | None = None
    metadata: dict[str, Any] = {}
    return_reason: str | None = None

    @property
    def is_final(self) -> bool:
        """Succeeded, failed, rejected or returned: polling can stop."""
        return self.status in FINAL_TRANSFER_STATUSES

    @property
    def is_pending(self) -> bool:
        return self.status == TransferStatus.PENDING

    @property
    def is_inbound(self) -> bool:
        return self.direction == Direction.INBOUND

    @property
    def is_outbound(self) -> bool:
        return self.direction == Direction.OUTBOUND

    @property
    def is_returnable(self) -> bool:
        """Only a succeeded inbound transfer can be returned (§3)."""
        return self.is_inbound and self.status == TransferStatus.SUCCEEDED

    @property
    def known_status(self) -> TransferStatus | None:
        """The status as an enum, or None if Fintoc sent one this version does not know."""
        try:
            return TransferStatus(self.status)
        except ValueError:
            return None


class Movement(FintocObject):
    """A line of an account's ledger.

    `balance` (after the movement) is in every source but one old docs page,
    so it is optional rather than a reason to refuse a whole page.
    `return_pair_id` is the other half of a reversal (a failed outbound
    transfer given back, a returned inbound one), set on both halves.
    """

    id: str
    object: str = "movement"
    account_id: str
    amount: MinorUnits
    balance: MinorUnits | None = None
    currency: str
    direction: str
    mode: str
    resource_id: str | None = None
    return_pair_id: str | None = None
    transaction_date: Timestamp
    type: str

    @property
    def signed_amount(self) -> int:
        """Positive for money in, negative for money out (the API sends it unsigned)."""
        return -self.amount if self.direction == Direction.OUTBOUND else self.amount


class ErrorDetail(FintocObject):
    type: str
    code: str | None = None
    message: str | None = None
    param: str | None = None
    doc_url: str | None = None


class ErrorBody(FintocObject):
    error: ErrorDetail

    @classmethod
    def of(
        cls,
        type: str,
        code: str | None,
        message: str,
        param: str | None = None,
        doc_url: str | None = None,
    ) -> ErrorBody:
        return cls(
            error=ErrorDetail(type=type, code=code, message=message, param=param, doc_url=doc_url)
        )


M = TypeVar("M", bound=BaseModel)


@cache
def _list_adapter(model: type[M]) -> TypeAdapter[list[M]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def parse_list(model: type[M], data: bytes | str | list[Any]) -> list[M]:
    """A list endpoint's bare JSON array (bytes or already decoded) as models."""
    adapter = _list_adapter(model)
    if isinstance(data, bytes | str):
        return adapter.validate_json(data)
    return adapter.validate_python(data)


# -- Request bodies ------------------------------------------------------------------


class _RequestBody(BaseModel):
    """A body the client sends; unknown keys are dropped, as the API ignores them."""

    model_config = ConfigDict(extra="ignore", defer_build=True)

    def to_api_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    def to_body(self) -> bytes:
        """The exact bytes to sign and send: compact JSON, no nulls, fields in declared order.

        `ensure_ascii=False` and `(",", ":")` match what httpx's `json=` produces.
        """
        return json.dumps(
            self.to_api_dict(), ensure_ascii=False, separators=(",", ":"), allow_nan=False
        ).encode("utf-8")


def _banking(code: str, check: Callable[[str], str], value: str) -> str:
    try:
        return check(value)
    except BankingError as exc:
        raise _error(code, str(exc)) from None


def _optional_text(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _required_text(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise _error("missing_parameter", f"{what} is required")
    return value


def _currency(value: Any) -> str:
    if not isinstance(value, str):
        raise _error("invalid_currency", f"currency must be a code like MXN, not {value!r}")
    code = value.strip().upper()
    if code not in CURRENCIES:
        choices = " or ".join(CURRENCIES)
        raise _error("invalid_currency", f"currency must be {choices}, not {value!r}")
    return code


def _positive(amount: int) -> int:
    """1 to `money.MAX_AMOUNT`: the app, the sandbox and `parse_amount` share one bound."""
    if amount < 1:
        raise _error("invalid_amount", f"amount must be at least 1, not {_brief(amount)}")
    if amount > MAX_AMOUNT:
        raise _error(
            "invalid_amount",
            f"amount must be at most {MAX_AMOUNT:,} minor units, not {_brief(amount)}",
        )
    return amount


def _comment(value: str | None) -> str | None:
    value = _optional_text(value)
    if value is not None and len(value) > COMMENT_MAX_LENGTH:
        raise _error(
            "invalid_comment_size",
            f"comment can have at most {COMMENT_MAX_LENGTH} characters, has {len(value)}",
        )
    return value


def _reference_id_input(value: Any) -> Any:
    """SDKs sometimes send the reference as a number; it is text on the wire."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _reference_id(value: str | None, info: ValidationInfo) -> str | None:
    value = _optional_text(value)
    if value is None or info.data.get("currency") != "MXN":
        return value
    problem = reference_id_problem(value)
    if problem is not None:
        # The API has one code for every reference_id problem.
        raise _error("invalid_reference_id_size", problem)
    return value


def _metadata(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _error("invalid_metadata", "metadata must be an object of text keys and values")
    if len(value) > METADATA_MAX_KEYS:
        raise _error(
            "invalid_metadata",
            f"metadata can have at most {METADATA_MAX_KEYS} keys, has {len(value)}",
        )
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            raise _error("invalid_metadata", f"metadata key {key!r} must be non-empty text")
        if len(key) > METADATA_KEY_MAX_LENGTH:
            raise _error(
                "invalid_metadata",
                f"metadata key {key[:12]!r}… is longer than {METADATA_KEY_MAX_LENGTH} characters",
            )
        if not isinstance(item, str):
            raise _error("invalid_metadata", f"metadata value for {key!r} must be text")
        if len(item) > METADATA_VALUE_MAX_LENGTH:
            raise _error(
                "invalid_metadata",
                f"metadata value for {key!r} is longer than {METADATA_VALUE_MAX_LENGTH} characters",
            )
    return dict(value)


class MXCounterparty(_RequestBody):
    """A Mexican destination: a CLABE; the API works out the bank from it."""

    holder_id: str | None = None
    holder_name: str | None = None
    account_number: str
    account_type: str | None = None

    @field_validator("account_number")
    @classmethod
    def _clabe(cls, value: str) -> str:
        return _banking("invalid_clabe", validate_clabe, value)

    @field_validator("holder_id", "holder_name")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return _optional_text(value)

    @field_validator("account_type")
    @classmethod
    def _account_type(cls, value: str | None) -> str | None:
        value = _optional_text(value)
        if value is not None and value.lower() != "clabe":
            raise _error(
                "invalid_account_type", f"account type in Mexico is 'clabe', not {value!r}"
            )
        return None if value is None else "clabe"


class CLCounterparty(_RequestBody):
    """A Chilean destination (§4).

    The docs require all five fields, but Fintoc's test mode took transfers
    without `account_type` and answered `account_type: null` (additions §1.3),
    so it is optional here; the app's form still asks for it.
    """

    holder_id: str
    holder_name: str
    account_number: str
    account_type: str | None = None
    institution_id: str

    @field_validator("holder_id")
    @classmethod
    def _rut(cls, value: str) -> str:
        return _banking("invalid_holder_id", validate_rut, value)

    @field_validator("holder_name")
    @classmethod
    def _holder_name(cls, value: str) -> str:
        return _required_text(value, "holder name")

    @field_validator("account_number")
    @classmethod
    def _account_number(cls, value: str) -> str:
        # Chilean account numbers are digits; banks print them with hyphens.
        number = "".join(value.split()).replace("-", "")
        if not number:
            raise _error("missing_parameter", "account number is required")
        if not number.isascii() or not number.isdigit() or len(number) > 20:
            raise _error(
                "invalid_account_number",
                f"account number must be up to 20 digits, not {value!r}",
            )
        return number

    @field_validator("account_type")
    @classmethod
    def _account_type(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return _banking("invalid_account_type", normalize_cl_account_type, value)

    @field_validator("institution_id")
    @classmethod
    def _institution(cls, value: str) -> str:
        key = value.strip().lower()
        if key not in CL_INSTITUTIONS:
            raise _error(
                "invalid_institution_id", f"{value!r} is not a Chilean institution Fintoc pays to"
            )
        return key


_COUNTERPARTY_FOR: dict[str, type[MXCounterparty | CLCounterparty]] = {
    "MXN": MXCounterparty,
    "CLP": CLCounterparty,
}


class TransferRequest(_RequestBody):
    """The body of POST /v2/transfers; the counterparty's shape follows the currency."""

    amount: MinorUnits
    currency: str
    account_id: str
    counterparty: MXCounterparty | CLCounterparty
    comment: str | None = None
    reference_id: Annotated[str | None, BeforeValidator(_reference_id_input)] = None
    metadata: dict[str, str] | None = None

    _amount = field_validator("amount")(_positive)
    _currency = field_validator("currency", mode="before")(_currency)
    _comment = field_validator("comment")(_comment)
    _reference_id = field_validator("reference_id")(_reference_id)
    _metadata = field_validator("metadata", mode="before")(_metadata)

    @field_validator("account_id")
    @classmethod
    def _account_id(cls, value: str) -> str:
        return _required_text(value, "account_id")

    @field_validator("counterparty", mode="wrap")
    @classmethod
    def _counterparty(
        cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> MXCounterparty | CLCounterparty | Any:
        """Validate against the currency's shape (errors keep their nested `loc`)."""
        model = _COUNTERPARTY_FOR.get(info.data.get("currency", ""))
        if model is None:
            return value  # the currency error already explains the failure
        if isinstance(value, BaseModel) and not isinstance(value, model):
            value = value.model_dump()
        return model.model_validate(value)

    @model_validator(mode="after")
    def _clp_ceiling(self) -> TransferRequest:
        if self.currency == "CLP" and self.amount > MAX_CLP_TRANSFER:
            _raise_at(
                self,
                ("amount",),
                "invalid_amount",
                f"at most {format_amount(MAX_CLP_TRANSFER, 'CLP')} per transfer in Chile",
            )
        return self

    @property
    def is_mx(self) -> bool:
        return self.currency == "MXN"


def _raise_at(model: BaseModel, loc: tuple[str, ...], code: str, message: str) -> NoReturn:
    """Raise from a model validator with the error pinned to a field, not the model."""
    value: Any = model
    for part in loc:
        value = getattr(value, part, None)
    detail = InitErrorDetails(type=_error(code, message), loc=loc, input=value)
    raise ValidationError.from_exception_data(type(model).__name__, [detail])


class SimulateReceiveTransferRequest(_RequestBody):
    """The body of POST /v2/simulate/receive_transfer (test mode only, §9)."""

    account_number_id: str
    amount: MinorUnits
    currency: str
    comment: str | None = None
    reference_id: Annotated[str | None, BeforeValidator(_reference_id_input)] = None
    counterparty_account_number: str | None = None
    counterparty_holder_id: str | None = None
    counterparty_holder_name: str | None = None
    counterparty_institution_id: str | None = None
    counterparty_account_type: str | None = None

    _amount = field_validator("amount")(_positive)
    _currency = field_validator("currency", mode="before")(_currency)
    _comment = field_validator("comment")(_comment)
    _reference_id = field_validator("reference_id")(_reference_id)

    @field_validator("account_number_id")
    @classmethod
    def _account_number_id(cls, value: str) -> str:
        return _required_text(value, "account_number_id")

    @field_validator("counterparty_holder_name")
    @classmethod
    def _holder_name(cls, value: str | None) -> str | None:
        return _optional_text(value)

    @field_validator("counterparty_account_number")
    @classmethod
    def _account_number(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = _optional_text(value)
        if value is None or info.data.get("currency") != "MXN":
            return value
        return _banking("invalid_clabe", validate_clabe, value)

    @field_validator("counterparty_holder_id")
    @classmethod
    def _holder_id(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = _optional_text(value)
        if value is None or info.data.get("currency") != "CLP":
            return value
        return _banking("invalid_holder_id", validate_rut, value)

    @field_validator("counterparty_institution_id")
    @classmethod
    def _institution(cls, value: str | None) -> str | None:
        value = _optional_text(value)
        if value is not None and value.lower() not in CL_INSTITUTIONS:
            raise _error(
                "invalid_institution_id", f"{value!r} is not a Chilean institution Fintoc pays to"
            )
        return None if value is None else value.lower()

    @field_validator("counterparty_account_type")
    @classmethod
    def _account_type(cls, value: str | None) -> str | None:
        value = _optional_text(value)
        if value is None:
            return None
        return _banking("invalid_account_type", normalize_cl_account_type, value)


class ReturnTransferRequest(_RequestBody):
    """The body of POST /v2/transfers/return."""

    transfer_id: str

    @field_validator("transfer_id")
    @classmethod
    def _transfer_id(cls, value: str) -> str:
        return _required_text(value, "transfer_id")


# -- Checks that need the source account ------------------------------------------------


class TransferRequestError(ValueError):
    """A request that is well formed but cannot be sent from this account."""

    def __init__(self, code: str, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.param = param

    def to_error_detail(self) -> ErrorDetail:
        return ErrorDetail(
            type="invalid_request_error", code=self.code, message=self.message, param=self.param
        )


def validate_against_account(request: TransferRequest, account: Account) -> None:
    """Raise `TransferRequestError` unless `account` can send `request` (§4, §8)."""
    if request.account_id != account.id:
        raise TransferRequestError(
            "invalid_request",
            f"this transfer is for account {request.account_id}, not {account.id}",
            "account_id",
        )
    if request.currency != account.currency.upper():
        raise TransferRequestError(
            "currency_mismatch",
            f"currency {request.currency} does not match the account's {account.currency}",
            "currency",
        )
    if not account.is_active:
        raise TransferRequestError(
            "account_not_active",
            f"account {account.id} is {account.status}; only an active account can send",
            "account_id",
        )


# -- Validation errors as the UI and the API want them ----------------------------------

# Fintoc's codes for a bad value of a parameter, when pydantic's own error
# (wrong JSON type, say) does not already carry one.
_CODE_FOR_PARAM = {
    "amount": "invalid_amount",
    "currency": "invalid_currency",
    "counterparty.account_number": "invalid_account_number",
    "counterparty.holder_id": "invalid_holder_id",
    "counterparty.institution_id": "invalid_institution_id",
    "counterparty.account_type": "invalid_account_type",
    "comment": "invalid_comment_size",
    "reference_id": "invalid_reference_id_size",
    "counterparty_account_number": "invalid_account_number",
    "counterparty_holder_id": "invalid_holder_id",
    "counterparty_institution_id": "invalid_institution_id",
    "counterparty_account_type": "invalid_account_type",
}

# Our own error types that are already Fintoc codes; the rest (`invalid_metadata`,
# which the API has no code for) map through the param.
_OWN_CODES = {
    "invalid_amount",
    "invalid_currency",
    "invalid_clabe",
    "invalid_account_number",
    "invalid_holder_id",
    "invalid_institution_id",
    "invalid_account_type",
    "invalid_comment_size",
    "invalid_reference_id_size",
    "missing_parameter",
}


def _param(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _message(error: Mapping[str, Any]) -> str:
    if error["type"] == "missing":
        return "required"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def field_errors(exc: ValidationError) -> dict[str, str]:
    """`{"counterparty.account_number": "check digit should be 4, not 5", …}`, first per field.

    A problem with the whole body (malformed JSON, say) is keyed by "".
    """
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False, include_input=False):
        errors.setdefault(_param(error["loc"]), _message(error))
    return errors


def error_detail(exc: ValidationError) -> ErrorDetail:
    """The error the API answers for the first problem, with `param` naming the field."""
    error = exc.errors(include_url=False, include_input=False)[0]
    param = _param(error["loc"]) or None
    kind = error["type"]
    if kind in _OWN_CODES:
        code = kind
    elif kind == "missing":
        code = "missing_parameter"
    elif kind == "json_invalid":
        code = "invalid_json"
    else:
        code = _CODE_FOR_PARAM.get(param or "", "invalid_request")
    message = _message(error)
    if kind == "missing":
        message = f"missing required parameter {param}"
    return ErrorDetail(type="invalid_request_error", code=code, message=message, param=param)
