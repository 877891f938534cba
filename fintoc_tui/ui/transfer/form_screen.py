"""Mode "transfer": the form for a new outbound transfer.

The form adapts to the source account's currency (a CLABE in Mexico; account
number, RUT, holder, institution and type in Chile), checks every field as it
is typed, and says next to the submit button why it cannot be pressed yet.
Nothing is sent from here: "Review" builds a validated `TransferRequest` and
pushes the confirm screen; cancelling there comes back with every field kept.

Prefilled forms ("new transfer from this account", "repeat this transfer")
come in as `TransferFormScreen(prefill=TransferPrefill(...))`, or for an
already-mounted form through `messages.TransferFromAccount` / `prefill()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from fintoc_tui.api.models import COMMENT_MAX_LENGTH, TransferRequest, field_errors
from fintoc_tui.banking import (
    CL_ACCOUNT_TYPES,
    CL_INSTITUTIONS,
    clabe_bank,
    format_clabe,
    format_rut,
    reference_id_problem,
)
from fintoc_tui.money import format_amount, minor_to_decimal_str
from fintoc_tui.ui import messages
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.magic_picker import MagicPicker
from fintoc_tui.ui.transfer.rut_input import RutInput
from fintoc_tui.ui.transfer.transfer_field import TransferField
from fintoc_tui.ui.transfer.transfer_metadata import TransferMetadata
from fintoc_tui.ui.widgets.header import FintocHeader

REVIEW = bindings.TRANSFER_REVIEW
RELOAD = bindings.TRANSFER_RELOAD
JOURNAL = bindings.TRANSFER_JOURNAL


@dataclass(frozen=True)
class TransferPrefill:
    """What to put in a fresh form; every field optional. `amount` is int minor units."""

    account_id: str | None = None
    account_number: str = ""
    holder_name: str = ""
    holder_id: str = ""
    institution_id: str | None = None
    account_type: str | None = None
    amount: int | None = None
    comment: str = ""
    reference_id: str = ""
    metadata: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_transfer(cls, transfer: Any) -> TransferPrefill:
        """ "Repeat this transfer": the same destination, amount and comment, from the same account."""
        cp = transfer.counterparty
        institution = getattr(cp, "institution", None)
        number = getattr(transfer, "account_number", None)
        return cls(
            account_id=getattr(number, "account_id", None),
            account_number=cp.account_number or "",
            holder_name=cp.holder_name or "",
            holder_id=cp.holder_id or "",
            institution_id=institution.id if institution and transfer.currency == "CLP" else None,
            account_type=cp.account_type if transfer.currency == "CLP" else None,
            amount=transfer.amount,
            comment=transfer.comment or "",
            metadata={str(k): str(v) for k, v in (transfer.metadata or {}).items()},
        )


@dataclass(frozen=True)
class TransferDraft:
    """A validated request plus what the confirm screen needs to restate it."""

    account: Any
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


def account_label(account: Any) -> str:
    """One line per source account: description · balance · currency."""
    description = account.description or account.id
    balance = format_amount(account.available_balance, account.currency)
    return f"{description}  ·  {balance}  ·  {account.status}"


def _chosen(select: Select[Any]) -> str:
    """A Select's value as text; "" when nothing is chosen (so the model names the field)."""
    value = select.value
    return value if isinstance(value, str) else ""


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def check_comment(text: str) -> tuple[Content | None, str | None]:
    count = len(text)
    note = f"{count}/{COMMENT_MAX_LENGTH} characters"
    style = "$text-warning" if count >= COMMENT_MAX_LENGTH - 5 else ""
    return Content.assemble((note, style)), None


def check_reference(text: str) -> tuple[Content | None, str | None]:
    problem = reference_id_problem(text.strip())
    return None, _upper_first(problem) if problem else None


