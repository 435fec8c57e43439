"""Run an uploaded uitvoeringstoets policy or grenseffectentoets form: write the YAML to a private
temporary folder under its own (sanitised) file name, so the library's messages name the user's
file, call :func:`npvr.impact.run.toets` / :func:`npvr.border.toets.grenstoets`, and render the
downloads with the report's writers (:mod:`npvr.report.toets`)."""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from npvr.errors import ConfigError, NpvrError, ValidationError

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _safe_name(name: str | None, default: str) -> str:
    base = Path(name or default).name
    base = re.sub(r"[^A-Za-z0-9._-]", "_", base)[:80] or default
    return base if base.endswith((".yaml", ".yml")) else base + ".yaml"


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise ConfigError(
            "het bestand is leeg; kies een YAML-bestand of vul de tekst in",
            en="the file is empty; choose a YAML file or fill in the text",
            file=name,
            field="file",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            "het bestand is geen UTF-8-tekst (is het een YAML-bestand?)",
            en="the file is not UTF-8 text (is it a YAML file?)",
            file=name,
            field="file",
        ) from exc


def run_yaml(data: bytes, name: str | None, runner: Callable[[Path], Any], default: str) -> Any:
    """Run ``runner`` on the uploaded text, saved as ``name`` in a temporary folder."""
    fname = _safe_name(name, default)
    text = _decode(data, fname)
    if re.search(r"^regions\s*:", text, flags=re.MULTILINE):
        raise ConfigError(
            "een eigen regiobestand ('regions:') kan niet via de webapp; gebruik de NPVR-afbakening of de "
            "opdrachtregel (npvr toets)",
            en="a custom region file ('regions:') cannot be used in the web app; use the command line",
            file=fname,
            field="regions",
        )
    with tempfile.TemporaryDirectory(prefix="npvr-web-") as tmp:
        path = Path(tmp) / fname
        path.write_text(text, encoding="utf-8")
        try:
            return runner(path)
        except NpvrError as exc:
            raise renamed(exc, str(path), fname) from None


def renamed(exc: NpvrError, tmp: str, name: str) -> NpvrError:
    """The same error naming the user's file instead of the private temporary copy."""

    def fix(text: str | None) -> str | None:
        return text.replace(tmp, name) if text else text

    if isinstance(exc, ValidationError):
        problems = [
            dataclasses.replace(
                p, file=fix(p.file), message=fix(p.message) or "", message_en=fix(p.message_en)
            )
            for p in exc.problems
        ]
        return ValidationError(problems, file=name)
    exc.file = fix(exc.file)
    exc.message = fix(exc.message) or ""
    exc.message_en = fix(exc.message_en)
    exc.args = (exc.message,)
    return exc


def run_toets(data: bytes, name: str | None) -> Any:
    from npvr.impact.run import toets

    return run_yaml(data, name, toets, "beleid.yaml")


def run_grenstoets(data: bytes, name: str | None) -> Any:
    from npvr.border.toets import grenstoets

    return run_yaml(data, name, grenstoets, "grenstoets.yaml")


def download(result: Any, kind: str, fmt: str, lang: str) -> tuple[bytes, str, str]:
    """(content, file name, media type) of the report's HTML or Excel for ``result``."""
    from npvr.report.toets import render_grenstoets, render_toets

    render = render_toets if kind == "toets" else render_grenstoets
    with tempfile.TemporaryDirectory(prefix="npvr-web-") as tmp:
        out = render(result, Path(tmp) / "out", lang=lang)
        name = f"{kind}.{'html' if fmt == 'html' else 'xlsx'}"
        data = (out / name).read_bytes()
    media = (
        "text/html; charset=utf-8"
        if fmt == "html"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return data, name, media


def example(kind: str) -> str:
    """The shipped example the form starts with (when the examples folder is present)."""
    path = EXAMPLES / (
        "policies/vitaliteitsfonds_per_inwoner.yaml"
        if kind == "toets"
        else "grenstoets/grensarbeiders_fiscale_regel.yaml"
    )
    return path.read_text(encoding="utf-8") if path.is_file() else ""
