"""One way to validate user input: collect every problem, then raise one ValidationError.

Every parser of a user file (region file, index config, policy, grenstoets form, register import)
uses the same three pieces:

* :class:`Problems` — a collector. ``problems.add(nl, en, loc=(...))`` records one problem with
  file, line/row and field (frictionless style); ``problems.raise_if_any()`` raises one
  :class:`~npvr.errors.ValidationError` (a :class:`~npvr.errors.ConfigValidationError` for YAML,
  so callers catching ``ConfigError`` keep working) listing the first 50 and the total.
* :func:`pydantic_problems` — pydantic's errors in plain Dutch and English, located in the file,
  without pydantic's English or Python class names in the Dutch text.
* :func:`number_problem` / :func:`to_decimal` and the field types :data:`Money`, :data:`Finite`,
  :data:`Share` — user numbers checked for range before any Decimal arithmetic or database write
  (money at most 10^12 euro, no NaN, no infinity).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from npvr.errors import ConfigValidationError, Problem, ValidationError
from npvr.yamlio import YamlDoc, field_name

MAX_EURO = 10**12  # the largest amount of money npvr accepts (one trillion euro)
MAX_ABS = 1e15  # the largest magnitude of any other user number

Money = Annotated[float, Field(ge=0, le=MAX_EURO, allow_inf_nan=False)]
"""An amount in euro from a user file: 0 ≤ x ≤ 10^12, finite."""
Finite = Annotated[float, Field(ge=-MAX_ABS, le=MAX_ABS, allow_inf_nan=False)]
"""Any other user number: finite and within ±10^15."""
NonNegative = Annotated[float, Field(ge=0, le=MAX_ABS, allow_inf_nan=False)]
"""A finite non-negative user number (weights, counts, sizes)."""


class Problems:
    """Collect the problems of one user file; raise them together as one ValidationError.

    Give ``doc`` (a parsed YAML file) to locate problems by key path, or pass ``row``/``field``
    directly for tabular input (CSV, Excel).
    """

    def __init__(
        self, file: str | Path | None = None, *, doc: YamlDoc | None = None, sheet: str | None = None
    ) -> None:
        self.doc = doc
        self.file = str(file) if file is not None else (doc.path or None if doc is not None else None)
        self.sheet = sheet
        self.items: list[Problem] = []

    def add(
        self,
        nl: str,
        en: str | None = None,
        *,
        loc: Sequence[str | int] = (),
        row: int | None = None,
        field: str | None = None,
        sheet: str | None = None,
        severity: str = "error",
    ) -> None:
        """Record one problem; ``loc`` is a key path in the YAML (line and field are derived)."""
        if loc and self.doc is not None and row is None:
            row = self.doc.line(loc)
        if loc and field is None:
            field = field_name(loc)
        self.items.append(
            Problem(
                nl,
                file=self.file,
                row=row,
                field=field,
                sheet=sheet or self.sheet,
                severity=severity,
                message_en=en,
            )
        )

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    def error(self) -> ValidationError:
        """The one exception for everything collected."""
        cls = ConfigValidationError if self.doc is not None else ValidationError
        return cls(self.items, file=self.file)

    def raise_if_any(self) -> None:
        """Raise when any problem of severity "error" was collected (warnings alone pass)."""
        if self.errors:
            raise self.error()


# --- pydantic errors in the user's words --------------------------------------------------------

_TYPES_NL = {
    "string": ("tekst", "text"),
    "int": ("een geheel getal", "a whole number"),
    "float": ("een getal", "a number"),
    "decimal": ("een getal", "a number"),
    "bool": ("ja of nee (true/false)", "yes or no (true/false)"),
    "list": ("een lijst", "a list"),
    "tuple": ("een lijst", "a list"),
    "dict": ("een mapping (sleutel: waarde)", "a mapping (key: value)"),
    "model": ("een mapping (sleutel: waarde)", "a mapping (key: value)"),
    "date": ("een datum (JJJJ-MM-DD)", "a date (YYYY-MM-DD)"),
}


def _show(value: Any) -> str:
    """A user value for a message: short, and never a Python class name."""
    if isinstance(value, dict):
        return "een mapping"
    if isinstance(value, list | tuple):
        return "een lijst"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _show_en(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return _show(value)


def translate(err: Any) -> tuple[str, str]:
    """Dutch and English text for one pydantic error (validator messages: ``"nl || en"``)."""
    kind = str(err.get("type", ""))
    msg = str(err.get("msg", ""))
    ctx = err.get("ctx") or {}
    given = err.get("input")
    if kind == "missing":
        return "verplicht veld ontbreekt", "required field is missing"
    if kind == "extra_forbidden":
        return "onbekend veld (tikfout?)", "unknown field (typo?)"
    if kind in ("finite_number",):
        return "moet een eindig getal zijn (geen nan of inf)", "must be a finite number (no nan or inf)"
    if kind.startswith(("greater_than", "less_than")):
        bound = next(iter(ctx.values()), "")
        ops = {
            "greater_than_equal": ("moet minstens", "must be at least"),
            "greater_than": ("moet groter zijn dan", "must be greater than"),
            "less_than_equal": ("mag hoogstens", "must be at most"),
            "less_than": ("moet kleiner zijn dan", "must be less than"),
        }
        nl, en = ops.get(kind, ("ongeldige waarde", "invalid value"))
        suffix = " zijn" if kind in ("greater_than_equal", "less_than_equal") else ""
        return f"{nl} {bound}{suffix} (gegeven: {_show(given)})", f"{en} {bound} (given: {_show_en(given)})"
    if msg.startswith(("Value error, ", "Assertion failed, ")):
        text = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        nl, _, en = text.partition(" || ")
        return nl, en or nl
    if kind == "literal_error" or kind == "enum":
        expected = str(ctx.get("expected", ""))
        return (
            f"ongeldige waarde {_show(given)}; kies uit {expected.replace(' or ', ' of ')}",
            f"invalid value {_show_en(given)}; choose from {expected}",
        )
    if kind in ("too_short", "too_long"):
        n = ctx.get("min_length" if kind == "too_short" else "max_length", "")
        if kind == "too_short":
            return f"moet minstens {n} element(en) hebben", f"must have at least {n} item(s)"
        return f"mag hoogstens {n} element(en) hebben", f"must have at most {n} item(s)"
    if kind in ("string_too_short", "string_too_long"):
        n = ctx.get("min_length" if kind == "string_too_short" else "max_length", "")
        if kind == "string_too_short":
            return f"tekst moet minstens {n} teken(s) lang zijn", f"text must be at least {n} character(s)"
        return f"tekst mag hoogstens {n} tekens lang zijn", f"text must be at most {n} characters"
    if kind == "string_pattern_mismatch":
        return f"ongeldige tekst {_show(given)}", f"invalid text {_show_en(given)}"
    for prefix, (nl_type, en_type) in _TYPES_NL.items():
        if kind.startswith(prefix + "_") and kind.endswith(("_parsing", "_type", "_from_float")):
            return (
                f"moet {nl_type} zijn (gegeven: {_show(given)})",
                f"must be {en_type} (given: {_show_en(given)})",
            )
    if kind in ("is_instance_of", "model_attributes_type", "dataclass_type"):
        return "verkeerd soort waarde", "wrong kind of value"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return (
            f"verkeerd soort waarde (gegeven: {_show(given)})",
            f"wrong kind of value (given: {_show_en(given)})",
        )
    return f"ongeldige waarde {_show(given)}", f"invalid value {_show_en(given)} ({msg})"


def _is_tag(part: str | int) -> bool:
    """Pydantic union tags look like 'str', 'function-after[...]' or a class name, not YAML keys."""
    s = str(part)
    return (
        s in {"str", "int", "float", "bool", "list[float]"}
        or "[" in s
        or (s[:1].isupper() and s.isidentifier())
    )


def pydantic_problems(
    exc: PydanticValidationError, problems: Problems, prefix: Sequence[str | int] = ()
) -> None:
    """Add every error of a pydantic validation to ``problems``, located by key path."""
    for err in exc.errors():
        loc = [*prefix, *(p for p in err["loc"] if isinstance(p, int) or not _is_tag(p))]
        nl, en = translate(err)
        if nl.startswith("@"):  # a model-level check names its field: "@weights message"
            name, _, nl = nl[1:].partition(" ")
            en = en[1:].partition(" ")[2] if en.startswith("@") else en
            loc.append(name)
        problems.add(nl, en, loc=loc)


# --- user numbers ------------------------------------------------------------------------------


def number_problem(
    value: Any, *, lo: float | None = None, hi: float | None = MAX_ABS, whole: bool = False
) -> tuple[str, str] | None:
    """Why ``value`` is not an acceptable user number (Dutch, English), or None when it is."""
    if isinstance(value, bool) or value is None:
        return "moet een getal zijn", "must be a number"
    try:
        number = Decimal(str(value).strip().replace(" ", "")) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, ValueError, TypeError, OverflowError):
        return (
            f"moet een getal zijn (gegeven: {_show(value)})",
            f"must be a number (given: {_show_en(value)})",
        )
    if not number.is_finite():
        return "moet een eindig getal zijn (geen nan of inf)", "must be a finite number (no nan or inf)"
    if whole and number != number.to_integral_value():
        return "moet een geheel getal zijn", "must be a whole number"
    if lo is not None and number < Decimal(str(lo)):
        return f"moet minstens {lo:g} zijn", f"must be at least {lo:g}"
    if hi is not None and number > Decimal(str(hi)):
        return f"mag hoogstens {hi:g} zijn", f"must be at most {hi:g}"
    return None


def to_decimal(value: Any, *, lo: float | None = 0, hi: float | None = MAX_EURO) -> Decimal:
    """A checked Decimal from a user value (default: money, 0 to 10^12); ValueError "nl || en" otherwise.

    Meant for pydantic validators and parsers that add the message to :class:`Problems`.
    """
    why = number_problem(value, lo=lo, hi=hi)
    if why is not None:
        raise ValueError(f"{why[0]} || {why[1]}")
    if isinstance(value, float):
        if not math.isfinite(value):  # pragma: no cover - excluded above
            raise ValueError("moet een eindig getal zijn || must be a finite number")
        return Decimal(repr(value))
    return Decimal(str(value).strip().replace(" ", "")) if isinstance(value, str) else Decimal(value)
