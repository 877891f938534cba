"""The environment screen: sandbox, test and live, their keys, and which one is in use.

For each environment it shows where the secret key and the JWS key come from
(masked value or fingerprint, and provenance), a connection check (the
organisation and mode, or the exact problem), and actions: use, check, set /
replace / delete the key, import or generate a JWS key. Live is behind a
typed confirmation. The keyring may block, so every credential call runs in
a thread worker (`key_actions`); results come back as messages from
`ui/messages.py`. The cards' words are built in `card_text` from the views
in `card_state`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from fintoc_tui.credentials import KeyringStatus, Kind, Mode
from fintoc_tui.ui import messages
from fintoc_tui.ui.environment import card_text, key_actions
from fintoc_tui.ui.environment.card_state import (
    CHECKING,
    NOT_CHECKED,
    CheckView,
    ModeSlots,
    SandboxView,
    first_sentence,
    read_sandbox,
    read_slots,
)
from fintoc_tui.ui.environment.card_text import CARD_TITLES, ENV_ORDER, MODE_ACTIONS, TARGET_MARKER
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.widgets.footer import KeysFooter
from fintoc_tui.ui.widgets.header import FintocHeader
from fintoc_tui.ui.widgets.narrow import is_narrow

if TYPE_CHECKING:
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.ui.environment.jws_dialog import JWSRequest
    from fintoc_tui.ui.environment.key_dialog import KeyEntry
    from fintoc_tui.ui.shell.app import FintocApp


class EnvironmentScreen(Screen[None]):
    """Mode "environment"."""

    app: FintocApp

    BINDINGS = bindings.ENVIRONMENT_SCREEN  # type: ignore[assignment]
    DEFAULT_CSS = """
    EnvironmentScreen #env-body { padding: 0 1; }
    EnvironmentScreen #env-current { height: auto; margin: 1 1 0 1; }
    EnvironmentScreen .card {
        height: auto;
        border: round $primary 40%;
        border-title-color: $text;
        padding: 0 1;
    }
    EnvironmentScreen .card.-current { border-title-style: bold; border-subtitle-color: $success; }
    EnvironmentScreen #card-live { border: round $error 50%; }
    /* The card u/c/k/d/g/i act on: a marker, a filled title and a bright border. */
    EnvironmentScreen .card.-target {
        border: round $accent;
        border-title-color: $text;
        border-title-background: $accent 50%;
        border-title-style: bold;
    }
    EnvironmentScreen #card-live.-target { border: round $error; border-title-background: $error 50%; }
    EnvironmentScreen .card-info { height: auto; }
    EnvironmentScreen .card-check { height: auto; }
    EnvironmentScreen .card-check.-ok { color: $success; }
    EnvironmentScreen .card-check.-problem { color: $error; }
    EnvironmentScreen .card-check.-idle { color: $text-muted; }
    EnvironmentScreen .card-actions { height: 1; }
    /* Seven buttons need ~105 cells; a narrow terminal gets them three to a row. */
    EnvironmentScreen.-narrow .card-actions { layout: grid; grid-size: 3; height: auto; }
    EnvironmentScreen.-narrow .card-actions Button { width: 1fr; }
    EnvironmentScreen .card-actions Button { width: auto; min-width: 0; padding: 0 1; margin-right: 1; }
    EnvironmentScreen #keyring-status { height: auto; border: round $success 60%; padding: 0 1; }
    EnvironmentScreen #keyring-status.-unavailable { border: round $warning; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keyring: KeyringStatus | None = None
        self.slots: dict[str, ModeSlots] = {}
        self.sandbox = SandboxView()
        self.checks: dict[str, CheckView] = {}

    def compose(self) -> ComposeResult:
        yield FintocHeader()
        with VerticalScroll(id="env-body"):
            yield Static(id="env-current")
            for name in ENV_ORDER:
                with Vertical(id=f"card-{name}", classes="card"):
                    yield Static(id=f"info-{name}", classes="card-info")
                    yield Static(id=f"check-{name}", classes="card-check -idle")
                    with Horizontal(classes="card-actions"):
                        yield Button(f"Use {name}", id=f"{name}-use", compact=True)
                        yield Button("Check", id=f"{name}-check", compact=True)
                        if name != "sandbox":
                            for action, label in MODE_ACTIONS:
                                yield Button(label, id=f"{name}-{action}", compact=True)
            yield Static(id="keyring-status")
        yield KeysFooter()

    def on_resize(self) -> None:
        self.set_class(is_narrow(self.app), "-narrow")

    def on_mount(self) -> None:
        app = self.app
        self.set_class(is_narrow(app), "-narrow")
        app.client_changed_signal.subscribe(self, self._client_changed)
        self.query_one(f"#{self._current_name() or 'sandbox'}-use", Button).focus()
        self._client_changed(app.client)

    # -- state from the app and workers -------------------------------------------------

    def _current_name(self) -> str | None:
        environment = self.app.environment
        return environment.name if environment is not None else None

    def _client_changed(self, client: FintocClient | None) -> None:
        name = self._current_name()
        problem = self.app.client_problem
        if name is not None:
            if client is not None:
                self.action_check(name)
            elif problem is not None:
                self.checks[name] = card_text.problem_check(problem, name)
        self.action_refresh()

    def action_refresh(self) -> None:
        self._show_state()
        self._load_status()

    @work(thread=True, exclusive=True, group="env-status", exit_on_error=False)
    def _load_status(self) -> None:
        store = self.app.credentials
        status = store.keyring_status()
        slots = {mode: read_slots(store, mode) for mode in ("test", "live")}
        sandbox = read_sandbox(self.app.sandbox_info)
        self.post_message(messages.EnvironmentStatusLoaded(status, slots, sandbox))

    def on_environment_status_loaded(self, message: messages.EnvironmentStatusLoaded) -> None:
        self.keyring = message.keyring
        self.slots = dict(message.slots)
        self.sandbox = message.sandbox
        self._show_state()

    # -- rendering ----------------------------------------------------------------------

    def _show_state(self) -> None:
        app = self.app
        current = self._current_name()
        line = card_text.in_use_line(current, app, self.checks.get(current or ""))
        self.query_one("#env-current", Static).update(line)
        for name in ENV_ORDER:
            card = self.query_one(f"#card-{name}")
            card.set_class(name == current, "-current")
            card.border_subtitle = "● in use" if name == current else ""
            if name == "sandbox":
                starting = app.connecting and current == "sandbox"
                info = card_text.sandbox_text(self.sandbox, starting=starting)
            else:
                info = card_text.mode_text(self.slots.get(name), name)
            self.query_one(f"#info-{name}", Static).update(info)
            view = self.checks.get(name, NOT_CHECKED)
            if view is NOT_CHECKED and app.connecting and name == current:
                view = CheckView("idle", Text("Connecting…"))
            check = self.query_one(f"#check-{name}", Static)
            for kind in ("ok", "problem", "idle"):
                check.set_class(kind == view.state, f"-{kind}")
            check.update(view.text)
        self._mark_target()
        panel = self.query_one("#keyring-status", Static)
        text, warns = card_text.keyring_text(self.keyring)
        panel.set_class(warns, "-unavailable")
        panel.update(text)

    # -- choosing a card and acting on it ---------------------------------------------------

    def _target(self) -> str:
        """The card holding the focus, else the one in use, else test."""
        node = self.focused
        while node is not None and node is not self:
            if node.has_class("card") and node.id:
                return node.id.removeprefix("card-")
            node = node.parent if isinstance(node.parent, Widget) else None
        return self._current_name() or "test"

    def watch_focused(self) -> None:
        if self.is_mounted:
            self._mark_target()

    def _mark_target(self) -> None:
        """Mark the card the keys act on (▶ and a filled title), not only by border colour."""
        target = self._target()
        for name in ENV_ORDER:
            card = self.query_one(f"#card-{name}")
            card.set_class(name == target, "-target")
            marker = TARGET_MARKER if name == target else ""
            card.border_title = f"{marker}{CARD_TITLES[name]}"

    def action_focus_card(self, delta: int) -> None:
        index = ENV_ORDER.index(self._target())
        name = ENV_ORDER[(index + delta) % len(ENV_ORDER)]
        self.query_one(f"#{name}-use", Button).focus()

    @on(Button.Pressed, ".card-actions Button")
    def _button(self, event: Button.Pressed) -> None:
        name, _, action = (event.button.id or "").partition("-")
        self._do(action, name)

    def _do(self, action: str, name: str) -> None:
        handler = getattr(self, f"action_{action}", None)
        if handler is not None:
            handler(name)

    def action_use(self, name: str | None = None) -> None:
        name = name or self._target()
        if name == "live" and self._current_name() != "live":
            from fintoc_tui.ui.environment.live_dialog import LiveConfirmDialog

            slots = self.slots.get("live")
            key_line = None
            if slots and slots.secret.value:
                key_line = f"{slots.secret.value} ({slots.secret.source})"

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self._apply("live")

            self.app.push_screen(LiveConfirmDialog(key_line), confirmed)
            return
        self._apply(name)

    def _apply(self, name: str) -> None:
        self.checks.pop(name, None)
        self.app.apply_environment(name)  # type: ignore[arg-type]  # a card's name
        self._show_state()

    def action_check(self, name: str | None = None) -> None:
        name = name or self._target()
        self.checks[name] = CHECKING
        self._show_state()
        self.run_worker(
            self._check(name), group=f"check-{name}", exclusive=True, exit_on_error=False
        )

    def _mode_or_explain(self, name: str | None) -> Mode | None:
        name = name or self._target()
        if name == "sandbox":
            self.notify(
                "The sandbox brings its own test key and demo JWS key; there is nothing to set.",
                title="Sandbox",
            )
            return None
        return "live" if name == "live" else "test"

    def action_set_key(self, name: str | None = None) -> None:
        mode = self._mode_or_explain(name)
        if mode is None:
            return
        from fintoc_tui.ui.environment.key_dialog import SetKeyDialog

        slots = self.slots.get(mode)
        current = slots.secret.value if slots and slots.secret.value else None

        def chosen(entry: KeyEntry | None) -> None:
            if entry is not None:
                self._save_key(mode, entry)

        self.app.push_screen(SetKeyDialog(mode, self.keyring, current), chosen)

    def action_delete_key(self, name: str | None = None) -> None:
        self._confirm_delete(name, "secret_key", "secret key")

    def action_delete_jws(self, name: str | None = None) -> None:
        self._confirm_delete(name, "jws_private_key", "JWS private key")

    def _confirm_delete(self, name: str | None, kind: Kind, label: str) -> None:
        mode = self._mode_or_explain(name)
        if mode is None:
            return
        from fintoc_tui.ui.widgets.confirm_dialog import ConfirmDialog

        def chosen(ok: bool | None) -> None:
            if ok:
                self._delete(mode, kind)

        body = (
            f"This removes the {mode.upper()} {label} from the keyring and from this "
            "session. Environment variables are not touched. The key itself stays valid "
            "at Fintoc; revoke it in the dashboard if it leaked."
        )
        self.app.push_screen(ConfirmDialog(f"Delete the {label}?", body, "Delete"), chosen)

    def action_import_jws(self, name: str | None = None) -> None:
        self._jws_dialog(name, "import")

    def action_generate_jws(self, name: str | None = None) -> None:
        self._jws_dialog(name, "generate")

    def _jws_dialog(self, name: str | None, action: Literal["import", "generate"]) -> None:
        mode = self._mode_or_explain(name)
        if mode is None:
            return
        from fintoc_tui.ui.environment.jws_dialog import JWSKeyDialog

        slots = self.slots.get(mode)
        current = slots.jws.value if slots and slots.jws.value else None

        def chosen(request: JWSRequest | None) -> None:
            if request is not None:
                self._store_jws(mode, request)

        self.app.push_screen(JWSKeyDialog(mode, action, self.keyring, current), chosen)

    # -- workers --------------------------------------------------------------------------------

    async def _check(self, name: str) -> None:
        app = self.app
        in_use = app.environment is not None and app.environment.name == name
        checked = await key_actions.check_connection(
            name,
            client=app.client if in_use else None,
            credentials=lambda: app.credentials,
            sandbox=app.sandbox_info,
            client_factory=app.client_factory,
        )
        self.post_message(checked)

    def on_environment_checked(self, message: messages.EnvironmentChecked) -> None:
        if message.problem is not None:
            text = Text(f"✗ {message.problem}")
            summary = first_sentence(message.problem)
            self.checks[message.name] = CheckView("problem", text, summary)
        elif message.info is not None:
            info = message.info
            self.checks[message.name] = card_text.checked(info)
            if message.name == self._current_name() and info.organization:
                self.app.organisation = info.organization
        self._show_state()

    @work(thread=True, group="env-credentials", exit_on_error=False)
    def _save_key(self, mode: Mode, entry: KeyEntry) -> None:
        self.post_message(key_actions.save_secret_key(self.app.credentials, mode, entry))

    @work(thread=True, group="env-credentials", exit_on_error=False)
    def _delete(self, mode: Mode, kind: Kind) -> None:
        self.post_message(key_actions.delete_key(self.app.credentials, mode, kind))

    @work(thread=True, group="env-credentials", exit_on_error=False)
    def _store_jws(self, mode: Mode, request: JWSRequest) -> None:
        store = self.app.credentials
        self.post_message(key_actions.store_jws_key(store, mode, request, self.app.jws_keypairs))

    # -- results of the workers ---------------------------------------------------------------

    def _reconnect_if_current(self, mode: str) -> None:
        if self._current_name() == mode:
            self.app.apply_environment(mode)  # type: ignore[arg-type]  # "test" or "live"

    def on_credential_saved(self, message: messages.CredentialSaved) -> None:
        self.notify(message.note, title="Keys")
        if message.warning:
            self.notify(message.warning, title="Keys", severity="warning")
        self.checks.pop(message.mode, None)
        self._reconnect_if_current(message.mode)
        self.action_refresh()

    def on_credential_failed(self, message: messages.CredentialFailed) -> None:
        self.notify(message.problem, title="Key not changed", severity="error", timeout=10)
        self.action_refresh()

    @on(messages.JWSKeyGenerated)
    def _jws_generated(self, message: messages.JWSKeyGenerated) -> None:
        from fintoc_tui.ui.environment.public_key_dialog import PublicKeyDialog

        self.app.push_screen(PublicKeyDialog(message))
        self.checks.pop(message.mode, None)
        self._reconnect_if_current(message.mode)
        self.action_refresh()
