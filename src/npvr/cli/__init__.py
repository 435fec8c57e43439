"""The `npvr` command line: parse input, call the library, render. No computation lives here.

Every face module in this package defines ``register(app)``; this module wires them together and is
the CLI's one error boundary: an :class:`~npvr.errors.NpvrError` becomes a message on stderr (or, with
``--json``, the documented JSON shape :meth:`~npvr.errors.NpvrError.to_dict` on stdout) and exit
code 2. Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from npvr.cli import core, impact, index, loop, register, report, serve
from npvr.errors import NpvrError, ValidationError

app = typer.Typer(
    name="npvr",
    help="npvr: feiten en analyses voor het Nationaal Programma Vitale Regio's (NPVR).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


_state: dict[str, Path | None] = {"problems": None}


@app.callback()
def _root(
    problems: Annotated[
        Path | None,
        typer.Option(
            "--problems",
            help="Schrijf bij een weigering de volledige lijst problemen (CSV) naar dit bestand; "
            "de melding zelf noemt er hoogstens 50.",
        ),
    ] = None,
) -> None:
    """npvr: feiten en analyses voor het Nationaal Programma Vitale Regio's (NPVR)."""
    _state["problems"] = problems


for _module in (core, index, impact, register, report, loop, serve):
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
            report_error(exc, lang=kwargs.get("lang"), as_json=bool(kwargs.get("as_json")))
            raise typer.Exit(2) from None

    return wrapper


def report_error(exc: NpvrError, *, lang: str | None = None, as_json: bool = False) -> None:
    """Show one NpvrError to the user: JSON on stdout with ``--json``, else a message on stderr."""
    lang = lang if lang in ("nl", "en") else _lang_from_argv(sys.argv)
    problems_file = _state.get("problems")
    if problems_file is not None and isinstance(exc, ValidationError):
        try:
            written = exc.write_problems(problems_file)
            typer.echo(
                f"Full list of problems: {written}"
                if lang == "en"
                else f"Volledige lijst problemen: {written}",
                err=True,
            )
        except NpvrError as write_exc:
            typer.echo(("Error: " if lang == "en" else "Fout: ") + write_exc.render(lang), err=True)
    if as_json:
        typer.echo(json.dumps(exc.to_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(("Error: " if lang == "en" else "Fout: ") + exc.render(lang), err=True)


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
