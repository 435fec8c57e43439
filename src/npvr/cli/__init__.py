"""The `npvr` command line: parse input, call the library, render. No computation lives here.

Every face module in this package defines ``register(app)``; this module wires them together and
turns any :class:`~npvr.errors.NpvrError` into a one-line message and exit code 2 (the one place).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import typer

from npvr.cli import core, impact, index, loop, register, report
from npvr.errors import NpvrError

app = typer.Typer(
    name="npvr",
    help="npvr: feiten en analyses voor het Nationaal Programma Vitale Regio's (NPVR).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """npvr: feiten en analyses voor het Nationaal Programma Vitale Regio's (NPVR)."""


for _module in (core, index, impact, register, report, loop):
    _module.register(app)


def _lang_from_argv(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang=en" or (arg == "--lang" and argv[i + 1 : i + 2] == ["en"]):
            return "en"
    return "nl"


def _guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a command so any NpvrError becomes a one-line message and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NpvrError as exc:
            lang = "en" if kwargs.get("lang") == "en" else _lang_from_argv(sys.argv)
            typer.echo(("Error: " if lang == "en" else "Fout: ") + exc.render(lang), err=True)
            raise typer.Exit(2) from None

    return wrapper


def _guard_all(typer_app: typer.Typer) -> None:
    for command in typer_app.registered_commands:
        if command.callback is not None:
            command.callback = _guarded(command.callback)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _guard_all(group.typer_instance)


_guard_all(app)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    app(args=argv)
