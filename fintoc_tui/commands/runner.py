"""Dispatch a parsed command line, and turn every error into one line and an exit status."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from fintoc_tui.commands.connection import CommandError
from fintoc_tui.commands.exit_codes import ExitCode
from fintoc_tui.commands.output import describe_fintoc_error, error, json_started, write_json


def _handler(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    command = args.command
    if command == "accounts":
        from fintoc_tui.commands.accounts import run_accounts

        return run_accounts
    if command == "transfers":
        from fintoc_tui.commands.transfers import run_export, run_get, run_list

        action = args.transfers_command
        if action == "create":
            from fintoc_tui.commands.create import run_create

            return run_create
        return {
            "list": run_list,
            "get": run_get,
            "export": run_export,
        }[action]
    if command == "doctor":
        from fintoc_tui.commands.doctor import run_doctor

        return run_doctor
    if command == "journal":
        from fintoc_tui.commands.journal import run_journal

        return run_journal
    if command == "batch":
        from fintoc_tui.commands.batch import run_batch

        return run_batch
    raise CommandError(f"unknown command {command!r}")


def exit_code_for(exc: BaseException) -> ExitCode:
    """A `FintocError`'s meaning for a script: refused (4xx), unknown, or not reached."""
    from fintoc_tui.api.errors import (
        AuthenticationError,
        InvalidRequestError,
        OutcomeUnknownError,
    )

    if isinstance(exc, OutcomeUnknownError):
        return ExitCode.UNKNOWN
    if isinstance(exc, InvalidRequestError | AuthenticationError):
        return ExitCode.REFUSED
    return ExitCode.ERROR


def _json_error(args: argparse.Namespace, message: str, code: int, exc: object = None) -> None:
    """With --json, an error is JSON on stdout too (unless the command already wrote some)."""
    if getattr(args, "json", False) and not json_started():
        write_json(
            {
                "error": {
                    "message": message,
                    "code": getattr(exc, "code", None),
                    "param": getattr(exc, "param", None),
                    "status": getattr(exc, "status", None),
                    "exit_code": code,
                }
            }
        )


def run(args: argparse.Namespace) -> int:
    try:
        return int(_handler(args)(args))
    except CommandError as exc:
        error(exc.message)
        _json_error(args, exc.message, int(exc.exit_code))
        return int(exc.exit_code)
    except BrokenPipeError:
        # `fintoc-tui transfers list --all | head`: the reader left; not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return int(ExitCode.OK)
    except KeyboardInterrupt:
        error("interrupted")
        return 130
    except Exception as exc:
        from fintoc_tui.api.errors import FintocError

        if isinstance(exc, FintocError):
            error(describe_fintoc_error(exc))
            _json_error(args, exc.message, int(exit_code_for(exc)), exc)
            return int(exit_code_for(exc))
        if type(exc).__module__ == "fintoc_tui.credentials":
            # CredentialError and kin: a key that is there but wrong (never its value).
            message = getattr(exc, "message", str(exc))
            advice = getattr(exc, "advice", "")
            error(f"{message} {advice}".strip())
            _json_error(args, f"{message} {advice}".strip(), int(ExitCode.INVALID))
            return int(ExitCode.INVALID)
        raise
