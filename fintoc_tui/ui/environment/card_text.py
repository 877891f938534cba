"""The words on the environment screen: each card's rows, its check line, the keyring panel.

Pure functions of the views in `card_state` (and what the app knows about
the connection), so the screen module only places them and reacts to keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from fintoc_tui.ui.environment.card_state import CHECKING, CheckView, ModeSlots, SandboxView

if TYPE_CHECKING:
    from fintoc_tui.api.client import EnvironmentInfo
    from fintoc_tui.credentials import KeyringStatus
    from fintoc_tui.ui.shell.app import FintocApp
    from fintoc_tui.ui.shell.problems import Problem

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
"""The buttons of the test and live cards: (action, label)."""
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
    "key": "Press k to set the right key here, or fix the environment variable that holds it.",
    "unexpected": "Check the network, VPN or proxy, then press u to connect again.",
    "rate_limit": "Wait a moment, then press u to connect again.",
    "server": "Press u to connect again in a moment.",
}


def row(text: Text, label: str, value: str, source: str = "", style: str = "") -> None:
    """Append one `label  value   source` line to a card's text."""
    if len(text):
        text.append("\n")
    text.append(f"{label:<{LABEL_WIDTH}}", style="dim")
    text.append(value, style=style)
    if source:
        text.append(f"   {source}", style="dim")


def sandbox_text(view: SandboxView, *, starting: bool) -> Text:
    """The sandbox card: its URL and keys once it runs, else how to start it."""
    text = Text()
    if view.url is None:
        if starting:
            row(text, "URL", "starting…", "the local sandbox is coming up on loopback")
            row(text, "Secret key", "its own test key, shown once it answers")
            return text
        row(text, "URL", "not running", "u starts it on loopback (no account needed)")
        row(text, "Secret key", "its own test key, shown once it runs")
        return text
    row(text, "URL", view.url)
    row(text, "Secret key", view.key or "—", "the sandbox's own test key")
    row(text, "JWS key", view.jws or "—", "the sandbox's demo key")
    return text


def mode_text(slots: ModeSlots | None, mode: str) -> Text:
    """A test or live card: each key slot's masked value and where it came from."""
    text = Text()
    if slots is None:
        row(text, "Secret key", "reading…", style="dim")
        row(text, "JWS key", "reading…", style="dim")
        return text
    secret, jws = slots.secret, slots.jws
    upper = mode.upper()
    if secret.problem:
        row(text, "Secret key", secret.problem, style="red")
    elif secret.value:
        row(text, "Secret key", secret.value, secret.source, style="bold")
    else:
        row(text, "Secret key", "not set", f"k sets one, or FINTOC_{upper}_SECRET_KEY")
    if jws.problem:
        row(text, "JWS key", jws.problem, style="red")
    elif jws.value:
        row(text, "JWS key", jws.value, jws.source, style="bold")
    else:
        row(text, "JWS key", "not set", "needed to send transfers: g makes a pair")
    server = slots.server
    if server.problem:
        row(text, "Server", server.problem, style="red")
    elif server.value:
        row(text, "Server", server.value, server.source, style="bold")
    return text


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


def keyring_text(status: KeyringStatus | None) -> tuple[Text, bool]:
    """The keyring panel, and whether it warns (no keyring, or an unencrypted one)."""
    text = Text()
    text.append("Keyring  ", style="bold")
    if status is None:
        text.append("checking…", style="dim")
        return text, False
    if status.timed_out_after is not None:
        # Later calls fail at once while the first still waits ("still busy"):
        # say what the person was promised, the time it was given.
        problem = f"The keyring did not answer within {status.timed_out_after:g} s."
        text.append(problem, style="bold")
        text.append(f"\n{without_repeat(problem, status.advice)} Press r to check again.")
        return text, True
    if not status.available:
        problem = status.problem or "not available"
        text.append(problem, style="bold")
        text.append(f"\n{without_repeat(problem, status.advice)}")
        return text, True
    text.append(status.summary)
    text.append(f" — {keyring_keeps(status)}", style="dim")
    if status.advice:
        text.append(f"\n{status.advice}")
    return text, status.plaintext


def connection_words(
    current: str,
    *,
    connecting: bool,
    sandbox_running: bool,
    connected: bool,
    client_problem: Problem | None,
    view: CheckView | None,
    organisation: str,
) -> tuple[str, str]:
    """What is known about the environment in use; "connected" only once Fintoc answered.

    A client object only means a key was found: the check (or the accounts
    call, which sets the organisation) has to succeed first.
    """
    if connecting:
        if current == "sandbox" and not sandbox_running:
            return "starting the local sandbox…", "dim"
        return "connecting…", "dim"
    if not connected:
        problem = client_problem
        return (f"not connected: {problem.title}" if problem else "not connected"), "red"
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


def in_use_line(current: str | None, app: FintocApp, view: CheckView | None) -> Text:
    """The banner over the cards: which environment is in use and how its connection is."""
    line = Text("In use: ", style="bold")
    if current is None:
        line.append("nothing yet", style="bold")
        line.append(" — choose an environment below (u on a card, or its Use button).")
        return line
    line.append(current.upper(), style="bold red" if current == "live" else "bold")
    status, style = connection_words(
        current,
        connecting=app.connecting,
        sandbox_running=app.sandbox_info is not None,
        connected=app.client is not None,
        client_problem=app.client_problem,
        view=view,
        organisation=app.organisation,
    )
    line.append(" — ")
    line.append(status, style=style)
    return line


def problem_check(problem: Problem, name: str) -> CheckView:
    """A card's check line for why the app has no client, with this screen's keys."""
    advice = ADVICE_HERE.get(problem.kind, problem.advice).format(upper=name.upper())
    return CheckView("problem", Text(f"✗ {problem.title} {advice}"), problem.title)


def checked(info: EnvironmentInfo) -> CheckView:
    """A card's check line after Fintoc answered: organisation, mode, accounts, pinned API version."""
    organisation = info.organization or "(organisation without a name)"
    plural = "account" if info.account_count == 1 else "accounts"
    more = "+" if info.more_accounts else ""
    text = Text(f"✓ {organisation}")
    text.append(f" · {info.mode or '?'} mode · {info.account_count}{more} {plural}")
    # From /v1/whoami; where Fintoc does not answer it, the version is not known.
    text.append(f" · API version {info.api_version or 'not reported'}")
    return CheckView("ok", text, organisation)
