"""The environment screen: sandbox, test and live, their keys, and which one is in use.

For each environment it shows where the secret key and the JWS key come from
(masked value or fingerprint, and provenance), a connection check (the
organisation and mode, or the exact problem), and actions: use, check, set /
replace / delete the key, import or generate a JWS key. Live is behind a
typed confirmation. The keyring may block, so every credential call runs in
a thread worker; results come back as messages from `ui/messages.py`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from fintoc_tui.credentials import (
    CredentialError,
    CredentialStore,
    KeyringStatus,
    Mode,
    mask_key,
)
from fintoc_tui.ui import messages
from fintoc_tui.ui.environment.jws_dialog import JWSRequest
from fintoc_tui.ui.environment.key_dialog import KeyEntry
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.widgets.header import FintocHeader

ENV_ORDER = ("sandbox", "test", "live")
CARD_TITLES = {
    "sandbox": "Sandbox · local emulator of Fintoc test mode",
    "test": "Test · api.fintoc.com with a test key",
    "live": "Live · api.fintoc.com · real money",
}
MODE_ACTIONS = (
    ("set_key", "Set key"),
    ("delete_key", "Delete key"),
    ("import_jws", "Import JWS key"),
    ("generate_jws", "Generate JWS pair"),
    ("delete_jws", "Delete JWS key"),
)
LABEL_WIDTH = 12
TARGET_MARKER = "▶ "

# `problems.describe` advises "press e" / "press r", written for the other
# screens; on this one the keys that help are k (set a key) and u (connect).
ADVICE_HERE = {
    "no_key": "Press k to set one here, or set FINTOC_{upper}_SECRET_KEY.",
    "auth": "Press k to replace it.",
    "network": "Check the network, then press u to connect again.",
    "sandbox": "Press u to try again, or run `fintoc-tui sandbox` in another terminal to see why.",
    "api": "Press u to connect again.",
    "bug": "Press u to connect again; if it keeps happening, please report it.",
}


# --- what the cards show (built in workers, no secrets inside) -------------------------


@dataclass(frozen=True)
class SlotView:
    """One key slot as shown: masked value or fingerprint, where it came from, or a problem."""

    value: str = ""
    source: str = ""
    problem: str | None = None


@dataclass(frozen=True)
class ModeSlots:
    secret: SlotView
    jws: SlotView


@dataclass(frozen=True)
class CheckView:
    """The last connection check of one card: idle, ok or problem, and what it said.

    `summary` is the one line the "In use" banner repeats (the organisation
    when ok, the first sentence of the problem otherwise).
    """

    state: str
    text: Text
    summary: str = ""


NOT_CHECKED = CheckView("idle", Text("Not checked yet — press c."))
CHECKING = CheckView("idle", Text("Checking…"))


@dataclass(frozen=True)
class SandboxView:
    url: str | None = None
    key: str | None = None
    jws: str | None = None


def jws_fingerprint(private_pem: str) -> str:
    from fintoc_tui.api.jws import fingerprint, public_pem_from_private

    return fingerprint(public_pem_from_private(private_pem))


def read_slots(store: CredentialStore, mode: Mode) -> ModeSlots:
    """Both slots of a mode (blocking: keyring; call from a thread)."""
    try:
        credential = store.secret_key(mode)
        secret = SlotView(credential.masked, credential.source) if credential else SlotView()
    except CredentialError as error:
        secret = SlotView(problem=str(error))
    try:
        jws_credential = store.jws_private_key(mode)
        if jws_credential is None:
            jws = SlotView()
        else:
            jws = SlotView(jws_fingerprint(jws_credential.secret()), jws_credential.source)
    except CredentialError as error:
        jws = SlotView(problem=str(error))
    except ValueError:
        jws = SlotView(problem="The stored JWS key could not be read as an RSA private key.")
    return ModeSlots(secret, jws)


def sandbox_info(app: Any) -> Any:
    """The running sandbox's `SandboxInfo` (`FintocApp.sandbox_info`), if there is one yet."""
    return getattr(app, "sandbox_info", None)


