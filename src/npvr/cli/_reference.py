"""Write docs/cli.md, the reference of every command and option, from the Typer app itself.

    python -m npvr.cli._reference > docs/cli.md

Run it after adding a command or option; ``tests/cli/test_docs_cover_cli.py`` fails until the command
and each option are documented (here or in README.md / another page under docs/) and have help text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

INTRO = """\
# Command-line reference

Every `npvr` command and option, with the help text the command itself shows (`npvr COMMAND --help`).
End-user texts are Dutch; `--lang en` switches a command's output to English where it has one. A test
(`tests/cli/test_docs_cover_cli.py`) fails when a command or option is missing here or in the README.

Common rules:

- Exit code 0 = done; 2 = refused input (a message naming file, line and field; nothing written);
  anything else is a bug — please report it.
- `--json` prints the machine-readable twin of the output on stdout; a refusal with `--json` prints the
  JSON error shape `{"error", "message", "message_en", "file", "line", "field"}` (plus `n_problems` and the
  first 50 `problems` for a list of problems).
- `npvr --problems FILE COMMAND …` writes the full list of problems of a refusal to FILE (CSV); the message
  itself lists at most 50.
- `--regions FILE` replaces the NPVR region set by your own YAML file (same shape as
  `src/npvr/areas/npvr_regions.yaml`); `--variant REGIO:VARIANT` (repeatable) picks a named variant of a
  contested region (confidence C), e.g. `--variant noord-en-oost-groningen:met-midden-groningen`.
  `npvr regions` lists the variants.
- Output files and folders are written atomically; npvr never overwrites a folder it did not create.

"""

NOTES = {
    ("data", "update"): """\
What it needs: network access to the CBS OData API (`opendata.cbs.nl`) and `--source DIR`, the raw folder
of `npvr data build` (the API does not deliver the geometries, reference tables and StatLine exports).
Without `--source` it refuses before any network access. The new snapshot is validated (every file present,
no indicator losing coverage) and swapped in only when complete.""",
}


def _walk(group: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, cmd in sorted(group.commands.items()):
        yield (*prefix, name), cmd
        if hasattr(cmd, "commands"):
            yield from _walk(cmd, (*prefix, name))


def _params(cmd: Any) -> list[tuple[str, str]]:
    rows = []
    for p in cmd.params:
        if p.name == "help":
            continue
        if p.param_type_name == "argument":
            rows.append((str(p.name).upper(), getattr(p, "help", "") or ""))
        else:
            rows.append((", ".join([*p.opts, *p.secondary_opts]), p.help or ""))
    return rows


def reference() -> str:
    """The whole reference as markdown."""
    from typer.main import get_command

    from npvr.cli import app

    root = get_command(app)
    out = [INTRO.rstrip("\n") + "\n", "## npvr (global options)\n"]
    out += [f"- `npvr {opt}`: {text}" for opt, text in _params(root)]
    out.append("")
    for path, cmd in _walk(root):
        out.append(f"## npvr {' '.join(path)}\n")
        out.append((cmd.help or "").strip().split("\n")[0] + "\n")
        rows = _params(cmd)
        if rows:
            out += [f"- `{opt}`: {' '.join(text.split())}" for opt, text in rows]
            out.append("")
        if path in NOTES:
            out += [NOTES[path], ""]
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(reference(), end="")
