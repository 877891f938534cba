"""`fintoc-tui doctor`: is everything in place to move money, and if not, what to do.

Where each key comes from (masked), the keyring backend, the JWS key's
fingerprint (what to compare with the public key on the Fintoc dashboard),
one reachability check against the chosen environment, and the journal's
unresolved entries. Nothing secret is printed; nothing is sent.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from fintoc_tui.commands.connection import CommandError, connect, requested_environment
from fintoc_tui.commands.exit_codes import ExitCode
from fintoc_tui.commands.output import describe_fintoc_error, print_pairs, write_json


def _fingerprint(pem: str | bytes) -> str:
    from fintoc_tui.api.jws import fingerprint, public_pem_from_private

    return fingerprint(public_pem_from_private(pem))


def _slot(store: Any, kind: str, mode: str) -> dict[str, Any]:
    """One key slot: where its value comes from, masked, or the problem with it."""
    from fintoc_tui.credentials import CredentialError

    try:
        credential = store.get(kind, mode)
    except CredentialError as exc:
        return {"set": False, "source": None, "problem": f"{exc.message} {exc.advice}".strip()}
    if credential is None:
        return {"set": False, "source": None, "problem": None}
    slot: dict[str, Any] = {"set": True, "source": credential.source, "problem": None}
    if kind == "secret_key":
        slot["masked"] = credential.masked
    else:
        try:
            slot["fingerprint"] = _fingerprint(credential.secret())
        except ValueError as exc:
            slot["problem"] = str(exc)
    return slot


def keys_report(store: Any) -> dict[str, Any]:
    return {
        mode: {kind: _slot(store, kind, mode) for kind in ("secret_key", "jws_private_key")}
        for mode in ("test", "live")
    }


def _slot_text(slot: dict[str, Any], mode: str, kind: str) -> str:
    if slot["problem"]:
        return f"PROBLEM: {slot['problem']}"
    if not slot["set"]:
        upper = mode.upper()
        if kind == "secret_key":
            return f"not set (FINTOC_{upper}_SECRET_KEY, or the keyring from the app)"
        return f"not set (FINTOC_{upper}_JWS_PRIVATE_KEY_FILE, or the keyring from the app)"
    shown = slot.get("masked") or slot.get("fingerprint") or ""
    return f"{shown}  from {slot['source']}"


async def _reach(args: argparse.Namespace) -> dict[str, Any]:
    """One `GET /v2/accounts` against the chosen environment, timed."""
    from fintoc_tui.credentials import CredentialError

    try:
        connection = await asyncio.to_thread(connect, args, need_signer=True)
    except CommandError as exc:
        return {"ok": False, "error": exc.message}
    except CredentialError as exc:
        return {"ok": False, "error": f"{exc.message} {exc.advice}".strip()}
    from fintoc_tui.api.errors import FintocError

    result: dict[str, Any] = {
        "base_url": connection.environment.base_url,
        "key": connection.masked_key,
        "key_source": connection.key_source,
        "jws_source": connection.jws_source,
        "jws_fingerprint": getattr(connection.signer, "fingerprint", None),
    }
    try:
        started = time.perf_counter()
        info = await connection.client.whoami()
        result.update(
            ok=True,
            elapsed_ms=round((time.perf_counter() - started) * 1000),
            organization=info.organization,
            mode=info.mode,
            accounts=info.account_count,
            error=None,
        )
        if info.mode and info.mode != connection.environment.mode:
            result.update(
                ok=False,
                error=f"the server answered in {info.mode} mode, not in {connection.environment.mode}",
            )
    except FintocError as exc:
        result.update(ok=False, error=describe_fintoc_error(exc), code=exc.code)
    finally:
        await connection.aclose()
    return result


def run_doctor(args: argparse.Namespace) -> int:
    from fintoc_tui.commands.journal import entry_summary
    from fintoc_tui.credentials import CredentialStore
    from fintoc_tui.journal import Journal

    environment = requested_environment(args)
    store = CredentialStore()
    keys = keys_report(store)
    keyring = store.keyring_status()
    reach = asyncio.run(_reach(args))
    with Journal() as journal:
        unresolved = [entry_summary(e) for e in journal.unresolved()]
        journal_path = str(journal.path)
    report = {
        "environment": environment.name,
        "base_url": reach.get("base_url")
        or environment.base_url
        or "(a sandbox started for this check)",
        "keys": keys,
        "keyring": {
            "available": keyring.available,
            "backend": keyring.backend,
            "summary": keyring.summary,
            "plaintext": keyring.plaintext,
            "live_ok": keyring.live_ok,
            "advice": keyring.advice or None,
        },
        "reachability": reach,
        "journal": {"path": journal_path, "unresolved": unresolved},
    }
    if args.json:
        write_json(report)
    else:
        pairs = [("Environment", f"{environment.label}  {report['base_url']}")]
        for mode in ("test", "live"):
            pairs.append(
                (f"{mode} secret key", _slot_text(keys[mode]["secret_key"], mode, "secret_key"))
            )
            pairs.append(
                (
                    f"{mode} JWS key",
                    _slot_text(keys[mode]["jws_private_key"], mode, "jws_private_key"),
                )
            )
        pairs.append(
            (
                "Keyring",
                keyring.summary
                + (f"  ({keyring.advice})" if not keyring.available and keyring.advice else ""),
            )
        )
        if reach.get("ok"):
            pairs.append(
                (
                    "Reachability",
                    f"OK in {reach['elapsed_ms']} ms: {reach.get('organization') or 'organisation'}"
                    f", {reach['accounts']} accounts, {reach.get('mode')} mode, key {reach['key']}",
                )
            )
        else:
            pairs.append(("Reachability", f"FAILED: {reach.get('error')}"))
        if reach.get("jws_fingerprint"):
            pairs.append(
                ("Signing with", f"{reach['jws_fingerprint']}  from {reach['jws_source']}")
            )
        count = len(unresolved)
        journal_text = f"{journal_path}: " + (
            "nothing unresolved"
            if not count
            else f"{count} unresolved (`fintoc-tui journal` lists them, "
            "`fintoc-tui journal resolve` settles them)"
        )
        pairs.append(("Journal", journal_text))
        print_pairs(pairs)
    if not reach.get("ok"):
        return ExitCode.REFUSED if reach.get("code") else ExitCode.ERROR
    return ExitCode.OK
