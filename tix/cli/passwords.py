"""Passwords come from a hidden prompt or stdin, never from an option value (shell history)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tix.core.errors import Invalid

PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from the first line of stdin.")]


def read_password(*, from_stdin: bool, confirm: bool = False, prompt: str = "Password") -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise Invalid("no password on stdin")
        return password
    if not sys.stdin.isatty():
        raise Invalid("no terminal to ask for the password: use --password-stdin")
    value: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    return value
