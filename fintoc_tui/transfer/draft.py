"""The whole transfer: every problem in reading order, the request, and its draft.

`field_problems` lists what stops the fields from making a transfer, each
with the short phrase of the form's "To review: …" line (`reason`) and the
sentence under the field (`message`). `draft_transfer` checks them all (final
mode) and builds the validated `TransferRequest` plus the `TransferDraft`
the confirm step restates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fintoc_tui.banking import (
    CL_INSTITUTIONS,
    CLABE_LENGTH,
    BankingError,
    clabe_problem,
    normalize_cl_account_type,
    validate_clabe,
    validate_rut,
)
from fintoc_tui.money import format_amount
from fintoc_tui.transfer.checks import (
    AmountCheck,
    amount_limit_problem,
    check_amount,
    check_cl_account_number,
    check_comment,
    check_holder_name,
    check_metadata,
    check_mx_holder_id,
    check_reference,
    check_rut,
    cl_institution_id,
    clabe_digits,
    compact_rut,
    upper_first,
)
from fintoc_tui.transfer.fields import field_key, fix_reason
from fintoc_tui.transfer.restate import SourceAccount, TransferDraft, build_draft

if TYPE_CHECKING:
    from fintoc_tui.api.models import TransferRequest

__all__ = [
    "DraftError",
    "FieldProblem",
    "TransferFields",
    "build_request",
    "draft_transfer",
    "field_problems",
]


def _is_active(account: SourceAccount) -> bool:
    return account.status == "active"


@dataclass(frozen=True)
class TransferFields:
    """The form's fields as plain text: what a person typed, flags, or a CSV row's cells.

    `account_number` is the CLABE in Mexico and the account number in Chile;
    `holder_id` the RFC/CURP (optional) or the RUT. `amount` is text in the
    currency's home style; `amount_minor`, when set, is an exact int instead.
    """

    account_number: str = ""
    holder_name: str = ""
    holder_id: str = ""
    institution_id: str = ""
    account_type: str = ""
    amount: str = ""
    amount_minor: int | None = None
    comment: str = ""
    reference_id: str = ""
    metadata: tuple[tuple[str, str], ...] = ()

    def metadata_dict(self) -> dict[str, str]:
        """The filled pairs, in order (half-filled ones are `check_metadata`'s to report)."""
        return {key.strip(): value for key, value in self.metadata if key.strip() and value}


@dataclass(frozen=True)
class FieldProblem:
    """Why the transfer cannot be reviewed yet, at one field.

    `field` is the API parameter without `counterparty.` (`account_number`,
    `holder_id`, `amount`, …, or `account_id` for the source account);
    `reason` is the form's short "To review" phrase; `message` is the sentence
    under the field.
    """

    field: str
    reason: str
    message: str


class DraftError(ValueError):
    """The fields do not make a transfer; `problems` says where and why, in reading order."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in self.problems))


def _amount_for(
    account: SourceAccount | None, fields: TransferFields, final: bool, check_balance: bool = True
) -> AmountCheck:
    currency = account.currency.upper() if account is not None else "MXN"
    balance = account.available_balance if account is not None and check_balance else None
    if fields.amount_minor is not None:
        minor = fields.amount_minor
        problem = amount_limit_problem(minor, currency, balance)
        return AmountCheck(format_amount(minor, currency), None if problem else minor, problem)
    return check_amount(fields.amount, currency, balance, final=final)


def field_problems(
    account: SourceAccount | None,
    fields: TransferFields,
    *,
    final: bool = True,
    check_balance: bool = True,
) -> list[FieldProblem]:
    """Every problem with the fields, in the form's reading order; empty when they can be sent.

    `check_balance=False` skips "more than the balance" (a batch row already
    paid, whose amount has left the balance it would be checked against).
    """
    return _assess(account, fields, final, check_balance).problems


@dataclass
class _Assessment:
    """The problems, and what checking worked out on the way (so it is not done twice)."""

    problems: list[FieldProblem]
    amount: int | None = None
    clabe: str = ""
    rut: str = ""


def _assess(
    account: SourceAccount | None, fields: TransferFields, final: bool, check_balance: bool
) -> _Assessment:
    problems: list[FieldProblem] = []
    found = _Assessment(problems)

    def add(field: str, reason: str, message: str | None = None) -> None:
        problems.append(FieldProblem(field, reason, message or upper_first(reason)))

    if account is None:
        add("account_id", "choose the source account", "Choose the account the money leaves from.")
    elif not _is_active(account):
        add(
            "account_id",
            f"the source account is {account.status}",
            f"The source account is {account.status}: it cannot send",
        )
    currency = account.currency.upper() if account is not None else "MXN"
    if currency == "MXN":
        digits = clabe_digits(fields.account_number)
        clabe = clabe_problem(digits) if digits else None  # = check_clabe's, without its note
        if clabe:
            add("account_number", fix_reason("account_number", currency), upper_first(clabe))
        elif not digits:
            add("account_number", "enter the CLABE")
        elif len(digits) < CLABE_LENGTH:
            if final:
                add(
                    "account_number",
                    fix_reason("account_number", currency),
                    _clabe_error(fields.account_number),
                )
            else:
                add("account_number", "finish the CLABE")
        else:
            found.clabe = digits
        holder_id = check_mx_holder_id(fields.holder_id)
        if holder_id.problem:
            add("holder_id", fix_reason("holder_id", currency), holder_id.problem)
        elif final and len(fields.holder_id.strip()) not in (0, 12, 13, 18):
            add(
                "holder_id",
                fix_reason("holder_id", currency),
                "An RFC has 12 or 13 characters, a CURP 18",
            )
        name = check_holder_name(fields.holder_name)
        if name.problem:
            add("holder_name", fix_reason("holder_name", currency), name.problem)
    else:
        number = check_cl_account_number(fields.account_number)
        if number.problem:
            add("account_number", fix_reason("account_number", currency), number.problem)
        elif not fields.account_number.strip():
            add("account_number", "enter the account number")
        compact = compact_rut(fields.holder_id)
        # A valid RUT has no problem to report: check_rut's only when it is not.
        problem = check_rut(fields.holder_id).problem if compact is None else None
        if problem:
            add("holder_id", fix_reason("holder_id", currency), problem)
        elif compact is None:
            if not fields.holder_id.strip():
                add("holder_id", "enter the RUT")
            elif final:
                add("holder_id", fix_reason("holder_id", currency), _rut_error(fields.holder_id))
            else:
                add("holder_id", "finish the RUT")
        else:
            found.rut = compact
        name = check_holder_name(fields.holder_name)
        if not fields.holder_name.strip():
            add("holder_name", "enter the holder name")
        elif name.problem:
            add("holder_name", fix_reason("holder_name", currency), name.problem)
        institution = fields.institution_id.strip()
        if not institution:
            add("institution_id", "choose the institution")
        elif cl_institution_id(institution) not in CL_INSTITUTIONS:
            add(
                "institution_id",
                "choose the institution",
                f"{institution!r} is not a Chilean institution Fintoc pays to",
            )
        account_type = fields.account_type.strip()
        if not account_type:
            add("account_type", "choose the account type")
        else:
            try:
                normalize_cl_account_type(account_type)
            except BankingError as exc:
                add("account_type", "choose the account type", upper_first(str(exc)))
    amount = _amount_for(account, fields, final, check_balance)
    found.amount = amount.minor
    if amount.problem:
        add("amount", fix_reason("amount", currency), amount.problem)
    elif amount.minor is None:
        add("amount", "finish the amount" if fields.amount.strip() else "enter the amount")
    comment = check_comment(fields.comment)
    if comment.problem:
        add("comment", fix_reason("comment", currency), comment.problem)
    if currency == "MXN":
        reference = check_reference(fields.reference_id)
        if reference.problem:
            add("reference_id", fix_reason("reference_id", currency), reference.problem)
    elif final and fields.reference_id.strip():
        add(
            "reference_id",
            fix_reason("reference_id", currency),
            "A reference id is only for transfers in Mexico (MXN)",
        )
    metadata = check_metadata(fields.metadata)
    if metadata:
        add("metadata", fix_reason("metadata", currency), metadata)
    return found


def _clabe_error(text: str) -> str:
    try:
        validate_clabe(text)
    except BankingError as exc:
        return upper_first(str(exc))
    return "Not a valid CLABE"


def _rut_error(text: str) -> str:
    try:
        validate_rut(text)
    except BankingError as exc:
        return upper_first(str(exc))
    return "Not a valid RUT"


def build_request(account: SourceAccount | None, fields: TransferFields) -> TransferRequest:
    """The request as typed; raises pydantic `ValidationError` if the model refuses it.

    Call after `field_problems` came back empty: this is the form's
    `build_request`, on plain values.
    """
    digits = clabe_digits(fields.account_number)
    valid = len(digits) == CLABE_LENGTH and clabe_problem(digits) is None
    amount = _amount_for(account, fields, True, check_balance=False).minor
    rut = compact_rut(fields.holder_id) or ""
    return _request(account, fields, amount, digits if valid else "", rut)


def _request(
    account: SourceAccount | None,
    fields: TransferFields,
    amount: int | None,
    clabe: str,
    rut: str,
) -> TransferRequest:
    from fintoc_tui.api.models import TransferRequest

    currency = account.currency.upper() if account is not None else "MXN"
    counterparty: dict[str, str | None]
    if currency == "MXN":
        counterparty = {
            "account_number": clabe,
            "holder_name": fields.holder_name.strip() or None,
            "holder_id": fields.holder_id.strip().upper() or None,
            "account_type": "clabe",
        }
    else:
        counterparty = {
            "account_number": fields.account_number,
            "holder_id": rut,
            "holder_name": fields.holder_name,
            "institution_id": cl_institution_id(fields.institution_id),
            "account_type": fields.account_type.strip(),
        }
    reference = fields.reference_id.strip()
    metadata = fields.metadata_dict()
    return TransferRequest(
        amount=amount or 0,
        currency=currency,
        account_id=account.id if account is not None else "",
        counterparty=counterparty,  # type: ignore[arg-type]  # validated into the model
        comment=fields.comment.strip() or None,
        reference_id=(reference or None) if currency == "MXN" else None,
        metadata=metadata or None,
    )


def draft_transfer(
    account: SourceAccount | None, fields: TransferFields, *, check_balance: bool = True
) -> TransferDraft:
    """Check every field (final mode) and build the draft; raises `DraftError` listing all problems."""
    found = _assess(account, fields, True, check_balance)
    if found.problems:
        raise DraftError(found.problems)
    assert account is not None
    from pydantic import ValidationError

    from fintoc_tui.api.models import field_errors

    try:
        request = _request(account, fields, found.amount, found.clabe, found.rut)
    except ValidationError as exc:
        refused = []
        for param, message in field_errors(exc).items():
            name = field_key(param, None) or "request"
            reason = fix_reason(name, account.currency)
            refused.append(FieldProblem(name, reason, message))
        raise DraftError(refused) from None
    return build_draft(account, request)
