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

    def location(self, lang: str = "nl") -> str:
        en = lang == "en"
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'" if en else f"blad '{self.sheet}'")
        if self.row is not None:
            parts.append(f"line {self.row}" if en else f"regel {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'" if en else f"veld '{self.field}'")
        return ", ".join(parts)

    def render(self, lang: str = "nl") -> str:
        text = self.message_en if (lang == "en" and self.message_en) else self.message
        loc = self.location(lang)
        return f"{loc}: {text}" if loc else text

    def to_dict(self) -> dict[str, object]:
        return {
            "message": self.message,
            "message_en": self.message_en,
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "sheet": self.sheet,
            "severity": self.severity,
        }


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


MAX_LISTED = 50  # a refusal lists at most this many problems; the full list goes to a file on request


class ValidationError(NpvrError):
    """Bulk input failed validation; carries every problem found, not just the first.

    The message lists the first :data:`MAX_LISTED` problems and the total count, so a refusal stays
    readable; :meth:`write_problems` writes the full list (the CLI's ``--problems FILE``).
    ``line`` and ``field`` are those of the first problem, for callers that point at one place.
    """

    def __init__(self, problems: Iterable[Problem], *, file: str | Path | None = None) -> None:
        self.problems = list(problems)
        n_errors = sum(p.severity == "error" for p in self.problems)
        n = len(self.problems)
        shown = self.problems[:MAX_LISTED]
        body = "\n".join("  - " + p.render() for p in shown)
        en_body = "\n".join("  - " + p.render("en") for p in shown)
        if n > MAX_LISTED:
            body += f"\n  … en nog {n - MAX_LISTED} (volledige lijst: npvr --problems BESTAND …)"
            en_body += f"\n  … and {n - MAX_LISTED} more (full list: npvr --problems FILE …)"
        super().__init__(
            f"{n_errors} probleem/problemen gevonden, niets is opgeslagen:\n{body}",
            en=f"{n_errors} problem(s) found, nothing was saved:\n{en_body}",
            file=file,
        )
        first = self.problems[0] if self.problems else None
        self.line = first.row if first is not None else None
        self.field = first.field if first is not None else None
        if self.file is None and first is not None and first.file:
            self.file = str(first.file)

    def render(self, lang: str = "nl") -> str:
        """The message alone: every listed problem already names its file, line and field."""
        return self.message_en if (lang == "en" and self.message_en) else self.message

    def to_dict(self) -> dict[str, object]:
        d = super().to_dict()
        d["n_problems"] = len(self.problems)
        d["problems"] = [p.to_dict() for p in self.problems[:MAX_LISTED]]
        return d

    def write_problems(self, path: str | Path) -> Path:
        """Write every problem (not only the first 50) as a UTF-8 CSV, atomically."""
        import csv
        import io

        from npvr.output import write_text

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        cols = ["file", "sheet", "row", "field", "severity", "message", "message_en"]
        w.writerow(cols)
        for p in self.problems:
            d = p.to_dict()
            w.writerow(["" if d[c] is None else d[c] for c in cols])
        return write_text(Path(path), buf.getvalue(), replace=True)


class ConfigValidationError(ValidationError, ConfigError):
    """Several problems in one YAML config: a ValidationError that is also a ConfigError."""


class ConflictError(NpvrError):
    """An optimistic-locking conflict: somebody else changed the record first."""