def read_sandbox(app: Any) -> SandboxView:
    info = sandbox_info(app)
    if info is None:
        return SandboxView()
    jws = None
    pem = info.jws_private_pem()
    if pem:
        try:
            jws = jws_fingerprint(pem.decode())
        except ValueError:
            jws = None
    return SandboxView(info.base_url, mask_key(info.secret_key), jws)


def describe_check_problem(error: BaseException, label: str) -> str:
    """The exact reason a check failed, without a traceback and without secrets."""
    from fintoc_tui.api.errors import AuthenticationError, FintocError, NetworkError

    if isinstance(error, CredentialError):
        return str(error)
    if isinstance(error, AuthenticationError):
        code = error.code or error.type
        return (
            f"{error.status or 401} {code}: Fintoc refused the {label} key ({error.message}). "
            "Press k to replace it."
        )
    if isinstance(error, NetworkError):
        reason = error.message.rstrip(".")
        return f"No network: {reason}. Check the connection, then press c."
    if isinstance(error, FintocError):
        status = f"{error.status} " if error.status else ""
        return f"{status}{error.code or error.type}: {error.message}"
    return f"The check failed ({type(error).__name__}). Press c to try again."


def first_sentence(text: str) -> str:
    """The opening sentence of a problem, for the one-line "In use" banner."""
    head, dot, _ = text.partition(". ")
    return f"{head}." if dot else text


def keyring_keeps(status: KeyringStatus) -> str:
    """What happens to a key saved in this keyring when the app quits, per backend."""
    if status.in_memory:
        return "in memory only: keys saved there are gone when the app quits."
    if status.plaintext:
        return "keys saved there stay between runs, unencrypted on disk."
    return "keys saved there stay between runs."


def without_repeat(problem: str, advice: str) -> str:
    """`advice` minus an opening clause that restates `problem`.

    The credential store's advice starts "No OS keyring is available, so …"
    right after a problem that already said so; print that only once.
    """
    for joint in (", so ", "; "):
        head, found, rest = advice.partition(joint)
        if found and rest and head.split()[:3] == problem.split()[:3]:
            return rest[0].upper() + rest[1:]
    return advice


class _NotReady(Exception):
    """Nothing to check yet (no key, sandbox not running); the text says what to do."""


# --- the screen ---------------------------------------------------------------------------


