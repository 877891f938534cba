"""The application shell: modes, the connection to Fintoc, keys, themes, help.

`FintocApp` owns the environment and the API client; screens reach them
through `self.app.environment` / `self.app.client` / `self.app.credentials`
(typed: each screen declares `app: FintocApp`) and reload when
`app.client_changed_signal` fires, and reload their figures when
`app.money_moved_signal` fires (`shell/money_moved.py`: the app hears every
movement its workers report and publishes it once). Only the connect worker touches keyring
and sandbox start-up, so the UI never blocks on them. Screens open other
screens through `app.navigator`, the one place that imports them.

Long module: the app is the one owner of the connection's state (environment,
client, generation, the start-up hand-off to the accounts screen); the ways
to a client (`connection`) and to a screen (`navigator`) live beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal

from fintoc_tui.environments import (
    ENVIRONMENT_NAMES,
    Environment,
    EnvironmentName,
    fintoc_environment,
    sandbox_environment,
)
from fintoc_tui.masking import mask_key
from fintoc_tui.ui import messages
from fintoc_tui.ui.shell import bindings, config
from fintoc_tui.ui.shell.connection import ClientFactory, connect, default_client_factory
from fintoc_tui.ui.shell.money_moved import MoneyCause, MoneyMoved
from fintoc_tui.ui.shell.navigator import MODE_NAMES, Navigator, mode_screen
from fintoc_tui.ui.shell.sandbox_link import SandboxInfo, SandboxProcess
from fintoc_tui.ui.widgets import lazy_strip_caches
from fintoc_tui.ui.widgets.drawing_caches import forget_drawing_caches
from fintoc_tui.ui.widgets.textual_leaks import forget_closed_render_caches

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.theme import Theme

    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.api.models import Account, Transfer
    from fintoc_tui.api.prefetch import AccountSnapshot, AccountsPrefetch
    from fintoc_tui.credentials import CredentialStore
    from fintoc_tui.ui.shell.problems import Problem

MONEY_WORKER_GROUPS = frozenset(
    {"transfer-send", "transfer-return", "history-simulate", "journal-resolve", "batch-send"}
)
"""Worker groups that move money: the environment does not change under them."""


def _commands_provider() -> type[Provider]:
    from fintoc_tui.ui.shell.commands import FintocCommands

    return FintocCommands


class FintocApp(App[None]):
    """fintoc-tui. Construct with what to connect to; everything else is lazy."""

    TITLE = "fintoc-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = bindings.GLOBAL  # type: ignore[assignment]  # list[Binding] is a list[BindingType]
    MODES = {mode: mode_screen(mode) for mode in MODE_NAMES}
    COMMANDS = App.COMMANDS | {_commands_provider}

    environment: reactive[Environment | None] = reactive(None, init=False)
    """What the app points at; None until one is chosen."""
    organisation: reactive[str] = reactive("", init=False)
    """The organisation's name, learnt from the root account's entity."""
    masked_key: reactive[str] = reactive("", init=False)
    """The secret key in use, masked (`sk_test_…gD3g`)."""
    connecting: reactive[bool] = reactive(False, init=False)
    """True while the connect worker looks for the key or the sandbox and builds the client."""

    def __init__(
        self,
        *,
        environment: Environment | EnvironmentName | None = None,
        credentials: CredentialStore | None = None,
        client_factory: ClientFactory | None = None,
        sandbox: SandboxInfo | SandboxProcess | None = None,
        sandbox_launcher: Callable[[], SandboxProcess] | None = SandboxProcess,
        user_config: config.UserConfig | None = None,
        remember: bool = True,
        on_accounts_painted: Callable[[FintocApp], None] | None = None,
        accounts_prefetch: AccountsPrefetch | None = None,
        confirm_live: bool | None = None,
        idempotency_keys: Callable[[], str] | None = None,
        jws_keypairs: Callable[[], tuple[bytes, bytes]] | None = None,
    ) -> None:
        if confirm_live is None:
            # A name restored from state.json (not typed on this command line).
            confirm_live = isinstance(environment, config.RememberedEnvironment)
        name = (
            environment if isinstance(environment, str) or environment is None else environment.name
        )
        self._starts_on_accounts = environment is not None and not (name == "live" and confirm_live)
        """The first screen is the accounts (else the environment screen)."""
        if self._starts_on_accounts:
            # Read by App.__init__: the accounts screen is the app's first screen,
            # mounted with the app like a plain app's default screen. Reached
            # with `switch_mode` instead, Textual holds every frame for 50 ms
            # (`delay_update`) and drops the one rendered meanwhile, so the
            # balances reached the terminal only after the footer's keys had
            # been built (~60 ms of CPU later, bench/bench_terminal.py).
            self.DEFAULT_MODE = "accounts"  # type: ignore[misc]  # App.__init__ reads self.DEFAULT_MODE
        lazy_strip_caches.install()  # before the first line is rendered (~2 MiB less)
        super().__init__()
        self._initial_environment = environment
        self._confirm_initial_live = confirm_live
        """Ask for the typed confirmation before opening live at start-up."""
        self._credentials = credentials
        self.client_factory: ClientFactory = client_factory or default_client_factory
        self._sandbox = sandbox
        self._sandbox_launcher = sandbox_launcher
        self._owned_sandboxes: list[SandboxProcess] = []
        if isinstance(sandbox, SandboxProcess):
            self._owned_sandboxes.append(sandbox)
        self._remember = remember
        self.on_accounts_painted = on_accounts_painted
        """Called once the accounts table is first painted with rows (the start-up bench)."""
        self.accounts_prefetch = accounts_prefetch
        """The sandbox's accounts fetched during start-up; the accounts screen takes it once."""
        self._connect_when_painted: Environment | None = None
        """The start-up connection, waiting for the prefetched accounts to be painted."""
        self.accounts: list[Account] = []
        """The accounts last loaded (the palette offers "open account …" from them)."""
        self.user_config = user_config or config.load_config(known_ids=bindings.binding_ids())
        self.client: FintocClient | None = None
        """The API client for `environment`, or None (connecting, no key, or failed)."""
        self.connection_generation = 0
        """Counts `apply_environment` calls; pushed screens remember the one they opened in."""
        self.client_problem: Problem | None = None
        """Why `client` is None, or None while connecting."""
        self.client_changed_signal: Signal[FintocClient | None] = Signal(self, "client-changed")
        """Published with the new client (or None) whenever the connection changes."""
        self.money_moved_signal: Signal[MoneyMoved] = Signal(self, "money-moved")
        """Published when money moved (or may have): see `money_moved` and `shell/money_moved`."""
        self._money_moves: list[tuple[MoneyCause, str | None]] = []
        """Movements reported this turn of the event loop, published together."""
        self._settling: dict[str, FintocClient] = {}
        """Pending transfers asked about until they settle (`follow_until_settled`)."""
        self.idempotency_keys = idempotency_keys
        """Mints idempotency keys (None: uuid4); screenshots pass a seeded one."""
        self.jws_keypairs = jws_keypairs
        """Makes JWS key pairs (None: `api.jws.generate_keypair`); screenshots pin one."""
        self.transfer_source_account_id: str | None = None
        """The account "new transfer from this account" asked for, if any."""
        self._servers: dict[str, Environment] = {}
        """Test or live at a server other than Fintoc's, as given at start (`--base-url`)."""
        self.navigator = Navigator(self)
        """Opens screens for the screens (they never import one another)."""
        self.set_keymap(self.user_config.keys)
        state = config.load_state() if remember else config.AppState()
        theme = self.user_config.theme or state.theme
        if theme and theme in self.available_themes:
            self.theme = theme

    # -- start-up -------------------------------------------------------------------------

    @property
    def credentials(self) -> CredentialStore:
        """The key store, made on first use (importing keyring costs start-up time)."""
        if self._credentials is None:
            from fintoc_tui.credentials import CredentialStore

            self._credentials = CredentialStore()
        return self._credentials

    def on_load(self) -> None:
        initial = self._initial_environment
        if self._starts_on_accounts and initial is not None:
            # Before the accounts screen is composed (Textual composes the first
            # mode right after this): it shows the prefetched accounts from its
            # first frame only if the environment is already chosen.
            self._open_initial(initial)

    def on_mount(self) -> None:
        for warning in self.user_config.warnings:
            self.notify(warning, title="Config", severity="warning", timeout=10)
        if self.user_config.theme and self.user_config.theme not in self.available_themes:
            self.notify(f"Unknown theme {self.user_config.theme!r}", severity="warning")
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.screen_change_signal.subscribe(self, forget_closed_render_caches)
        self.screen_change_signal.subscribe(self, forget_drawing_caches)
        initial = self._initial_environment
        if self._starts_on_accounts:
            # A frame rendered while the app mounts (inside Textual's start-up
            # `batch_update`) is dropped without the screen being marked dirty
            # again; this runs as soon as that batch is over.
            self.call_later(self.screen.refresh)
            return
        if initial is None:
            self.switch_mode("environment")
            self.client_problem = self._problem_no_environment()
            return
        name = initial if isinstance(initial, str) else initial.name
        if name == "live" and self._confirm_initial_live:
            # The last session ended in live: reopening it silently would make
            # live the default, so ask as the environment screen does.
            self.switch_mode("environment")
            self.client_problem = self._problem_no_environment()
            self.confirm_live(lambda: self._open_initial(initial))
            return
        self._open_initial(initial)

    def _open_initial(self, initial: Environment | EnvironmentName) -> None:
        if self.current_mode != "accounts":
            self.switch_mode("accounts")
        prefetch = self.accounts_prefetch
        target = self.apply_environment(initial, connect=prefetch is None)
        if prefetch is not None and target is not None:
            # The first frame shows the prefetched accounts and needs no client:
            # build it once they are painted (`accounts_painted`), so its imports
            # (~250 ms, holding the GIL) do not delay that frame.
            self._connect_when_painted = target

            def settled(accounts: list[AccountSnapshot] | None) -> None:  # on the prefetch thread
                self.post_message(messages.PrefetchSettled(target, bool(accounts)))

            prefetch.when_done(settled)

    def on_prefetch_settled(self, message: messages.PrefetchSettled) -> None:
        if not message.usable:  # nothing will be painted from it: connect now
            self.screen.call_after_refresh(self._connect_deferred)

    def accounts_painted(self) -> None:
        """The accounts screen has drawn rows: the start-up bench's hook, then a deferred connect."""
        if self.on_accounts_painted is not None:
            hook, self.on_accounts_painted = self.on_accounts_painted, None
            hook(self)
        self._connect_deferred()

    def _connect_deferred(self) -> None:
        target, self._connect_when_painted = self._connect_when_painted, None
        if target is not None and self.environment is target:  # no newer switch meanwhile
            self._connect(target)

    def _remember_theme(self, theme: Theme) -> None:
        if self._remember and not self.user_config.theme:
            config.remember(theme=theme.name)

    @staticmethod
    def _problem_no_environment() -> Problem:
        from fintoc_tui.ui.shell.problems import no_environment

        return no_environment()

    # -- environments -----------------------------------------------------------------------

    def apply_environment(
        self, environment: Environment | EnvironmentName, *, connect: bool = True
    ) -> Environment | None:
        """Point the app at an environment: drop the old client, connect in a worker.

        The environment screen calls this after storing a key. Screens hear
        about the result through `client_changed_signal`; screens opened for
        the old connection (an account, a draft, a transfer) are closed. With
        `connect=False` the caller starts the worker later (`_connect`).
        Refused (None, and a notification) while money is moving: dropping
        the client then would cut a transfer off mid-request.
        """
        name: EnvironmentName = environment if isinstance(environment, str) else environment.name
        if name not in ENVIRONMENT_NAMES:
            raise ValueError(f"unknown environment {name!r}")
        if self.money_in_flight():
            self.notify(
                "A transfer is being sent. Switch once its outcome is on screen, "
                "so it is not cut off midway.",
                title="Environment not changed",
                severity="warning",
            )
            return None
        info = self._announced_sandbox() if name == "sandbox" else None
        if isinstance(environment, Environment):
            target = environment
            if name != "sandbox":
                # A server given at start (--base-url) stays this environment's for the session.
                self._servers[name] = environment
        elif name == "sandbox":
            target = sandbox_environment(info.base_url) if info else Environment("sandbox", "")
        else:
            target = self._servers.get(name) or fintoc_environment(name)
        self._drop_client()
        self._connect_when_painted = None
        self.connection_generation += 1
        self.connecting = True
        self.client_problem = None
        self.organisation = ""
        self.masked_key = mask_key(info.secret_key) if info else ""
        self.environment = target
        self.client_changed_signal.publish(None)
        self.call_later(self._close_stale_screens)
        if connect:
            self._connect(target)
        return target

    def money_in_flight(self) -> bool:
        """A worker is creating, returning, simulating or resolving a transfer right now."""
        return any(w.group in MONEY_WORKER_GROUPS and w.is_running for w in self.workers)

    def _fatal_error(self) -> None:
        """Textual's crash report without local variables or secrets (`crash_report`).

        Textual prints every frame's locals on a crash; a key or PEM in a
        local would land on the terminal.
        """
        import sys

        import rich

        from fintoc_tui.crash_report import crash_traceback

        error = sys.exc_info()[1] or self._exception
        if error is None:
            return super()._fatal_error()
        self.bell()
        self.panic(crash_traceback(error, width=None, suppress=[rich]))

    # -- screens opened for one connection ---------------------------------------------------

    def push_screen(self, screen: Screen[Any] | str, *args: Any, **kwargs: Any) -> Any:
        self._tag_screen(screen)
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen: Screen[Any] | str) -> Any:
        self._tag_screen(screen)
        return super().switch_screen(screen)

    def _tag_screen(self, screen: Screen[Any] | str) -> None:
        """Remember which connection a pushed screen was opened under (mode bases are not)."""
        if isinstance(screen, Screen) and not hasattr(screen, "_opened_in_generation"):
            screen._opened_in_generation = self.connection_generation  # type: ignore[attr-defined]

    def _close_stale_screens(self) -> None:
        """Pop what the current mode opened for an earlier connection.

        An account detail, a confirm screen or a transfer's detail shows (and
        acts on) one environment's data; left open after a switch it would
        show sandbox balances under a LIVE header, or send a sandbox draft
        with the live client. Each mode is cleaned when it is next shown. The
        environment mode's dialogs manage keys, not one connection's data:
        they stay (a public key just generated must still be shown).
        """
        if self.current_mode == "environment":
            return
        while len(self.screen_stack) > 1:
            opened = getattr(self.screen, "_opened_in_generation", self.connection_generation)
            if opened >= self.connection_generation:
                break
            self.pop_screen()

    def _announced_sandbox(self) -> SandboxInfo | None:
        """The sandbox's address and key if known now, without waiting for it."""
        sandbox = self._sandbox
        if isinstance(sandbox, SandboxProcess):
            return sandbox.info_if_ready()
        return sandbox

    @property
    def sandbox_info(self) -> SandboxInfo | None:
        """The running sandbox's address and keys, once it has announced itself."""
        return self._sandbox if isinstance(self._sandbox, SandboxInfo) else None

    def confirm_live(self, then: Callable[[], None]) -> None:
        """Ask for `live` typed in `LiveConfirmDialog`; call `then` only if it was.

        Every way into live goes through here (palette, restored state, the
        environment screen's own dialog), except `--env live` on the command line.
        """

        def answered(ok: bool | None) -> None:
            if ok:
                then()
            else:
                self.notify("Stayed out of live; nothing changed.", title="Environment")

        self.navigator.ask_live(answered)

    def request_environment(self, name: EnvironmentName) -> None:
        """Switch to `name` from a person's action: live asks first, then accounts show."""

        def switch() -> None:
            if self.apply_environment(name) is not None:
                self.action_show_mode("accounts")

        current = self.environment
        if name == "live" and (current is None or current.name != "live"):
            self.confirm_live(switch)
        else:
            switch()

    def _drop_client(self) -> None:
        old, self.client = self.client, None
        if old is not None:
            self.run_worker(old.aclose(), group="close-client", exit_on_error=False)

    def _sandbox_info(self) -> SandboxInfo:
        """The running sandbox, starting one if needed (worker thread only)."""
        sandbox = self._sandbox
        if sandbox is None:
            if self._sandbox_launcher is None:
                raise RuntimeError("no sandbox is available in this session")
            sandbox = self._sandbox_launcher()
            self._owned_sandboxes.append(sandbox)
            self._sandbox = sandbox
        if isinstance(sandbox, SandboxProcess):
            info = sandbox.wait()
            self._sandbox = info
            return info
        return sandbox

    @work(thread=True, exclusive=True, group="connect", exit_on_error=False)
    def _connect(self, environment: Environment) -> None:
        """Find the key (keyring may block) or the sandbox, then build the client."""
        changed = connect(
            environment,
            credentials=lambda: self.credentials,
            sandbox=self._sandbox_info,
            client_factory=self.client_factory,
        )
        self.post_message(changed)

    def on_connection_changed(self, message: messages.ConnectionChanged) -> None:
        current = self.environment
        if (
            current is None
            or message.environment is None
            or current.name != message.environment.name
        ):
            # A newer apply_environment won; this client is stale.
            if message.client is not None:
                self.run_worker(message.client.aclose(), exit_on_error=False)
            return
        self._drop_client()
        self.connecting = False
        self.client = message.client
        self.client_problem = message.problem
        self.environment = message.environment
        self.masked_key = message.masked_key
        if self._remember:
            config.remember(environment=message.environment.name)
        self.client_changed_signal.publish(self.client)
        if self.client is not None:
            # Transfers whose outcome was never learnt are shown at start,
            # not only when the transfer form opens (once per environment).
            self.navigator.offer_journal_recovery()

    # -- money moved --------------------------------------------------------------------

    def money_moved(self, cause: MoneyCause, transfer: Transfer | None = None) -> None:
        """Say that money moved, or may have: every balance and history reloads.

        Reports made in the same turn of the event loop (a "resolve all", a
        send and its first status) are published as one `MoneyMoved`.
        """
        first = not self._money_moves
        self._money_moves.append((cause, transfer.id if transfer is not None else None))
        if first:
            self.call_later(self._publish_money_moved)

    def _publish_money_moved(self) -> None:
        moves, self._money_moves = self._money_moves, []
        if moves:
            causes = tuple(dict.fromkeys(cause for cause, _ in moves))
            ids = tuple(dict.fromkeys(id_ for _, id_ in moves if id_ is not None))
            self.money_moved_signal.publish(MoneyMoved(causes, ids))

    # The workers that move money post these to their screens; after the screen's own
    # handler they bubble up to the app, which is the one place that hears them all.

    def on_transfer_sent(self, message: messages.TransferSent) -> None:
        self.money_moved("sent", message.transfer)

    def on_transfer_outcome_unknown(self, message: messages.TransferOutcomeUnknown) -> None:
        self.money_moved("maybe sent")

    def on_transfer_returned(self, message: messages.TransferReturned) -> None:
        self.money_moved("returned", message.transfer)

    def on_transfer_return_unknown(self, message: messages.TransferReturnUnknown) -> None:
        self.money_moved("maybe returned")

    def on_inbound_transfer_simulated(self, message: messages.InboundTransferSimulated) -> None:
        self.money_moved("simulated", message.transfer)
        if str(message.transfer.status) == "pending":  # Fintoc's test mode credits it later
            self.follow_until_settled(message.transfer.id)

    #: How often, and how many times, a pending inbound transfer is asked about.
    SETTLE_POLL_SECONDS = 1.0
    SETTLE_POLLS = 60

    def follow_until_settled(self, transfer_id: str) -> None:
        """Ask about a pending transfer until it settles, then say money moved.

        A simulated inbound transfer is credited one settle delay after it is
        made; no screen follows it (the dialog is gone), so without this the
        balances would show the money only after the next `r`. A timer, not a
        long worker: each question is its own short worker.
        """
        client = self.client
        if client is None:
            return
        self._settling[transfer_id] = client

        def ask() -> None:
            if self._settling.get(transfer_id) is not self.client:  # settled, or switched
                self._settling.pop(transfer_id, None)
                timer.stop()
                return
            self._ask_if_settled(client, transfer_id)

        timer = self.set_interval(
            self.SETTLE_POLL_SECONDS,
            ask,
            repeat=self.SETTLE_POLLS,
            name=f"follow {transfer_id}",
        )

    @work(group="follow-settle", exit_on_error=False)
    async def _ask_if_settled(self, client: FintocClient, transfer_id: str) -> None:
        try:
            transfer = await client.get_transfer(transfer_id)
        except Exception:
            return  # asked again at the next tick; the history still shows it pending
        if str(transfer.status) != "pending" and self._settling.get(transfer_id) is client:
            del self._settling[transfer_id]  # once, even if two answers cross
            self.money_moved("status changed", transfer)

    def on_journal_entry_resolved(self, message: messages.JournalEntryResolved) -> None:
        from fintoc_tui.api.errors import OutcomeUnknownError

        if message.transfer is not None or isinstance(message.error, OutcomeUnknownError):
            self.money_moved("resolved", message.transfer)

    def on_transfer_status_changed(self, message: messages.TransferStatusChanged) -> None:
        self.money_moved("status changed", message.transfer)

    # -- actions ------------------------------------------------------------------------

    def action_show_mode(self, mode: str) -> None:
        """Switch to a mode; from a pushed dialog, close it first."""
        while len(self.screen_stack) > 1 and self.screen.is_modal:
            self.pop_screen()
        self.switch_mode(mode)
        self._close_stale_screens()
        self._connect_deferred()  # left before the first accounts were painted

    def action_help(self) -> None:
        self.navigator.help()

    def action_switch_environment(self, name: str) -> None:
        """Palette/keys: switch environment; live only after the typed confirmation."""
        self.request_environment(name)  # type: ignore[arg-type]

    async def action_refresh_current(self) -> None:
        """Refresh whatever the current screen shows (palette entry)."""
        await self.screen.run_action("refresh")

    def new_transfer(self, account_id: str | None = None) -> None:
        """Open the transfer form, preset to `account_id` when given.

        Sets `transfer_source_account_id`, switches to the transfer mode and
        posts `messages.TransferFromAccount` to its base screen.
        """
        self.transfer_source_account_id = account_id
        self.action_show_mode("transfer")
        stack = self._screen_stacks.get("transfer") or []
        if stack and account_id:
            stack[0].post_message(messages.TransferFromAccount(account_id))

    def open_account(self, account_id: str) -> None:
        """Show the accounts mode with `account_id` opened (palette entry)."""
        self.navigator.open_account(account_id)

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()
        for sandbox in self._owned_sandboxes:
            sandbox.close()
