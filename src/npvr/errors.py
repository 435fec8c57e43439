"""One exception hierarchy for npvr.

Every error that can reach an end user is an :class:`NpvrError`. It carries where the problem
is (file, line, field) and a message in Dutch, optionally also in English, so that each face
(CLI, report, web) turns it into user output in exactly one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in bulk input: where it is and what is wrong (frictionless style)."""

    message: str
    file: str | None = None
    row: int | None = None
    field: str | None = None
    sheet: str | None = None
    severity: str = "error"  # "error" blocks the write, "warning" does not
    message_en: str | None = None

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f"blad '{self.sheet}'")
        if self.row is not None:
            parts.append(f"regel {self.row}")
        if self.field:
            parts.append(f"veld '{self.field}'")
        return ", ".join(parts)

    def render(self, lang: str = "nl") -> str:
        text = self.message_en if (lang == "en" and self.message_en) else self.message
        loc = self.location()
        return f"{loc}: {text}" if loc else text


class NpvrError(Exception):
    """Base class: a problem the user can fix, with its location."""

    def __init__(
        self,
        message: str,
        *,
        en: str | None = None,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = en
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field

    def render(self, lang: str = "nl") -> str:
        text = self.message_en if (lang == "en" and self.message_en) else self.message
        where = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"regel {self.line}" if lang == "nl" else f"line {self.line}")
        if self.field:
            where.append(f"veld '{self.field}'" if lang == "nl" else f"field '{self.field}'")
        return f"{', '.join(where)}: {text}" if where else text

    def to_dict(self) -> dict[str, object]:
        """The one fixed JSON error shape used by the web face and `--json`."""
        return {
            "error": type(self).__name__,
            "message": self.message,
            "message_en": self.message_en,
            "file": self.file,
            "line": self.line,
            "field": self.field,
        }


class ConfigError(NpvrError):
    """A YAML config (region file, index config, policy) is malformed or inconsistent."""


class DataError(NpvrError):
    """The snapshot or a raw source file is missing, corrupt or inconsistent."""


class UnknownAreaError(NpvrError):
    """An area code or name does not exist in the 2025 division."""


class OutputError(NpvrError):
    """An output folder or file cannot be written."""


class ValidationError(NpvrError):
    """Bulk input failed validation; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem], *, file: str | Path | None = None) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        head = f"{len(errors)} probleem/problemen gevonden, niets is opgeslagen"
        body = "\n".join("  - " + p.render() for p in self.problems)
        en_body = "\n".join("  - " + p.render("en") for p in self.problems)
        super().__init__(
            f"{head}:\n{body}",
            en=f"{len(errors)} problem(s) found, nothing was saved:\n{en_body}",
            file=file,
        )

    def to_dict(self) -> dict[str, object]:
        d = super().to_dict()
        d["problems"] = [p.__dict__ for p in self.problems]
        return d


class ConflictError(NpvrError):
    """An optimistic-locking conflict: somebody else changed the record first."""
