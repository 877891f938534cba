"""A transfer as a person describes it, checked once for every face of the app.

The transfer form, `fintoc-tui transfers create` and each row of a batch file
start from the same plain-text fields (a CLABE or a Chilean account, a RUT, an
amount as typed, …). This module turns them into a validated `TransferRequest`
plus the display strings the confirm step restates, with the same words
everywhere: the form shows `FieldProblem.message` under a field and
`FieldProblem.reason` on its "To review: …" line; the commands print them on
stderr; the batch lists them by row and column.

Two modes: `final=False` is "still typing" (a CLABE with 12 digits is not
finished yet, the form waits); `final=True` is "this is all there is" (a flag
or a CSV cell: 12 digits is simply wrong, and says why).

No Textual here: a note is plain text in styled parts (`Note`), which the UI
renders with its own colours and the commands print as is.

Long module: every field's check, the draft and the restatement share the
field names and words; it is split when the form moves onto it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from fintoc_tui.banking import (
    CL_ACCOUNT_TYPES,
    CL_INSTITUTIONS,
    CLABE_LENGTH,
    MAX_CLP_TRANSFER,
    BankingError,
    clabe_bank,
    clabe_problem,
    format_clabe,
    format_rut,
    normalize_cl_account_type,
    reference_id_problem,
    rut_problem,
    validate_clabe,
    validate_rut,
)
from fintoc_tui.money import AmountError, format_amount, parse_amount, preview_amount

if TYPE_CHECKING:
    from fintoc_tui.api.models import TransferRequest
    from fintoc_tui.environments import Environment

__all__ = [
    "COMMENT_MAX_LENGTH",
    "HOLDER_NAME_MAX_LENGTH",
    "AmountCheck",
    "Check",
    "DraftError",
    "FieldProblem",
    "RestatedLine",
    "SourceAccount",
    "TransferDraft",
    "TransferFields",
    "build_draft",
    "build_request",
    "check_amount",
    "check_cl_account_number",
    "check_clabe",
    "check_comment",
    "check_metadata",
    "check_mx_holder_id",
    "check_reference",
    "check_rut",
    "cl_institution_id",
    "clabe_digits",
    "compact_rut",
    "draft_transfer",
    "environment_sentence",
    "field_problems",
    "restate",
]

# The same limits as `api.models` (kept literal here so the form's checks do
# not import pydantic; a test asserts they agree).
COMMENT_MAX_LENGTH = 40
HOLDER_NAME_MAX_LENGTH = 100
METADATA_MAX_KEYS = 50

NoteStyle = Literal["", "strong", "ok", "warning", "error"]
Note = tuple[tuple[str, NoteStyle], ...]


class SourceAccount(Protocol):
    """What the checks need from the account the money leaves (an `api.models.Account`)."""

    @property
    def id(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def available_balance(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def description(self) -> str | None: ...


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _is_active(account: SourceAccount) -> bool:
    return account.status == "active"


# -- one field at a time --------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """What one field says about its text: a note (parts with a style) and a problem."""

    note: Note = ()
    problem: str | None = None

    @property
    def note_text(self) -> str:
        return "".join(text for text, _style in self.note)


_NON_DIGIT = re.compile(r"\D")


def clabe_digits(text: str) -> str:
    """The digits of a CLABE as typed or pasted (`012 180-000…` → `012180000…`)."""
    return _NON_DIGIT.sub("", text)


def check_clabe(text: str) -> Check:
    """The CLABE field: grouped digits, the bank, the check digit or how many digits to go."""
    digits = clabe_digits(text)
    if not digits:
        return Check()
    problem = clabe_problem(digits)
    parts: list[tuple[str, NoteStyle]] = [(format_clabe(digits), "strong")]
    bank = clabe_bank(digits)
    if bank is not None:
        parts.append((f"  ·  {bank.name}", ""))
    if problem:
        return Check(tuple(parts), _upper_first(problem))
    if len(digits) == CLABE_LENGTH:
        parts.append(("  ·  check digit OK", "ok"))
    else:
        parts.append((f"  ·  {CLABE_LENGTH - len(digits)} digits to go", ""))
    return Check(tuple(parts))


def compact_rut(text: str) -> str | None:
    """The RUT as the API wants it (no dots, no hyphen), or None while it is not valid."""
    try:
        return validate_rut(text)
    except BankingError:
        return None


def check_rut(text: str) -> Check:
    if not text.strip():
        return Check()
    problem = rut_problem(text)
    if problem:
        return Check(problem=_upper_first(problem))
    if compact_rut(text):
        return Check(((format_rut(text), "strong"), ("  ·  check digit OK", "ok")))
    return Check()


def check_mx_holder_id(text: str) -> Check:
    """RFC or CURP, checked with python-stdnum (optional field)."""
    value = text.strip().upper()
    if not value:
        return Check()
    from stdnum.mx import curp, rfc

    if len(value) == 18:
        if curp.is_valid(value):
            return Check((("CURP OK", "ok"),))
        return Check(problem="Not a valid CURP (18 characters)")
    if len(value) in (12, 13):
        if rfc.is_valid(value):
            return Check((("RFC OK", "ok"),))
        return Check(problem="Not a valid RFC")
    if len(value) > 18:
        return Check(problem="An RFC has 12 or 13 characters, a CURP 18")
    return Check(((f"{len(value)} characters; an RFC has 12 or 13, a CURP 18", ""),))


def check_cl_account_number(text: str) -> Check:
    number = "".join(text.split()).replace("-", "")
    if number and not number.isdigit():
        return Check(problem="An account number has only digits (hyphens are fine)")
    if len(number) > 20:
        return Check(problem="An account number has at most 20 digits")
    return Check()


def check_comment(text: str) -> Check:
    count = len(text.strip())
    note: Note = (
        (
            f"{count}/{COMMENT_MAX_LENGTH} characters",
            "warning" if count >= COMMENT_MAX_LENGTH - 5 else "",
        ),
    )
    if count > COMMENT_MAX_LENGTH:
        return Check(note, f"A comment has at most {COMMENT_MAX_LENGTH} characters, has {count}")
    return Check(note)


def check_reference(text: str) -> Check:
    problem = reference_id_problem(text.strip())
    return Check(problem=_upper_first(problem) if problem else None)


def check_holder_name(text: str) -> Check:
    if len(text.strip()) > HOLDER_NAME_MAX_LENGTH:
        return Check(
            problem=f"A holder name has at most {HOLDER_NAME_MAX_LENGTH} characters, "
            f"has {len(text.strip())}"
        )
    return Check()


def check_metadata(pairs: Iterable[tuple[str, str]]) -> str | None:
    """Half-filled and repeated pairs (lengths are the model's to check)."""
    seen: set[str] = set()
    count = 0
    for raw_key, value in pairs:
        key = raw_key.strip()
        if key and not value:
            return f"Metadata {key!r} needs a value"
        if value and not key:
            return "A metadata value needs a key"
        if key in seen:
            return f"Metadata key {key!r} is used twice"
        if key:
            seen.add(key)
            count += 1
    if count > METADATA_MAX_KEYS:
        return f"Metadata has at most {METADATA_MAX_KEYS} pairs, has {count}"
    return None


def cl_institution_id(text: str) -> str:
    """A Chilean institution id from its id or its name (`BancoEstado` → `cl_banco_estado`).

    Returns the text lowered and stripped when it names nothing, so the model
    refuses it with its own message.
    """
    key = text.strip().lower()
    if key in CL_INSTITUTIONS:
        return key
    for institution_id, name in CL_INSTITUTIONS.items():
        if name.lower() == key:
            return institution_id
    return key


@dataclass(frozen=True)
class AmountCheck:
    """(display, minor-or-None, problem-or-None) for an amount's text."""

    display: str
    minor: int | None
    problem: str | None


def check_amount(
    text: str, currency: str, balance: int | None = None, *, final: bool = False
) -> AmountCheck:
    """The amount as typed, in the source account's currency and against its balance.

    `final=False` (typing): an unfinished text (`1,2`) has no amount and no
    problem yet. `final=True`: it is wrong, and `money.parse_amount` says why.
    """
    text = text.strip()
    if not text:
        return AmountCheck("", None, None)
    preview = preview_amount(text, currency)
    if preview.error:
        return AmountCheck(preview.display, None, preview.error)
    minor = preview.minor
    if minor is None and final:
        try:
            parse_amount(text, currency)
        except AmountError as exc:
            return AmountCheck(preview.display, None, str(exc))
    if minor is None:
        return AmountCheck(preview.display, None, None)
    if minor < 1:
        return AmountCheck(preview.display, None, "The amount must be more than zero")
    if currency.upper() == "CLP" and minor > MAX_CLP_TRANSFER:
        return AmountCheck(
            preview.display,
            None,
            f"More than {format_amount(MAX_CLP_TRANSFER, 'CLP')}, the most one transfer can carry",
        )
    if balance is not None and minor > balance:
        return AmountCheck(
            preview.display, None, f"More than the balance ({format_amount(balance, currency)})"
        )
    if not preview.complete:
        if final:
            try:
                parse_amount(text, currency)
            except AmountError as exc:
                return AmountCheck(preview.display, None, str(exc))
        return AmountCheck(preview.display, None, None)
    return AmountCheck(preview.display, minor, None)


# -- the whole transfer ---------------------------------------------------------------------


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
        display = format_amount(minor, currency)
        if minor < 1:
            return AmountCheck(display, None, "The amount must be more than zero")
        if currency == "CLP" and minor > MAX_CLP_TRANSFER:
            return AmountCheck(
                display,
                None,
                f"More than {format_amount(MAX_CLP_TRANSFER, 'CLP')}, "
                "the most one transfer can carry",
            )
        if balance is not None and minor > balance:
            return AmountCheck(
                display, None, f"More than the balance ({format_amount(balance, currency)})"
            )
        return AmountCheck(display, minor, None)
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
        problems.append(FieldProblem(field, reason, message or _upper_first(reason)))

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
            add("account_number", "fix the CLABE", _upper_first(clabe))
        elif not digits:
            add("account_number", "enter the CLABE")
        elif len(digits) < CLABE_LENGTH:
            if final:
                add("account_number", "fix the CLABE", _clabe_error(fields.account_number))
            else:
                add("account_number", "finish the CLABE")
        else:
            found.clabe = digits
        holder_id = check_mx_holder_id(fields.holder_id)
        if holder_id.problem:
            add("holder_id", "fix the holder RFC/CURP", holder_id.problem)
        elif final and len(fields.holder_id.strip()) not in (0, 12, 13, 18):
            add("holder_id", "fix the holder RFC/CURP", "An RFC has 12 or 13 characters, a CURP 18")
        name = check_holder_name(fields.holder_name)
        if name.problem:
            add("holder_name", "fix the holder name", name.problem)
    else:
        number = check_cl_account_number(fields.account_number)
        if number.problem:
            add("account_number", "fix the account number", number.problem)
        elif not fields.account_number.strip():
            add("account_number", "enter the account number")
        compact = compact_rut(fields.holder_id)
        # A valid RUT has no problem to report: check_rut's only when it is not.
        problem = check_rut(fields.holder_id).problem if compact is None else None
        if problem:
            add("holder_id", "fix the RUT", problem)
        elif compact is None:
            if not fields.holder_id.strip():
                add("holder_id", "enter the RUT")
            elif final:
                add("holder_id", "fix the RUT", _rut_error(fields.holder_id))
            else:
                add("holder_id", "finish the RUT")
        else:
            found.rut = compact
        name = check_holder_name(fields.holder_name)
        if not fields.holder_name.strip():
            add("holder_name", "enter the holder name")
        elif name.problem:
            add("holder_name", "fix the holder name", name.problem)
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
                add("account_type", "choose the account type", _upper_first(str(exc)))
    amount = _amount_for(account, fields, final, check_balance)
    found.amount = amount.minor
    if amount.problem:
        add("amount", "fix the amount", amount.problem)
    elif amount.minor is None:
        add("amount", "finish the amount" if fields.amount.strip() else "enter the amount")
    comment = check_comment(fields.comment)
    if comment.problem:
        add("comment", "fix the comment", comment.problem)
    if currency == "MXN":
        reference = check_reference(fields.reference_id)
        if reference.problem:
            add("reference_id", "fix the reference id", reference.problem)
    elif final and fields.reference_id.strip():
        add(
            "reference_id",
            "fix the reference id",
            "A reference id is only for transfers in Mexico (MXN)",
        )
    metadata = check_metadata(fields.metadata)
    if metadata:
        add("metadata", "fix the metadata", metadata)
    return found


def _clabe_error(text: str) -> str:
    try:
        validate_clabe(text)
    except BankingError as exc:
        return _upper_first(str(exc))
    return "Not a valid CLABE"


def _rut_error(text: str) -> str:
    try:
        validate_rut(text)
    except BankingError as exc:
        return _upper_first(str(exc))
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


# -- the draft and its restatement ----------------------------------------------------------


@dataclass(frozen=True)
class TransferDraft:
    """A validated request plus what the confirm step needs to restate it."""

    account: SourceAccount
    request: TransferRequest
    destination_name: str
    destination_bank: str
    destination_number: str
    destination_holder_id: str = ""
    destination_account_type: str = ""

    @property
    def currency(self) -> str:
        return self.request.currency

    @property
    def amount(self) -> int:
        return self.request.amount

    @property
    def last_four(self) -> str:
        """The last four digits of the destination, typed back in live mode."""
        return self.request.counterparty.account_number[-4:]


def build_draft(account: SourceAccount, request: TransferRequest) -> TransferDraft:
    """The display strings for a validated request (the bank from the CLABE, the RUT formatted)."""
    cp = request.counterparty
    if request.currency == "MXN":
        bank = clabe_bank(cp.account_number)
        return TransferDraft(
            account=account,
            request=request,
            destination_name=cp.holder_name or "(holder name not given)",
            destination_bank=bank.name if bank else "unknown bank",
            destination_number=format_clabe(cp.account_number),
            destination_holder_id=cp.holder_id or "",
            destination_account_type="CLABE",
        )
    institution_id = getattr(cp, "institution_id", "")
    account_type = cp.account_type or ""
    return TransferDraft(
        account=account,
        request=request,
        destination_name=cp.holder_name or "",
        destination_bank=CL_INSTITUTIONS.get(institution_id, institution_id),
        destination_number=cp.account_number,
        destination_holder_id=format_rut(cp.holder_id) if cp.holder_id else "",
        destination_account_type=CL_ACCOUNT_TYPES.get(account_type, account_type),
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
            name = param.removeprefix("counterparty.") or "request"
            if name.startswith("metadata"):
                name = "metadata"
            refused.append(FieldProblem(name, f"fix the {name.replace('_', ' ')}", message))
        raise DraftError(refused) from None
    return build_draft(account, request)


def environment_sentence(environment: Environment | None) -> tuple[str, str]:
    """(label, explanation) for the environment line of a restatement."""
    if environment is None:
        return "?", "no environment"
    if environment.name == "live":
        return "LIVE", "real money will move"
    if environment.name == "test":
        return "TEST", "Fintoc test mode: no real money moves"
    return "SANDBOX", "the local emulator: no real money moves"


@dataclass(frozen=True)
class RestatedLine:
    """One line of the confirm step: `label`, the `value`, and a quieter `note`."""

    label: str
    value: str
    note: str = ""


def restate(draft: TransferDraft, environment: Environment | None) -> list[RestatedLine]:
    """What the confirm screen shows, line by line, from the stored ints (never typed text)."""
    request = draft.request
    account = draft.account
    env_label, env_text = environment_sentence(environment)
    balance = format_amount(account.available_balance, account.currency)
    lines = [
        RestatedLine("Environment", env_label, env_text),
        RestatedLine("From", f"{account.description or account.id}  ·  balance {balance}"),
        RestatedLine("To", draft.destination_name),
        RestatedLine("Bank", draft.destination_bank),
        RestatedLine("Account", draft.destination_number, f"({draft.destination_account_type})"),
    ]
    if draft.destination_holder_id:
        label = "RUT" if request.currency == "CLP" else "RFC / CURP"
        lines.append(RestatedLine(label, draft.destination_holder_id))
    lines.append(
        RestatedLine(
            "Amount",
            format_amount(request.amount, request.currency),
            f"amount={request.amount} (minor units sent)",
        )
    )
    lines.append(RestatedLine("Comment", request.comment or "—"))
    if request.currency == "MXN":
        lines.append(RestatedLine("Reference", request.reference_id or "—"))
    if request.metadata:
        pairs = ", ".join(f"{k}={v}" for k, v in request.metadata.items())
        lines.append(RestatedLine("Metadata", pairs))
    return lines