def check_mx_holder_id(text: str) -> tuple[Content | None, str | None]:
    """RFC or CURP, checked with python-stdnum (optional field)."""
    value = text.strip().upper()
    if not value:
        return None, None
    from stdnum.mx import curp, rfc

    if len(value) == 18:
        if curp.is_valid(value):
            return Content.assemble(("CURP OK", "$text-success")), None
        return None, "Not a valid CURP (18 characters)"
    if len(value) in (12, 13):
        if rfc.is_valid(value):
            return Content.assemble(("RFC OK", "$text-success")), None
        return None, "Not a valid RFC"
    if len(value) > 18:
        return None, "An RFC has 12 or 13 characters, a CURP 18"
    return Content(f"{len(value)} characters; an RFC has 12 or 13, a CURP 18"), None


def check_cl_account_number(text: str) -> tuple[Content | None, str | None]:
    number = "".join(text.split()).replace("-", "")
    if number and not number.isdigit():
        return None, "An account number has only digits (hyphens are fine)"
    if len(number) > 20:
        return None, "An account number has at most 20 digits"
    return None, None


class TransferFormScreen(Screen):
    """The new-transfer form; see the module docstring."""

    BINDINGS = bindings.TRANSFER_FORM_SCREEN
    DEFAULT_CSS = """
    TransferFormScreen #transfer-body { padding: 0 1; }
    TransferFormScreen .select-note { display: none; color: $text-error; height: auto; }
    TransferFormScreen .select-note.-shown { display: block; }
    TransferFormScreen #transfer-title { text-style: bold; height: 1; padding: 0 1; }
    TransferFormScreen #transfer-columns { height: auto; }
    TransferFormScreen #col-left, TransferFormScreen #col-right { width: 1fr; height: auto; }
    TransferFormScreen .group { height: auto; }
    TransferFormScreen .field-label { padding: 0 1; color: $text-muted; }
    TransferFormScreen .field-note { padding: 0 1; color: $text-muted; height: auto; }
    TransferFormScreen #submit-row { height: auto; margin-top: 1; }
    TransferFormScreen #review { margin: 0 1; }
    TransferFormScreen #submit-reason { width: 1fr; padding: 1 1 0 1; }
    TransferFormScreen #form-error { padding: 0 1; color: $text-error; height: auto; }
    TransferFormScreen.-cl #mx-counterparty { display: none; }
    TransferFormScreen.-cl #reference-id { display: none; }
    TransferFormScreen.-mx #cl-counterparty { display: none; }
    TransferFormScreen.-live #magic { display: none; }
    """

    def __init__(self, prefill: TransferPrefill | None = None) -> None:
        super().__init__()
        self._prefill = prefill
        self._focus_destination_on_load = False
        self.accounts: list[Any] = []
        self.account: Any = None
        self.reasons: list[str] = []
        self.errors: dict[str, str] = {}

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield FintocHeader()
        with VerticalScroll(id="transfer-body"):
            yield Static("New transfer", id="transfer-title")
            yield Static(Content(""), id="form-error", markup=False)
            with Horizontal(id="transfer-columns"):
                with Vertical(id="col-left"):
                    with Vertical(classes="group", id="source-group"):
                        yield Label("From account", classes="field-label")
                        yield Select[str]([], prompt="Loading accounts…", id="source-account")
                        yield Static(Content(""), id="source-note", classes="field-note")
                    yield MagicPicker("MXN", id="magic")
                    with Vertical(classes="group", id="mx-counterparty"):
                        yield ClabeInput(id="clabe")
                        yield TransferField(
                            "Holder name (optional)", max_length=100, id="mx-holder-name"
                        )
                        yield TransferField(
                            "Holder RFC or CURP (optional)",
                            max_length=18,
                            restrict=r"[A-Za-z0-9&Ññ]*",
                            checker=check_mx_holder_id,
                            id="mx-holder-id",
                        )
                    with Vertical(classes="group", id="cl-counterparty"):
                        yield TransferField(
                            "Account number",
                            max_length=24,
                            restrict=r"[\d\- ]*",
                            required=True,
                            checker=check_cl_account_number,
                            id="cl-account-number",
                        )
                        yield RutInput(id="rut")
                        yield TransferField(
                            "Holder name", max_length=100, required=True, id="cl-holder-name"
                        )
                        yield Label("Institution", classes="field-label")
                        yield Select(
                            [(name, key) for key, name in CL_INSTITUTIONS.items()],
                            prompt="Choose the bank…",
                            id="cl-institution",
                        )
                        yield Static("", id="cl-institution-note", classes="select-note")
                        yield Label("Account type", classes="field-label")
                        yield Select(
                            [(name, key) for key, name in CL_ACCOUNT_TYPES.items()],
                            prompt="Choose the account type…",
                            id="cl-account-type",
                        )
                        yield Static("", id="cl-account-type-note", classes="select-note")
                with Vertical(id="col-right"):
                    yield Label("Amount", classes="field-label")
                    yield AmountInput("MXN", id="amount")
                    yield TransferField(
                        f"Comment (optional, up to {COMMENT_MAX_LENGTH})",
                        max_length=COMMENT_MAX_LENGTH,
                        checker=check_comment,
                        id="comment",
                    )
                    yield TransferField(
                        "Reference id (optional: up to 7 digits, no leading 0)",
                        restrict=r"\d*",
                        max_length=7,
                        checker=check_reference,
                        id="reference-id",
                    )
                    yield TransferMetadata(id="metadata")
                    with Horizontal(id="submit-row"):
                        yield Button("Review transfer", id="review", variant="primary")
                        yield Static(Content(""), id="submit-reason", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.set_class(True, "-mx")
        app: Any = self.app
        environment = getattr(app, "environment", None)
        self.set_class(bool(environment and environment.is_live), "-live")
        app.client_changed_signal.subscribe(self, self._client_changed)
        self._client_changed(app.client)
        if self._prefill is not None:
            self._apply_counterparty_prefill(self._prefill)
        self._update_submit()

    # -- accounts -------------------------------------------------------------------------------

    def _client_changed(self, client: Any) -> None:
        app: Any = self.app
        environment = getattr(app, "environment", None)
        self.set_class(bool(environment and environment.is_live), "-live")
        if client is not None:
            self._load_accounts(client)
            from fintoc_tui.ui.transfer.journal_recovery import offer_journal_recovery

            offer_journal_recovery(app)
            return
        select = self.query_one("#source-account", Select)
        select.set_options([])
        problem = getattr(app, "client_problem", None)
        note = problem.title + " " + problem.advice if problem else "Connecting…"
        select.prompt = "No accounts"
        self.query_one("#source-note", Static).update(Content(note))
        self.accounts = []
        self._select_account(None)

    def action_refresh(self) -> None:
        client = getattr(self.app, "client", None)
        if client is not None:
            self._load_accounts(client)

    def action_leave_field(self) -> None:
        """Escape in a text field: step out of it, so 1/2/3, h, e, q act as keys again."""
        if isinstance(self.focused, Input | TextArea):
            self.query_one("#transfer-body").focus()

    def action_journal(self) -> None:
        """Show unresolved journal entries again (the dialog appears by itself once per run)."""
        from fintoc_tui.ui.transfer.journal_recovery import offer_journal_recovery

        offer_journal_recovery(self.app, once=False, say_when_none=True)

    @work(exclusive=True, group="transfer-accounts", exit_on_error=False)
    async def _load_accounts(self, client: Any) -> None:
        try:
            accounts = await client.list_accounts()
        except Exception as error:
            message: Any = messages.TransferAccountsFailed(error)
        else:
            message = messages.TransferAccountsLoaded(accounts)
        if client is getattr(self.app, "client", None):
            # A dropped client's accounts (the environment changed meanwhile)
            # must not become the source choices under the new one.
            self.post_message(message)

    def on_transfer_accounts_loaded(self, message: messages.TransferAccountsLoaded) -> None:
        self.accounts = list(message.accounts)
        select = self.query_one("#source-account", Select)
        current = select.value if select.value is not Select.NULL else None
        # A prefill wins, then what the person already chose, then "new transfer
        # from this account" (which may predate this screen).
        wanted = (
            (self._prefill.account_id if self._prefill else None)
            or current
            or getattr(self.app, "transfer_source_account_id", None)
        )
        options = [(account_label(a), a.id) for a in self.accounts]
        select.prompt = "Choose the account to send from…" if options else "No accounts"
        select.set_options(options)
        ids = [a.id for a in self.accounts]
        if wanted not in ids:
            active = [a.id for a in self.accounts if getattr(a, "is_active", True)]
            wanted = active[0] if active else None
        from_account = (
            current is None
            and self._prefill is None
            and wanted is not None
            and wanted == getattr(self.app, "transfer_source_account_id", None)
        )
        if wanted is not None:
            select.value = wanted
        self._select_account(wanted)
        if (from_account or self._focus_destination_on_load) and self.account is not None:
            self.call_after_refresh(self.focus_destination)
        self._focus_destination_on_load = False
        if self._prefill is not None:
            prefill, self._prefill = self._prefill, None
            self._apply_amount_prefill(prefill)

    def on_transfer_accounts_failed(self, message: messages.TransferAccountsFailed) -> None:
        from fintoc_tui.ui.shell.problems import describe

        app: Any = self.app
        label = app.environment.label if getattr(app, "environment", None) else ""
        problem = describe(message.error, label)
        self.query_one("#source-note", Static).update(
            Content.assemble((problem.title, "$text-error"), " " + problem.advice)
        )

    def on_transfer_from_account(self, message: messages.TransferFromAccount) -> None:
        self.prefill(TransferPrefill(account_id=message.account_id))
        if self.account is not None and self.account.id == message.account_id:
            self.call_after_refresh(self.focus_destination)
        else:
            self._focus_destination_on_load = True

    def focus_destination(self) -> None:
        """The account is chosen: the next thing to type is where the money goes.

        Focusing a text field also keeps digits typed here out of the mode keys
        (`1` `2` `3`), which would otherwise switch screens mid-CLABE.
        """
        if self.currency == "MXN":
            self.query_one(ClabeInput).focus()
        else:
            self.query_one("#cl-account-number", TransferField).focus()

    def prefill(self, prefill: TransferPrefill) -> None:
        """Fill an already-mounted form (e.g. "repeat this transfer")."""
        if prefill.account_id and any(a.id == prefill.account_id for a in self.accounts):
            self.query_one("#source-account", Select).value = prefill.account_id
            self._select_account(prefill.account_id)
        elif prefill.account_id:
            self._prefill = prefill  # applied when the accounts arrive
        self._apply_counterparty_prefill(prefill)
        if self.account is not None:
            self._apply_amount_prefill(prefill)

    @on(Select.Changed, "#source-account")
    def _source_changed(self, event: Select.Changed) -> None:
        value = event.value if event.value is not Select.NULL else None
        self._select_account(value)  # type: ignore[arg-type]

    def _select_account(self, account_id: str | None) -> None:
        account = next((a for a in self.accounts if a.id == account_id), None)
        self.account = account
        note = self.query_one("#source-note", Static)
        if account is None:
            if self.accounts:
                note.update(Content("Choose the account the money leaves from."))
            self._update_submit()
            return
        currency = account.currency.upper()
        is_cl = currency == "CLP"
        self.set_class(is_cl, "-cl")
        self.set_class(not is_cl, "-mx")
        number = account.root_account_number or ""
        shown = format_clabe(number) if currency == "MXN" and len(number) == 18 else number
        parts: list[str | tuple[str, str]] = [
            (format_amount(account.available_balance, currency), "bold"),
            " available",
        ]
        if shown:
            parts.append(f"  ·  {shown}")
        if not getattr(account, "is_active", True):
            parts.append((f"  ·  {account.status}: it cannot send", "$text-error"))
        note.update(Content.assemble(*parts))
        self.query_one(AmountInput).set_context(currency, account.available_balance)
        self.query_one(MagicPicker).set_currency(currency)
        self._update_submit()

    # -- prefill -------------------------------------------------------------------------------

    def _apply_counterparty_prefill(self, prefill: TransferPrefill) -> None:
        if prefill.account_number:
            if len(prefill.account_number) == 18 and prefill.institution_id is None:
                self.query_one(ClabeInput).value = prefill.account_number
                self.query_one("#mx-holder-name", TransferField).value = prefill.holder_name
                self.query_one("#mx-holder-id", TransferField).value = prefill.holder_id
            else:
                self.query_one("#cl-account-number", TransferField).value = prefill.account_number
                self.query_one(RutInput).value = prefill.holder_id
                self.query_one("#cl-holder-name", TransferField).value = prefill.holder_name
                if prefill.institution_id in CL_INSTITUTIONS:
                    self.query_one("#cl-institution", Select).value = prefill.institution_id
                if prefill.account_type in CL_ACCOUNT_TYPES:
                    self.query_one("#cl-account-type", Select).value = prefill.account_type
        if prefill.comment:
            self.query_one("#comment", TransferField).value = prefill.comment
        if prefill.reference_id:
            self.query_one("#reference-id", TransferField).value = prefill.reference_id
        if prefill.metadata:
            self.query_one(TransferMetadata).set_pairs(prefill.metadata)

    def _apply_amount_prefill(self, prefill: TransferPrefill) -> None:
        if prefill.amount is not None and self.account is not None:
            amount = self.query_one(AmountInput)
            amount.value = minor_to_decimal_str(prefill.amount, self.account.currency)

    @on(MagicPicker.Picked)
    def _magic_picked(self, event: MagicPicker.Picked) -> None:
        magic = event.magic
        if magic.currency == "MXN":
            self.query_one(ClabeInput).value = magic.account_number
            self.query_one("#mx-holder-name", TransferField).value = magic.holder_name
        else:
            self.query_one("#cl-account-number", TransferField).value = magic.account_number
            self.query_one(RutInput).value = magic.holder_id or ""
            self.query_one("#cl-holder-name", TransferField).value = magic.holder_name
            self.query_one("#cl-institution", Select).value = magic.institution_id
            self.query_one("#cl-account-type", Select).value = magic.account_type
        self._update_submit()

    # -- checking ------------------------------------------------------------------------------

    @on(TransferField.Changed)
    @on(AmountInput.Changed)
    @on(TransferMetadata.Changed)
    @on(Select.Changed, "#cl-institution, #cl-account-type")
    def _field_changed(self, event: Any) -> None:
        if isinstance(event, Select.Changed) and event.control.id:
            self.query_one(f"#{event.control.id}-note", Static).remove_class("-shown")
        self.query_one("#form-error", Static).update(Content(""))
        self._update_submit()

    @property
    def currency(self) -> str:
        return self.account.currency.upper() if self.account is not None else "MXN"

    def _missing_and_wrong(self) -> list[str]:
        """Why the form cannot be reviewed yet, in reading order; empty when it can."""
        reasons: list[str] = []
        if self.account is None:
            reasons.append("choose the source account")
        elif not getattr(self.account, "is_active", True):
            reasons.append(f"the source account is {self.account.status}")
        if self.currency == "MXN":
            clabe = self.query_one(ClabeInput)
            if clabe.error:
                reasons.append("fix the CLABE")
            elif clabe.clabe is None:
                reasons.append("finish the CLABE" if clabe.incomplete else "enter the CLABE")
            for field_id, name in (("#mx-holder-id", "holder RFC/CURP"),):
                if self.query_one(field_id, TransferField).error:
                    reasons.append(f"fix the {name}")
        else:
            number = self.query_one("#cl-account-number", TransferField)
            if number.error:
                reasons.append("fix the account number")
            elif number.missing:
                reasons.append("enter the account number")
            rut = self.query_one(RutInput)
            if rut.error:
                reasons.append("fix the RUT")
            elif rut.compact is None:
                reasons.append("finish the RUT" if rut.value.strip() else "enter the RUT")
            if self.query_one("#cl-holder-name", TransferField).missing:
                reasons.append("enter the holder name")
            if self.query_one("#cl-institution", Select).value is Select.NULL:
                reasons.append("choose the institution")
            if self.query_one("#cl-account-type", Select).value is Select.NULL:
                reasons.append("choose the account type")
        amount = self.query_one(AmountInput)
        if amount.error:
            reasons.append("fix the amount")
        elif amount.minor is None:
            reasons.append("finish the amount" if amount.value.strip() else "enter the amount")
        if self.query_one("#comment", TransferField).error:
            reasons.append("fix the comment")
        if self.currency == "MXN" and self.query_one("#reference-id", TransferField).error:
            reasons.append("fix the reference id")
        if self.query_one(TransferMetadata).error:
            reasons.append("fix the metadata")
        return reasons

    def _update_submit(self) -> None:
        self.reasons = self._missing_and_wrong()
        button = self.query_one("#review", Button)
        reason = self.query_one("#submit-reason", Static)
        button.disabled = bool(self.reasons)
        if self.reasons:
            text = "To review: " + ", ".join(self.reasons) + "."
            reason.update(Content.assemble((_upper_first(text), "$text-warning")))
        else:
            reason.update(Content("Ready. Nothing is sent until you confirm on the next screen."))

    def build_request(self) -> TransferRequest:
        """The request as typed; raises pydantic `ValidationError` if the model refuses it."""
        account = self.account
        currency = self.currency
        counterparty: dict[str, Any]
        if currency == "MXN":
            counterparty = {
                "account_number": self.query_one(ClabeInput).clabe or "",
                "holder_name": self.query_one("#mx-holder-name", TransferField).value or None,
                "holder_id": self.query_one("#mx-holder-id", TransferField).value.upper() or None,
                "account_type": "clabe",
            }
        else:
            counterparty = {
                "account_number": self.query_one("#cl-account-number", TransferField).value,
                "holder_id": self.query_one(RutInput).compact or "",
                "holder_name": self.query_one("#cl-holder-name", TransferField).value,
                "institution_id": _chosen(self.query_one("#cl-institution", Select)),
                "account_type": _chosen(self.query_one("#cl-account-type", Select)),
            }
        reference = self.query_one("#reference-id", TransferField).value.strip()
        metadata = self.query_one(TransferMetadata).pairs
        return TransferRequest(
            amount=self.query_one(AmountInput).minor or 0,
            currency=currency,
            account_id=account.id if account is not None else "",
            counterparty=counterparty,
            comment=self.query_one("#comment", TransferField).value or None,
            reference_id=(reference or None) if currency == "MXN" else None,
            metadata=metadata or None,
        )

    def build_draft(self) -> TransferDraft:
        request = self.build_request()
        cp = request.counterparty
        if request.currency == "MXN":
            bank = clabe_bank(cp.account_number)
            return TransferDraft(
                account=self.account,
                request=request,
                destination_name=cp.holder_name or "(holder name not given)",
                destination_bank=bank.name if bank else "unknown bank",
                destination_number=format_clabe(cp.account_number),
                destination_holder_id=cp.holder_id or "",
                destination_account_type="CLABE",
            )
        return TransferDraft(
            account=self.account,
            request=request,
            destination_name=cp.holder_name,
            destination_bank=CL_INSTITUTIONS.get(cp.institution_id, cp.institution_id),
            destination_number=cp.account_number,
            destination_holder_id=format_rut(cp.holder_id),
            destination_account_type=CL_ACCOUNT_TYPES.get(cp.account_type, cp.account_type),
        )

    # -- review --------------------------------------------------------------------------------

    @on(Button.Pressed, "#review")
    def _review_pressed(self) -> None:
        self.action_review()

    def action_review(self) -> None:
        self._update_submit()
        if self.reasons:
            self.app.bell()
            return
        try:
            draft = self.build_draft()
        except ValidationError as exc:
            self.show_errors(field_errors(exc))
            return
        from fintoc_tui.ui.transfer.confirm_screen import TransferConfirmScreen

        self.app.push_screen(TransferConfirmScreen(draft), self._confirm_closed)

    def _confirm_closed(self, result: Any) -> None:
        """Back from confirm: an API error to place on the fields, or nothing (cancel)."""
        if result is None:
            return
        from fintoc_tui.api.errors import FintocError

        if isinstance(result, FintocError):
            self.show_api_error(result)

    # -- errors at the field -------------------------------------------------------------------

    def _field_for(self, param: str | None, code: str | None) -> Any:
        """The widget an API `param` (or, failing that, error `code`) points at."""
        key = (param or "").replace("[", ".").replace("]", "")
        key = key.removeprefix("counterparty.")
        by_code = {
            "invalid_clabe": "account_number",
            "invalid_account_number": "account_number",
            "invalid_holder_id": "holder_id",
            "invalid_institution_id": "institution_id",
            "invalid_account_type": "account_type",
            "invalid_amount": "amount",
            "insufficient_balance": "amount",
            "invalid_comment_size": "comment",
            "invalid_reference_id_size": "reference_id",
            "currency_mismatch": "currency",
            "account_not_active": "account_id",
            "forbidden_account": "account_id",
        }
        if not key:
            key = by_code.get(code or "", "")
        mx = self.currency == "MXN"
        targets = {
            "amount": self.query_one(AmountInput),
            "account_number": self.query_one(ClabeInput if mx else "#cl-account-number"),
            "holder_id": self.query_one("#mx-holder-id" if mx else "#rut"),
            "holder_name": self.query_one("#mx-holder-name" if mx else "#cl-holder-name"),
            "comment": self.query_one("#comment"),
            "reference_id": self.query_one("#reference-id"),
            "metadata": self.query_one(TransferMetadata),
        }
        if not mx:
            targets["institution_id"] = self.query_one("#cl-institution", Select)
            targets["account_type"] = self.query_one("#cl-account-type", Select)
        if key.startswith("metadata"):
            key = "metadata"
        return targets.get(key)

    def _set_error(self, param: str | None, code: str | None, message: str) -> bool:
        target = self._field_for(param, code)
        if isinstance(target, Select) and target.id:
            note = self.query_one(f"#{target.id}-note", Static)
            note.update(Content(_upper_first(message)))
            note.add_class("-shown")
            return True
        if target is not None and hasattr(target, "set_server_error"):
            target.set_server_error(_upper_first(message))
            return True
        return False

    def show_errors(self, errors: dict[str, str]) -> None:
        """Errors from local model validation, keyed by dotted param."""
        self.errors = dict(errors)
        leftovers = [
            f"{param or 'request'}: {message}"
            for param, message in errors.items()
            if not self._set_error(param, None, message)
        ]
        self._show_form_error("; ".join(leftovers))
        self._update_submit()

    def show_api_error(self, error: Any) -> None:
        """A definite refusal from Fintoc: on its field if it names one, else above the form."""
        placed = self._set_error(error.param, error.code, error.message)
        if not placed:
            self._show_form_error(f"Fintoc refused the transfer: {error.message}")
        else:
            self._show_form_error("Fintoc refused the transfer; see the field marked below.")
        self._update_submit()

    def _show_form_error(self, text: str) -> None:
        self.query_one("#form-error", Static).update(
            Content.assemble((text, "$text-error")) if text else Content("")
        )

    def reset(self) -> None:
        """Clear the counterparty, amount and notes for a new transfer (account kept)."""
        for field_widget in self.query(TransferField):
            field_widget.value = ""
        self.query_one(AmountInput).value = ""
        for select_id in ("#cl-institution", "#cl-account-type"):
            self.query_one(select_id, Select).clear()
        self.query_one(TransferMetadata).set_pairs({})
        self._show_form_error("")
        self._update_submit()
