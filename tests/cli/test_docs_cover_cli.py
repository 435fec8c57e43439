"""Every command and option of the CLI is documented (README.md or docs/) and has help text.

A command is documented by a markdown heading ``npvr <command>`` or a line mentioning it; each of its
options must appear in that heading's section or on a line that mentions the command.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from npvr.cli import app

REPO = Path(__file__).resolve().parents[2]


def _docs() -> list[str]:
    files = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    return [f.read_text(encoding="utf-8") for f in files]


def _commands(group=None, prefix=()):
    group = group or get_command(app)
    for name, cmd in sorted(group.commands.items()):
        yield (*prefix, name), cmd
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, (*prefix, name))


def _mention(path: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"npvr\s+" + r"\s+".join(map(re.escape, path)) + r"(?![\w-])")


def _places(path: tuple[str, ...], docs: list[str]) -> list[str]:
    """The doc sections headed by the command and the lines that mention it."""
    pattern = _mention(path)
    places = []
    for text in docs:
        for section in re.split(r"\n(?=#{1,6} )", text):
            heading = section.split("\n", 1)[0].replace("`", "")
            if (
                heading.startswith("#")
                and pattern.search(heading)
                and pattern.sub("", heading).strip("# ") == ""
            ):
                places.append(section)
        places.extend(line for line in text.splitlines() if pattern.search(line))
    return places


def _options(cmd):
    for param in cmd.params:
        if param.param_type_name == "option" and param.name != "help":
            yield max(param.opts, key=len), param


def test_every_command_is_documented_with_help():
    docs = _docs()
    missing = [" ".join(p) for p, _ in _commands() if not _places(p, docs)]
    assert not missing, f"commands not in README.md or docs/: {missing}"
    no_help = [" ".join(p) for p, cmd in _commands() if not (cmd.help or "").strip()]
    assert not no_help, f"commands without help text: {no_help}"


def test_every_option_is_documented_with_help():
    docs = _docs()
    missing, no_help = [], []
    for path, cmd in _commands():
        places = _places(path, docs)
        for opt, param in _options(cmd):
            if not (param.help or "").strip():
                no_help.append(f"npvr {' '.join(path)} {opt}")
            if not any(re.search(re.escape(opt) + r"(?![\w-])", p) for p in places):
                missing.append(f"npvr {' '.join(path)} {opt}")
    root = get_command(app)
    for opt, param in _options(root):
        if not any(re.search(r"npvr " + re.escape(opt) + r"(?![\w-])", d) for d in docs):
            missing.append(f"npvr {opt}")
        if not (param.help or "").strip():
            no_help.append(f"npvr {opt}")
    assert not no_help, f"options without help text: {no_help}"
    assert not missing, f"options not documented with their command: {missing}"


def test_every_argument_has_help():
    no_help = [
        f"{' '.join(path)} {param.name}"
        for path, cmd in _commands()
        for param in cmd.params
        if param.param_type_name == "argument" and not (getattr(param, "help", None) or "").strip()
    ]
    assert not no_help, f"arguments without help text: {no_help}"
