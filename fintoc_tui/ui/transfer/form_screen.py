"""Mode "transfer": the form for a new outbound transfer.

The form adapts to the source account's currency (a CLABE in Mexico; account
number, RUT, holder, institution and type in Chile), checks every field as it
is typed, and says next to the submit button why it cannot be pressed yet.
Nothing is sent from here: "Review" builds a validated `TransferRequest` and
opens the confirm screen; cancelling there comes back with every field kept.

Its sections: the source account (here), the destination
(`MXCounterpartyFields` or `CLCounterpartyFields`, one shown at a time; the
Chilean one is built only once needed, see `destination_sections`),
then amount, comment, reference and metadata (here). Every check, the
"To review" line and the draft are the core's (`fintoc_tui.transfer`), the
same the CLI and the batch run: the widgets only show them. Prefilled forms
("new transfer from this account", "repeat this transfer") come in as
`TransferFormScreen(prefill=TransferPrefill(...))`, or for an
already-mounted form through `messages.TransferFromAccount` / `prefill()`.

Long module: the sections are widgets of their own; what stays here is the
wiring between them (accounts, prefill, the core's checks, errors placed at
their field), which reads best in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from fintoc_tui.transfer.checks import upper_first
from fintoc_tui.transfer.draft import (
    DraftError,
    FieldProblem,
    TransferFields,
    build_request,
    draft_transfer,
    field_problems,
)
from fintoc_tui.transfer.fields import FIELD_ORDER, field_key, fix_reason
from fintoc_tui.ui import messages
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.shell.money_moved import MoneyFollower
from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.destination_sections import (
    DestinationSections,
    Section,
    new_section,
)
from fintoc_tui.ui.transfer.draft import TransferDraft, TransferPrefill
from fintoc_tui.ui.transfer.magic_picker import MagicPicker
from fintoc_tui.ui.transfer.mx_counterparty import MXCounterpartyFields
from fintoc_tui.ui.transfer.payment_fields import PaymentFields
from fintoc_tui.ui.transfer.source_account import SourceAccountPicker, preselect
from fintoc_tui.ui.transfer.transfer_field import TransferField
from fintoc_tui.ui.transfer.transfer_metadata import TransferMetadata
from fintoc_tui.ui.widgets.footer import KeysFooter
from fintoc_tui.ui.widgets.header import FintocHeader

if TYPE_CHECKING:
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.api.errors import FintocError
    from fintoc_tui.api.models import Account, TransferRequest
    from fintoc_tui.ui.shell.app import FintocApp


class TransferFormScreen(Screen[None]):
    """The new-transfer form; see the module docstring."""

    app: FintocApp

    BINDINGS = bindings.TRANSFER_FORM_SCREEN  # type: ignore[assignment]
    DEFAULT_CSS = """
    TransferFormScreen #transfer-body { padding: 0 1; }
    TransferFormScreen .select-note { display: none; color: $text-error; height: auto; }
    TransferFormScreen .select-note.-shown { display: block; }
    TransferFormScreen #transfer-title { text-style: bold; height: 1; padding: 0 1; }
    TransferFormScreen #transfer-columns { height: auto; }
    TransferFormScreen #col-left, TransferFormScreen #col-right { width: 1fr; height: auto; }
    TransferFormScreen .group { height: auto; }
    TransferFormScreen .field-label { width: 1fr; padding: 0 1; color: $text-muted; }
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
        self.accounts: list[Account] = []
        self.account: Account | None = None
        self.reasons: list[str] = []
        self.errors: dict[str, str] = {}

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield FintocHeader()
        with VerticalScroll(id="transfer-body"):
            yield Static("New transfer", id="transfer-title")
            yield Static(Content(""), id="form-error", markup=False)
            with Horizontal(id="transfer-columns"):
                with Vertical(id="col-left") as column:
                    yield SourceAccountPicker(classes="group", id="source-group")
                    yield MagicPicker("MXN", id="magic")
                    # Mexico's until the accounts say otherwise; Chile's is
                    # mounted after it when first needed (`DestinationSections`).
                    mexico = new_section("MXN")
                    yield mexico
                self._sections = DestinationSections(column, self._section_built)
                self._sections.adopt(mexico)
                yield PaymentFields(id="col-right")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.set_class(True, "-mx")
        app = self.app
        environment = app.environment
        self.set_class(bool(environment and environment.is_live), "-live")
        app.client_changed_signal.subscribe(self, self._client_changed)
        # Balances (and the over-balance check) reload as `r` would, once money moved.
        MoneyFollower(self, self.action_refresh)
        self._client_changed(app.client)
        if self._prefill is not None:
            self._apply_counterparty_prefill(self._prefill)
        self._update_submit()

    @property
    def _payment(self) -> PaymentFields:
        return self.query_one(PaymentFields)

    @property
    def _source(self) -> SourceAccountPicker:
        return self.query_one(SourceAccountPicker)

    @property
    def destination(self) -> Section | None:
        """The destination section for the source account's currency; None until it is built."""
        return self._sections.get(self.currency)

    async def ensure_section(self, currency: str | None = None) -> Section:
        """The destination section for `currency` (default: the form's), mounted if need be."""
        return await self._sections.ensure(currency or self.currency)

    def _section_built(self, section: Section) -> None:
        """A destination was just mounted (and its waiting prefill applied): check it."""
        self._update_submit()
        self._show_magic()

    # -- accounts -------------------------------------------------------------------------------

    def _client_changed(self, client: FintocClient | None) -> None:
        app = self.app
        environment = app.environment
        self.set_class(bool(environment and environment.is_live), "-live")
        if client is not None:
            self._load_accounts(client)
            app.navigator.offer_journal_recovery()
            return
        problem = app.client_problem
        self._source.offer_none(problem.title + " " + problem.advice if problem else "Connecting…")
        self.accounts = []
        self._select_account(None)

    def action_refresh(self) -> None:
        client = self.app.client
        if client is not None:
            self._load_accounts(client)

    def action_leave_field(self) -> None:
        """Escape in a text field: step out of it, so 1/2/3, h, e, q act as keys again.

        The form's text fields are all `Input`s (no `TextArea`: importing it costs
        about 1 MiB the form never uses).
        """
        if isinstance(self.focused, Input):
            self.query_one("#transfer-body").focus()

    def action_verify_account(self) -> None:
        """F3: verify the CLABE (Mexico only); the verifier asks first and never edits the form."""
        if self.currency != "MXN":
            self.notify(
                "Account verification works only for Mexican CLABEs: Fintoc offers it in "
                "Mexico alone. Choose an MXN source account to verify a CLABE.",
                title="Verify account",
                severity="warning",
            )
            return
        from fintoc_tui.ui.transfer.account_verifier import AccountVerifier

        self.query_one(AccountVerifier).start()

    def action_journal(self) -> None:
        """Show unresolved journal entries again (the dialog appears by itself once per run)."""
        self.app.navigator.offer_journal_recovery(once=False, say_when_none=True)

    @work(exclusive=True, group="transfer-accounts", exit_on_error=False)
    async def _load_accounts(self, client: FintocClient) -> None:
        message: messages.TransferAccountsFailed | messages.TransferAccountsLoaded
        try:
            accounts = await client.list_accounts()
        except Exception as error:
            message = messages.TransferAccountsFailed(error)
        else:
            message = messages.TransferAccountsLoaded(accounts)
        if client is self.app.client:
            # A dropped client's accounts (the environment changed meanwhile)
            # must not become the source choices under the new one.
            self.post_message(message)

    def on_transfer_accounts_loaded(self, message: messages.TransferAccountsLoaded) -> None:
        self.accounts = list(message.accounts)
        source = self._source
        current = source.chosen
        source_id = self.app.transfer_source_account_id
        prefill_id = self._prefill.account_id if self._prefill else None
        wanted = preselect(self.accounts, prefill_id, current, source_id)
        chosen_for_us = source_id is not None and wanted == source_id
        from_account = chosen_for_us and current is None and self._prefill is None
        source.offer(self.accounts)
        if wanted is not None:
            source.select.value = wanted
        self._select_account(wanted)
        if (from_account or self._focus_destination_on_load) and self.account is not None:
            self.call_after_refresh(self.focus_destination)
        self._focus_destination_on_load = False
        if self._prefill is not None:
            prefill, self._prefill = self._prefill, None
            self._apply_amount_prefill(prefill)

    def on_transfer_accounts_failed(self, message: messages.TransferAccountsFailed) -> None:
        from fintoc_tui.ui.shell.problems import describe

        environment = self.app.environment
        self._source.show_problem(describe(message.error, environment.label if environment else ""))

    def on_transfer_from_account(self, message: messages.TransferFromAccount) -> None:
        self.prefill(TransferPrefill(account_id=message.account_id))
        if self.account is not None and self.account.id == message.account_id:
            self.call_after_refresh(self.focus_destination)
        else:
            self._focus_destination_on_load = True

    def focus_destination(self) -> None:
        """The account is chosen: the next thing to type is where the money goes.

        Focusing a text field also keeps digits typed here out of the mode keys
        (`1` `2` `3`), which would otherwise switch screens mid-CLABE. A section
        still being built takes the focus once mounted, unless the currency
        changed meanwhile.
        """
        currency = self.currency

        def focus(section: Section) -> None:
            if self.currency == currency:
                section.focus_first()

        self._sections.when_built(currency, focus)

    def prefill(self, prefill: TransferPrefill) -> None:
        """Fill an already-mounted form (e.g. "repeat this transfer")."""
        if prefill.account_id and any(a.id == prefill.account_id for a in self.accounts):
            self._source.select.value = prefill.account_id
            self._select_account(prefill.account_id)
        elif prefill.account_id:
            self._prefill = prefill  # applied when the accounts arrive
        self._apply_counterparty_prefill(prefill)
        if self.account is not None:
            self._apply_amount_prefill(prefill)

    @on(Select.Changed, "#source-account")
    def _source_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None
        self._select_account(value)

    def _select_account(self, account_id: str | None) -> None:
        account = next((a for a in self.accounts if a.id == account_id), None)
        self.account = account
        self._source.describe(account, any_accounts=bool(self.accounts))
        if account is None:
            self._update_submit()
            return
        currency = account.currency.upper()
        is_cl = currency == "CLP"
        self.set_class(is_cl, "-cl")
        self.set_class(not is_cl, "-mx")
        self._sections.build(currency)  # the first time: mounted, then checked again
        self.query_one(AmountInput).set_context(currency, account.available_balance)
        self.query_one(MagicPicker).set_currency(currency)
        self._update_submit()

    # -- prefill -------------------------------------------------------------------------------

    def _apply_counterparty_prefill(self, prefill: TransferPrefill) -> None:
        if prefill.account_number:
            mexican = len(prefill.account_number) == 18 and prefill.institution_id is None
            # Chile's section may not exist yet: built first, then prefilled.
            self._sections.when_built(
                "MXN" if mexican else "CLP", lambda section: section.prefill(prefill)
            )
        self._payment.prefill_notes(prefill)

    def _apply_amount_prefill(self, prefill: TransferPrefill) -> None:
        if prefill.amount is not None and self.account is not None:
            self._payment.prefill_amount(prefill.amount, prefill.currency)

    @on(MagicPicker.Picked)
    def _magic_picked(self, event: MagicPicker.Picked) -> None:
        magic = event.magic
        self._sections.when_built(magic.currency, lambda section: section.fill_magic(magic))
        self._update_submit()

    # -- checking ------------------------------------------------------------------------------

    @on(TransferField.Changed)
    @on(AmountInput.Changed)
    @on(TransferMetadata.Changed)
    @on(Select.Changed, "#cl-institution, #cl-account-type")
    def _field_changed(self, event: Message) -> None:
        if isinstance(event, Select.Changed) and event.control.id:
            self.query_one(f"#{event.control.id}-note", Static).remove_class("-shown")
        self.query_one("#form-error", Static).update(Content(""))
        self._update_submit()
        if isinstance(event, TransferField.Changed):
            self._show_magic()

    def _show_magic(self) -> None:
        """The test-counterparty picker names what the destination fields hold, always."""
        destination = self.destination
        if destination is None:
            number = ""  # being built: shown again once it is (`_section_built`)
        elif isinstance(destination, MXCounterpartyFields):
            number = destination.query_one(ClabeInput).clabe or ""
        else:
            number = destination.fields()["account_number"].strip()
        self.query_one(MagicPicker).show(number)

    @property
    def currency(self) -> str:
        return self.account.currency.upper() if self.account is not None else "MXN"

    def fields(self) -> TransferFields:
        """The form as the core reads it: plain text, exactly as typed and chosen."""
        section = self.destination
        destination = section.fields() if section is not None else {}
        payment = self._payment.fields(self.currency)
        return TransferFields(
            account_number=destination.get("account_number", ""),
            holder_name=destination.get("holder_name", ""),
            holder_id=destination.get("holder_id", ""),
            institution_id=destination.get("institution_id", ""),
            account_type=destination.get("account_type", ""),
            amount=str(payment["amount"]),
            comment=str(payment["comment"]),
            reference_id=str(payment["reference_id"]),
            metadata=payment["metadata"],  # type: ignore[arg-type]  # tuple of pairs
        )

    def _missing_and_wrong(self) -> list[str]:
        """Why the form cannot be reviewed yet, in reading order; empty when it can.

        The core's problems (the CLI's words), plus any field still showing
        an error Fintoc returned for it, until its text changes.
        """
        reasons = {
            p.field: p.reason for p in field_problems(self.account, self.fields(), final=False)
        }
        for field, widget in self._targets().items():
            if self._shows_error(widget):  # "enter the CLABE" becomes "fix the CLABE"
                reasons[field] = fix_reason(field, self.currency)
        order = {field: index for index, field in enumerate(FIELD_ORDER)}
        return [reasons[field] for field in sorted(reasons, key=lambda f: order.get(f, len(order)))]

    def _shows_error(self, widget: Widget) -> bool:
        if isinstance(widget, Select) and widget.id:
            return self.query_one(f"#{widget.id}-note", Static).has_class("-shown")
        return bool(getattr(widget, "error", None))

    def _update_submit(self) -> None:
        self.reasons = self._missing_and_wrong()
        self._payment.show_reasons(self.reasons)

    def build_request(self) -> TransferRequest:
        """The request as typed; raises pydantic `ValidationError` if the model refuses it."""
        return build_request(self.account, self.fields())

    def build_draft(self) -> TransferDraft:
        """The checked draft (the CLI's `draft_transfer`); raises `DraftError` saying where."""
        return draft_transfer(self.account, self.fields())

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
        except DraftError as exc:
            self.show_problems(exc.problems)
            return
        self.app.navigator.review_transfer(draft, self._confirm_closed)

    def _confirm_closed(self, result: FintocError | None) -> None:
        """Back from confirm: an API error to place on the fields, or nothing (cancel)."""
        if result is None:
            return
        from fintoc_tui.api.errors import FintocError

        if isinstance(result, FintocError):
            self.show_api_error(result)

    # -- errors at the field -------------------------------------------------------------------

    def _targets(self) -> dict[str, Widget]:
        """The widget each field name lands on (the core's and the API's names)."""
        destination = self.destination
        targets = destination.targets() if destination is not None else {}
        return {**targets, **self._payment.targets()}

    def _field_for(self, param: str | None, code: str | None) -> Widget | None:
        """The widget an API `param` (or, failing that, error `code`) points at."""
        return self._targets().get(field_key(param, code))

    def _set_error(self, param: str | None, code: str | None, message: str) -> bool:
        target = self._field_for(param, code)
        if isinstance(target, Select) and target.id:
            note = self.query_one(f"#{target.id}-note", Static)
            note.update(Content(upper_first(message)))
            note.add_class("-shown")
            return True
        if isinstance(target, TransferField | AmountInput | TransferMetadata):
            target.set_server_error(upper_first(message))
            return True
        return False

    def show_errors(self, errors: dict[str, str]) -> None:
        """Errors from local model validation, keyed by dotted param."""
        self.show_problems(
            [FieldProblem(field_key(param, None), "", message) for param, message in errors.items()]
        )

    def show_problems(self, problems: list[FieldProblem]) -> None:
        """The core's final-mode problems, each at its field (the rest above the form)."""
        self.errors = {problem.field: problem.message for problem in problems}
        leftovers = [
            f"{problem.field or 'request'}: {problem.message}"
            for problem in problems
            if not self._set_error(problem.field, None, problem.message)
        ]
        self._show_form_error("; ".join(leftovers))
        self._update_submit()

    def show_api_error(self, error: FintocError) -> None:
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
        for section in self._sections.built():
            section.clear()
        for currency in self._sections.waiting():  # a prefill still on its way is cleared too
            self._sections.when_built(currency, lambda section: section.clear())
        self.query_one(TransferMetadata).set_pairs({})
        self._show_form_error("")
        self._update_submit()
