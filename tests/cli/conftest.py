"""Run `tix` in-process against a test runtime, as a user would type it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import click
import click.testing
import pytest
import typer.main
from typer.testing import CliRunner

from tix.cli.app import app
from tix.cli.state import CliState


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@cache
def _command() -> click.Command:
    """The Typer app as the click command it becomes, built once: typer.testing's runner
    builds it afresh for every call, most of a short command's time in these tests."""
    return typer.main.get_command(app)


class Tix:
    def __init__(self, runtime) -> None:
        self.runtime = runtime
        self._runner = CliRunner()  # typer's: takes the app, for tests that call it so
        self._click = click.testing.CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None) -> Outcome:
        result = self._click.invoke(_command(), list(args),
                                    obj=CliState(runtime=self.runtime), input=input,
                                    catch_exceptions=False)
        return Outcome(result.exit_code, result.stdout, result.stderr)

    def login(self, email: str, password: str) -> Outcome:
        return self("login", "--email", email, "--password-stdin", input=password + "\n")


@pytest.fixture
def tix(runtime) -> Tix:
    return Tix(runtime)


@pytest.fixture
def tix_sqlite(sqlite_runtime) -> Tix:
    """For CLI rules that do not depend on the database."""
    return Tix(sqlite_runtime)
