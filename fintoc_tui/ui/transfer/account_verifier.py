"""The form's "Verify account": who a CLABE belongs to, for $0.01 MXN, without touching the form.

Beside the CLABE. It asks first (`VerifyAccountDialog`), then creates the
verification in a worker (the idempotency key minted at confirm), and follows
it as the result screen follows a transfer: a timer fetches it again every
`poll_seconds` until it is `succeeded` or `failed`. The registered holder is
shown beside the typed name (`transfer.holder_match`: case, accents and
punctuation aside). It reads the CLABE and the holder name and writes neither.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Static

from fintoc_tui.transfer.holder_match import compare_holders
from fintoc_tui.ui import messages

if TYPE_CHECKING:
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.api.verification_models import AccountVerification
    from fintoc_tui.ui.shell.app import FintocApp

#: What the button row says before anything is verified.
IDLE_NOTE = "Who holds this CLABE? Costs $0.01 MXN; asks first."


class AccountVerifier(Vertical):
    """`#account-verifier`: a compact button, and under it the verification's outcome in words."""

    app: FintocApp

    DEFAULT_CSS = """
    AccountVerifier { height: auto; padding: 0 1; }
    AccountVerifier #verify-result { width: 1fr; height: auto; color: $text-muted; }
    """

    poll_seconds: ClassVar[float] = 3.0
    """How often a pending verification is fetched again."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.verification: AccountVerification | None = None
        self.typed_name = ""
        self._client: FintocClient | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        button = Button("Verify account (F3)", id="verify-account", compact=True)
        # Out of the Tab chain: F3 is the keyboard's way, and the form's fields keep
        # the order people learned (CLABE, holder, RFC, amount).
        button.can_focus = False
        yield button
        yield Static(Content(IDLE_NOTE), id="verify-result", markup=False)

    @property
    def polling(self) -> bool:
        return self._timer is not None

    @property
    def result_text(self) -> str:
        return str(self.query_one("#verify-result", Static).render())

    def _say(self, text: str, style: str = "") -> None:
        content = Content.assemble((text, style)) if style else Content(text)
        self.query_one("#verify-result", Static).update(content)

    # -- starting ------------------------------------------------------------------------

    @on(Button.Pressed, "#verify-account")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.start()

    def start(self) -> None:
        """Ask to verify the CLABE in the field beside this (the form's F3 lands here too)."""
        from fintoc_tui.ui.transfer.clabe_input import ClabeInput
        from fintoc_tui.ui.transfer.verify_dialog import VerifyAccountDialog

        clabe_input = self.screen.query_one(ClabeInput)
        clabe = clabe_input.clabe
        if clabe is None:
            self._say("Type a valid 18-digit CLABE first, then verify it.", "$text-warning")
            return
        client = self.app.client
        if client is None:
            problem = self.app.client_problem
            why = f"{problem.title} {problem.advice}" if problem else "Connecting…"
            self._say(f"Not connected, so nothing can be verified. {why}", "$text-warning")
            return
        environment = self.app.environment
        holder = self.screen.query("#mx-holder-name").first()
        self.typed_name = str(getattr(holder, "value", ""))

        def confirmed(yes: bool | None) -> None:
            if yes and client is self.app.client:
                self._stop_polling()
                self.verification = None
                self._client = client
                self._say("Sending $0.01 MXN to verify the account…")
                # Minted once, at confirm: a retry inside the client reuses it.
                self._create(client, clabe, f"verify-{uuid.uuid4()}")

        live = bool(environment and environment.is_live)
        self.app.push_screen(
            VerifyAccountDialog(clabe, bank=clabe_input.bank_name, live=live), confirmed
        )

    @work(exclusive=True, group="transfer-verify", exit_on_error=False)
    async def _create(self, client: FintocClient, clabe: str, idempotency_key: str) -> None:
        try:
            verification = await client.create_account_verification(
                clabe, idempotency_key=idempotency_key
            )
        except Exception as error:
            message: messages.AccountVerificationUpdated | messages.AccountVerificationFailed
            message = messages.AccountVerificationFailed(error)
        else:
            message = messages.AccountVerificationUpdated(verification)
        if client is self.app.client:  # an answer for a dropped client is not shown
            self.post_message(message)

    # -- following -----------------------------------------------------------------------

    def poll(self) -> None:
        """The timer's tick: fetch the verification again."""
        if self.verification is not None and self._client is self.app.client:
            self._fetch(self._client, self.verification.id)

    @work(exclusive=True, group="transfer-verify-poll", exit_on_error=False)
    async def _fetch(self, client: FintocClient | None, verification_id: str) -> None:
        if client is None:
            return
        try:
            verification = await client.get_account_verification(verification_id)
        except Exception as error:
            if client is self.app.client:
                self.post_message(messages.AccountVerificationFailed(error))
            return
        if client is self.app.client:
            self.post_message(messages.AccountVerificationUpdated(verification))

    def _stop_polling(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_unmount(self) -> None:
        self._stop_polling()

    @on(messages.AccountVerificationUpdated)
    def _updated(self, message: messages.AccountVerificationUpdated) -> None:
        message.stop()
        self.verification = message.verification
        self._show()
        if message.verification.is_final:
            self._stop_polling()
        elif self._timer is None:
            self._timer = self.set_interval(self.poll_seconds, self.poll)

    @on(messages.AccountVerificationFailed)
    def _failed(self, message: messages.AccountVerificationFailed) -> None:
        from fintoc_tui.ui.shell.problems import describe

        message.stop()
        problem = describe(message.error)
        if self.verification is None:  # the verification itself was not made (or is unknown)
            self._say(f"Not verified. {problem.title} {problem.advice}", "$text-error")
        else:  # following it failed; the timer tries again
            self._say(
                f"Could not check the verification just now: {problem.title} "
                f"Trying again every {self.poll_seconds:g} s.",
                "$text-warning",
            )

    def typed_name_changed(self, name: str) -> None:
        """The holder name field changed: compare again (the verification stays)."""
        self.typed_name = name
        if self.verification is not None:
            self._show()

    # -- words ---------------------------------------------------------------------------

    def _show(self) -> None:
        from fintoc_tui.banking import format_clabe

        verification = self.verification
        if verification is None:
            return
        counterparty = verification.counterparty
        clabe = format_clabe(counterparty.account_number or "")
        status = str(verification.status)
        if status == "succeeded":
            holder = counterparty.holder_name or "(no name given)"
            rfc = f" · RFC {counterparty.holder_id}" if counterparty.holder_id else ""
            said = f"{clabe} is registered to {holder}{rfc}"
            match = compare_holders(self.typed_name, counterparty.holder_name or "")
            if match == "same":
                self._say(f"✓ {said}: the same as the typed name.", "$text-success")
            elif match == "differs":
                self._say(
                    f"! {said}, not “{self.typed_name.strip()}” as typed: check with the "
                    "recipient before sending.",
                    "$text-warning",
                )
            else:
                self._say(f"✓ {said}. No holder name typed to compare.", "$text-success")
        elif status == "failed":
            reason = verification.reason or "no reason given"
            self._say(
                f"✗ {clabe} could not be verified ({reason}): the $0.01 did not arrive. "
                "Check the CLABE with the recipient.",
                "$text-error",
            )
        else:
            self._say(
                f"Verifying {clabe}: $0.01 sent, waiting for the bank ({status}); "
                f"checking every {self.poll_seconds:g} s."
            )