class EnvironmentScreen(Screen):
    """Mode "environment"."""

    BINDINGS = bindings.ENVIRONMENT_SCREEN
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
        yield Footer()

    def on_mount(self) -> None:
        app: Any = self.app
        app.client_changed_signal.subscribe(self, self._client_changed)
        self.query_one(f"#{self._current_name() or 'sandbox'}-use", Button).focus()
        self._client_changed(app.client)

    # -- state from the app and workers -------------------------------------------------

    def _current_name(self) -> str | None:
        environment = getattr(self.app, "environment", None)
        return environment.name if environment is not None else None

    def _client_changed(self, client: Any) -> None:
        name = self._current_name()
        app: Any = self.app
        if name is not None:
            if client is not None:
                self.action_check(name)
            elif app.client_problem is not None:
                problem = app.client_problem
                advice = ADVICE_HERE.get(problem.kind, problem.advice).format(upper=name.upper())
                text = Text(f"✗ {problem.title} {advice}")
                self.checks[name] = CheckView("problem", text, problem.title)
        self.action_refresh()

    def action_refresh(self) -> None:
        self._show_state()
        self._load_status()

    @work(thread=True, exclusive=True, group="env-status", exit_on_error=False)
    def _load_status(self) -> None:
        app: Any = self.app
        store: CredentialStore = app.credentials
        status = store.keyring_status()
        slots = {mode: read_slots(store, mode) for mode in ("test", "live")}
        self.post_message(messages.EnvironmentStatusLoaded(status, slots, read_sandbox(app)))

    def on_environment_status_loaded(self, message: messages.EnvironmentStatusLoaded) -> None:
        self.keyring = message.keyring
        self.slots = dict(message.slots)
        self.sandbox = message.sandbox
        self._show_state()

    # -- rendering ----------------------------------------------------------------------

    def _show_state(self) -> None:
        app: Any = self.app
        current = self._current_name()
        line = Text("In use: ", style="bold")
        if current is None:
            line.append("nothing yet", style="bold")
            line.append(" — choose an environment below (u on a card, or its Use button).")
        else:
            line.append(current.upper(), style="bold red" if current == "live" else "bold")
            status, style = self._connection_words(current)
            line.append(" — ")
            line.append(status, style=style)
        self.query_one("#env-current", Static).update(line)
        connecting = bool(getattr(app, "connecting", False))
        for name in ENV_ORDER:
            card = self.query_one(f"#card-{name}")
            card.set_class(name == current, "-current")
            card.border_subtitle = "● in use" if name == current else ""
            info = self._sandbox_text() if name == "sandbox" else self._mode_text(name)
            self.query_one(f"#info-{name}", Static).update(info)
            view = self.checks.get(name, NOT_CHECKED)
            if view is NOT_CHECKED and connecting and name == current:
                view = CheckView("idle", Text("Connecting…"))
            check = self.query_one(f"#check-{name}", Static)
            for kind in ("ok", "problem", "idle"):
                check.set_class(kind == view.state, f"-{kind}")
            check.update(view.text)
        self._mark_target()
        self._render_keyring()

    def _connection_words(self, current: str) -> tuple[str, str]:
        """What is known about the environment in use; "connected" only once Fintoc answered.

        A client object only means a key was found: the check (or the
        accounts call, which sets the organisation) has to succeed first.
        """
        app: Any = self.app
        if getattr(app, "connecting", False):
            if current == "sandbox" and sandbox_info(app) is None:
                return "starting the local sandbox…", "dim"
            return "connecting…", "dim"
        if app.client is None:
            problem = app.client_problem
            return (f"not connected: {problem.title}" if problem else "not connected"), "red"
        view = self.checks.get(current)
        organisation = getattr(app, "organisation", "")
        if view is not None and view.state == "problem":
            return f"not connected: {view.summary}", "red"
        if view is not None and view.state == "ok":
            return f"connected to {view.summary}", "green"
        if organisation:
            return f"connected to {organisation}", "green"
        have = "sandbox running" if current == "sandbox" else "key set"
        if view is CHECKING:
            return f"{have}, checking the connection…", "dim"
        return f"{have}, not checked yet — press c on its card", "dim"

    @staticmethod
    def _row(text: Text, label: str, value: str, source: str = "", style: str = "") -> None:
        if len(text):
            text.append("\n")
        text.append(f"{label:<{LABEL_WIDTH}}", style="dim")
        text.append(value, style=style)
        if source:
            text.append(f"   {source}", style="dim")

    def _sandbox_text(self) -> Text:
        text = Text()
        view = self.sandbox
        if view.url is None:
            app: Any = self.app
            if getattr(app, "connecting", False) and self._current_name() == "sandbox":
                self._row(text, "URL", "starting…", "the local sandbox is coming up on loopback")
                self._row(text, "Secret key", "its own test key, shown once it answers")
                return text
            self._row(text, "URL", "not running", "u starts it on loopback (no account needed)")
            self._row(text, "Secret key", "its own test key, shown once it runs")
            return text
        self._row(text, "URL", view.url)
        self._row(text, "Secret key", view.key or "—", "the sandbox's own test key")
        self._row(text, "JWS key", view.jws or "—", "the sandbox's demo key")
        return text

    def _mode_text(self, mode: str) -> Text:
        text = Text()
        slots = self.slots.get(mode)
        if slots is None:
            self._row(text, "Secret key", "reading…", style="dim")
            self._row(text, "JWS key", "reading…", style="dim")
            return text
        secret, jws = slots.secret, slots.jws
        upper = mode.upper()
        if secret.problem:
            self._row(text, "Secret key", secret.problem, style="red")
        elif secret.value:
            self._row(text, "Secret key", secret.value, secret.source, style="bold")
        else:
            self._row(text, "Secret key", "not set", f"k sets one, or FINTOC_{upper}_SECRET_KEY")
        if jws.problem:
            self._row(text, "JWS key", jws.problem, style="red")
        elif jws.value:
            self._row(text, "JWS key", jws.value, jws.source, style="bold")
        else:
            self._row(text, "JWS key", "not set", "needed to send transfers: g makes a pair")
        return text

    def _render_keyring(self) -> None:
        panel = self.query_one("#keyring-status", Static)
        status = self.keyring
        text = Text()
        text.append("Keyring  ", style="bold")
        if status is None:
            text.append("checking…", style="dim")
            panel.set_class(False, "-unavailable")
        elif not status.available:
            problem = status.problem or "not available"
            text.append(problem, style="bold")
            text.append(f"\n{without_repeat(problem, status.advice)}")
            panel.set_class(True, "-unavailable")
        else:
            text.append(status.summary)
            text.append(f" — {keyring_keeps(status)}", style="dim")
            if status.advice:
                text.append(f"\n{status.advice}")
            panel.set_class(status.plaintext, "-unavailable")
        panel.update(text)

    # -- choosing a card and acting on it ---------------------------------------------------

    def _target(self) -> str:
        """The card holding the focus, else the one in use, else test."""
        node = self.focused
        while node is not None and node is not self:
            if node.has_class("card") and node.id:
                return node.id.removeprefix("card-")
            node = node.parent  # type: ignore[assignment]
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
        app: Any = self.app
        self.checks.pop(name, None)
        app.apply_environment(name)
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
        return name  # type: ignore[return-value]

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

    def _confirm_delete(self, name: str | None, kind: str, label: str) -> None:
        mode = self._mode_or_explain(name)
        if mode is None:
            return
        from fintoc_tui.ui.environment.confirm_dialog import ConfirmDialog

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

    def _jws_dialog(self, name: str | None, action: Any) -> None:
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
        app: Any = self.app
        try:
            environment = app.environment
            if environment is not None and environment.name == name and app.client is not None:
                info = await app.client.whoami()
            else:
                client = await asyncio.to_thread(self._client_for, name)
                try:
                    info = await client.whoami()
                finally:
                    await client.aclose()
        except _NotReady as reason:
            self.post_message(messages.EnvironmentChecked(name, problem=str(reason)))
        except Exception as error:
            problem = describe_check_problem(error, name.upper())
            self.post_message(messages.EnvironmentChecked(name, problem=problem))
        else:
            self.post_message(messages.EnvironmentChecked(name, info=info))

    def _client_for(self, name: str) -> Any:
        """A throwaway client for a check of an environment not in use (thread)."""
        from fintoc_tui.environments import fintoc_environment, sandbox_environment

        app: Any = self.app
        if name == "sandbox":
            info = sandbox_info(app)
            if info is None:
                raise _NotReady("The sandbox is not running. Press u to start it and use it.")
            environment = sandbox_environment(info.base_url)
            return app.client_factory(environment, info.secret_key, info.jws_private_pem())
        store: CredentialStore = app.credentials
        mode: Mode = name  # type: ignore[assignment]
        credential = store.secret_key(mode)
        if credential is None:
            status = store.last_status
            where = (
                f"no OS keyring here, so set FINTOC_{name.upper()}_SECRET_KEY or press k to "
                "keep one for this session"
                if status is not None and not status.available
                else "press k to add one"
            )
            raise _NotReady(f"No {name.upper()} secret key is set: {where}.")
        try:
            jws = store.jws_private_key(mode)
        except CredentialError:
            jws = None
        pem = jws.secret().encode() if jws is not None else None
        return app.client_factory(fintoc_environment(mode), credential.secret(), pem)

    def on_environment_checked(self, message: messages.EnvironmentChecked) -> None:
        if message.problem is not None:
            text = Text(f"✗ {message.problem}")
            summary = first_sentence(message.problem)
            self.checks[message.name] = CheckView("problem", text, summary)
        else:
            info = message.info
            organisation = info.organization or "(organisation without a name)"
            plural = "account" if info.account_count == 1 else "accounts"
            more = "+" if info.more_accounts else ""
            text = Text(f"✓ {organisation}")
            text.append(f" · {info.mode or '?'} mode · {info.account_count}{more} {plural}")
            self.checks[message.name] = CheckView("ok", text, organisation)
            app: Any = self.app
            if message.name == self._current_name() and info.organization:
                app.organisation = info.organization
        self._show_state()

    @work(thread=True, group="env-credentials", exit_on_error=False)
    def _save_key(self, mode: Mode, entry: KeyEntry) -> None:
        store: CredentialStore = self.app.credentials  # type: ignore[attr-defined]
        try:
            effective = store.set_secret_key(mode, entry.value, entry.where)
        except CredentialError as error:
            self.post_message(messages.CredentialFailed(mode, "secret_key", str(error)))
            return
        where = self._where_text(store, entry.where)
        note = f"{mode.upper()} secret key {mask_key(entry.value)} saved to {where}."
        warning = None
        if effective.origin != entry.where:
            warning = f"{effective.source} still takes precedence over it."
        self.post_message(messages.CredentialSaved(mode, "secret_key", note, warning=warning))

    @staticmethod
    def _where_text(store: CredentialStore, where: str) -> str:
        if where == "session":
            return "this session only"
        status = store.last_status
        if status is None:
            return "the keyring"
        if status.in_memory:
            return f"the in-memory keyring ({status.backend}; gone when the app quits)"
        return f"the keyring ({status.backend})"

    @work(thread=True, group="env-credentials", exit_on_error=False)
    def _delete(self, mode: Mode, kind: Any) -> None:
        store: CredentialStore = self.app.credentials  # type: ignore[attr-defined]
        label = "secret key" if kind == "secret_key" else "JWS private key"
        try:
            remaining = store.delete(kind, mode)
        except CredentialError as error:
            self.post_message(messages.CredentialFailed(mode, kind, str(error)))
            return
        warning = f"{remaining} still provides one; unset it to remove it." if remaining else None
        note = f"{mode.upper()} {label} deleted from the keyring and this session."
        self.post_message(messages.CredentialSaved(mode, kind, note, warning=warning))

    @work(thread=True, group="env-credentials", exit_on_error=False)
    def _store_jws(self, mode: Mode, request: JWSRequest) -> None:
        from fintoc_tui import paths
        from fintoc_tui.api.jws import fingerprint, generate_keypair

        store: CredentialStore = self.app.credentials  # type: ignore[attr-defined]
        try:
            if request.action == "generate":
                make_pair = getattr(self.app, "jws_keypairs", None) or generate_keypair
                private_pem, public_pem = make_pair()
                effective = store.set_jws_private_key(mode, private_pem, request.where)
                path = paths.data_dir() / f"jws_public_key_{mode}.pem"
                path.write_bytes(public_pem)
                self.post_message(
                    messages.JWSKeyGenerated(
                        mode,
                        public_pem.decode(),
                        str(path),
                        fingerprint(public_pem),
                        self._where_text(store, request.where),
                    )
                )
                return
            assert request.pem is not None
            effective = store.set_jws_private_key(mode, request.pem, request.where)
        except CredentialError as error:
            self.post_message(messages.CredentialFailed(mode, "jws_private_key", str(error)))
            return
        except OSError as error:
            problem = f"The public key could not be saved ({error.strerror})."
            self.post_message(messages.CredentialFailed(mode, "jws_private_key", problem))
            return
        where = self._where_text(store, request.where)
        note = f"{mode.upper()} JWS key {jws_fingerprint(effective.secret())} saved to {where}."
        warning = None
        if effective.origin != request.where:
            warning = f"{effective.source} still takes precedence over it."
        self.post_message(messages.CredentialSaved(mode, "jws_private_key", note, warning=warning))

    # -- results of the workers ---------------------------------------------------------------

    def _reconnect_if_current(self, mode: str) -> None:
        if self._current_name() == mode:
            self.app.apply_environment(mode)  # type: ignore[attr-defined]

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
