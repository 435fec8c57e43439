"""Validation of register input as a whole: every problem with its sheet, row and column.

One validator serves the import (rows from a workbook or CSV) and the Python API (one record at
a time), so a rule is written once. Input is a mapping ``sheet -> [(row number, {column: raw
value})]`` with the Dutch column names of :data:`SHEETS`; the result is the parsed records plus
every :class:`~npvr.errors.Problem` (errors block the write, warnings do not).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from npvr.errors import Problem
from npvr.register.models import (
    AMOUNT_KINDS,
    GOALS,
    LEGACY_THEMES,
    MAX_AMOUNT,
    MAX_TEXT,
    PLAN_KINDS,
    PLAN_STATUSES,
    SOURCE_TYPES,
    THEMES,
    Amount,
    FundingSource,
    Measure,
    MeasureGemeente,
    MeasureIndicator,
    Need,
    Plan,
)
from npvr.register.reference import Reference
from npvr.validation import Problems


@dataclass(frozen=True)
class Column:
    """One column of an exchange sheet: Dutch header, record key, value kind, required or not."""

    name: str
    key: str
    kind: str = "str"  # str | int | money | share | date | list
    required: bool = False
    help: str = ""
    max_len: int = MAX_TEXT  # characters; the database column's width (same on every backend)


def _w(attr: Any) -> int:
    """The width of a String column of the model (Text columns: :data:`MAX_TEXT`)."""
    return getattr(attr.property.columns[0].type, "length", None) or MAX_TEXT


#: The exchange format (sheet -> columns). Import, export, docs and the API all read this.
SHEETS: dict[str, tuple[Column, ...]] = {
    "plannen": (
        Column(
            "code",
            "code",
            required=True,
            help="unieke code van het plan, bijv. ACH-RP",
            max_len=_w(Plan.code),
        ),
        Column(
            "regio",
            "region",
            required=True,
            help="NPVR-regio-id, bijv. achterhoek",
            max_len=_w(Plan.region_id),
        ),
        Column("soort", "kind", required=True, help=" | ".join(PLAN_KINDS), max_len=_w(Plan.kind)),
        Column("titel", "title", required=True, max_len=_w(Plan.title)),
        Column("status", "status", required=True, help=" | ".join(PLAN_STATUSES), max_len=_w(Plan.status)),
        Column("datum_status", "status_date", "date", help="datum van de status (JJJJ-MM-DD)"),
        Column("toelichting", "note"),
        Column("versie", "version", "int", help="versie bij export; bij import wordt hierop gecontroleerd"),
    ),
    "maatregelen": (
        Column(
            "code",
            "code",
            required=True,
            help="unieke code van de maatregel, bijv. ACH-01",
            max_len=_w(Measure.code),
        ),
        Column("regio", "region", required=True, max_len=_w(Measure.region_id)),
        Column(
            "plan",
            "plan",
            help="code van het plan (blad plannen) waar de maatregel onder valt",
            max_len=_w(Plan.code),
        ),
        Column("titel", "title", required=True, max_len=_w(Measure.title)),
        Column("omschrijving", "description"),
        Column("thema", "theme", required=True, help=" | ".join(THEMES), max_len=_w(Measure.theme)),
        Column("doel", "goal", help=" | ".join(GOALS), max_len=_w(Measure.goal)),
        Column(
            "gemeenten",
            "gemeenten",
            "list",
            help="GM-codes, gescheiden door komma's",
            max_len=_w(MeasureGemeente.gm_code),
        ),
        Column(
            "indicatoren",
            "indicators",
            "list",
            help="indicator-id's uit de catalogus",
            max_len=_w(MeasureIndicator.indicator_id),
        ),
        Column("versie", "version", "int", help="versie bij export; bij import wordt hierop gecontroleerd"),
    ),
    "bedragen": (
        Column("maatregel", "measure", required=True, help="code van de maatregel", max_len=_w(Measure.code)),
        Column("jaar", "year", "int", required=True),
        Column("soort", "kind", required=True, help=" | ".join(AMOUNT_KINDS), max_len=_w(Amount.kind)),
        Column(
            "bron",
            "source_type",
            required=True,
            help=" | ".join(SOURCE_TYPES),
            max_len=_w(FundingSource.source_type),
        ),
        Column(
            "partij",
            "party",
            help="departement, provincie, EU-fonds of partij",
            max_len=_w(FundingSource.party),
        ),
        Column("regeling", "scheme", help="naam van de regeling", max_len=_w(FundingSource.scheme)),
        Column("bedrag", "amount", "money", required=True, help="euro's met centen, bijv. 1250000.00"),
        Column("cofinancieringsaandeel", "cofinancing_share", "share", help="aandeel 0..1, bijv. 0.5"),
        Column("versie", "version", "int", help="versie bij export; bij import wordt hierop gecontroleerd"),
    ),
    "behoefte": (
        Column("regio", "region", required=True, max_len=_w(Need.region_id)),
        Column(
            "thema",
            "theme",
            help="leeg = de overige thema's samen (alle thema's als er geen behoefte per thema is)",
            max_len=_w(Need.theme),
        ),
        Column("jaar", "year", "int", required=True),
        Column("bedrag", "amount", "money", required=True),
        Column("bron", "source", help="waar het bedrag vandaan komt"),
        Column("versie", "version", "int", help="versie bij export; bij import wordt hierop gecontroleerd"),
    ),
}

GM_RE = re.compile(r"^GM\d{4}$")
CENT = Decimal("0.01")
SHARE_Q = Decimal("0.0001")

Rows = Sequence[tuple[int | None, Mapping[str, Any]]]


@dataclass
class Existing:
    """What is already in the register, as far as validation needs it."""

    plans: dict[str, tuple[str, int]] = field(default_factory=dict)  # code -> (region, version)
    measures: dict[str, tuple[str, int]] = field(default_factory=dict)  # code -> (region, version)
    # (measure, year, source_type, party, scheme, kind) -> amount, and -> version
    amounts: dict[tuple[str, int, str, str, str, str], Decimal] = field(default_factory=dict)
    amount_versions: dict[tuple[str, int, str, str, str, str], int] = field(default_factory=dict)
    needs: dict[tuple[str, str, int], int] = field(default_factory=dict)  # (region, theme, year) -> version


@dataclass
class Batch:
    """Parsed records per sheet, each with its ``row`` number."""

    plannen: list[dict[str, Any]] = field(default_factory=list)
    maatregelen: list[dict[str, Any]] = field(default_factory=list)
    bedragen: list[dict[str, Any]] = field(default_factory=list)
    behoefte: list[dict[str, Any]] = field(default_factory=list)

    def size(self) -> int:
        return len(self.plannen) + len(self.maatregelen) + len(self.bedragen) + len(self.behoefte)


# --- value parsing ---------------------------------------------------------------------------------


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)


class OutOfRange(ValueError):
    """A number that parses but is too large (or not finite) for the register."""


#: Digits before the decimal point beyond which a number is refused before any arithmetic
#: (a Decimal like 1e999999999 would otherwise take minutes and gigabytes to quantize or int()).
_MAX_ADJUSTED = 15


def parse_decimal(v: Any) -> Decimal:
    """A finite number from a cell: int, float (from Excel), Decimal, or text with . or , as decimal mark.

    NaN and infinity are refused (ValueError), and so is anything with more than 15 digits before
    the decimal point (:class:`OutOfRange`), before it reaches Decimal arithmetic.
    """
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, Decimal):
        d = v
    elif isinstance(v, int):
        if abs(v) >= 10**_MAX_ADJUSTED:
            raise OutOfRange(v)
        d = Decimal(v)
    elif isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError(v)
        d = Decimal(repr(v))  # shortest repr: 1234.56 stays 1234.56
    else:
        s = str(v).strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
        if len(s) > 64:
            raise ValueError(v)
        if "," in s and "." in s:  # 1.234.567,89 (Dutch) or 1,234,567.89 (English)
            s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
        elif "," in s:
            s = s.replace(",", ".")
        try:
            d = Decimal(s)
        except InvalidOperation as exc:
            raise ValueError(v) from exc
    if not d.is_finite():
        raise ValueError(v)
    if d and d.adjusted() >= _MAX_ADJUSTED:
        raise OutOfRange(v)
    return d


def _parse(col: Column, v: Any) -> Any:
    if col.kind == "str":
        return str(v).strip() if not isinstance(v, float | int) else _num_text(v)
    if col.kind == "int":
        d = parse_decimal(v)
        if d != d.to_integral_value():
            raise ValueError(v)
        if abs(d) > 2**31 - 1:
            raise OutOfRange(v)
        return int(d)
    if col.kind == "money":
        d = parse_decimal(v)
        q = d.quantize(CENT)
        if q != d:
            raise ValueError(v)
        if abs(q) > MAX_AMOUNT:
            raise OutOfRange(v)
        return q
    if col.kind == "share":
        d = parse_decimal(v)
        q = d.quantize(SHARE_Q)
        if q != d:
            raise ValueError(v)
        return q
    if col.kind == "date":
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        return dt.date.fromisoformat(str(v).strip()[:10])
    if col.kind == "list":
        items = v if isinstance(v, list | tuple | set | frozenset) else re.split(r"[,;\s]+", str(v))
        return sorted({str(i).strip() for i in items if str(i).strip()})
    raise AssertionError(col.kind)  # pragma: no cover - programming error, not user input


def _num_text(v: float | int) -> str:
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    return str(int(v)) if float(v).is_integer() else repr(v)


_KIND_NL = {
    "int": ("een geheel getal", "a whole number"),
    "money": ("een bedrag in euro's met hoogstens twee decimalen", "an amount in euros, at most 2 decimals"),
    "share": ("een aandeel tussen 0 en 1 (hoogstens 4 decimalen)", "a share between 0 and 1 (≤4 decimals)"),
    "date": ("een datum JJJJ-MM-DD", "a date YYYY-MM-DD"),
}
_RANGE = {
    "int": ("te groot voor een geheel getal in het register", "too large for a whole number in the register"),
    "money": (
        "groter dan het maximum van € 1.000.000.000.000 (10^12 euro)",
        "larger than the maximum of € 1,000,000,000,000 (10^12 euro)",
    ),
    "share": ("geen aandeel tussen 0 en 1", "not a share between 0 and 1"),
}


def _text_problem(col: Column, value: Any) -> tuple[str, str] | None:
    """NUL characters and over-long text are refused here, so every backend takes the same input."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, str):
            continue
        if "\x00" in item:
            return ("bevat een NUL-teken (\\0); verwijder het", "contains a NUL character (\\0); remove it")
        if len(item) > col.max_len:
            return (
                f"is te lang: {len(item)} tekens, hoogstens {col.max_len}",
                f"is too long: {len(item)} characters, at most {col.max_len}",
            )
    return None


def _short(v: Any) -> str:
    """A value quoted in a message, cut so one bad cell cannot make a message of megabytes."""
    text = str(v).replace("\x00", "\\0")
    return text if len(text) <= 60 else text[:57] + "…"


# --- the validator -------------------------------------------------------------------------------


class _Collector:
    """The register's short call onto the one problem collector (:class:`npvr.validation.Problems`)."""

    def __init__(self, file: str | None) -> None:
        self.collected = Problems(file)

    def add(
        self, sheet: str, row: int | None, fld: str | None, nl: str, en: str, severity: str = "error"
    ) -> None:
        self.collected.add(nl, en, row=row, field=fld, sheet=sheet, severity=severity)

    @property
    def problems(self) -> list[Problem]:
        return self.collected.items


def validate(
    raw: Mapping[str, Rows],
    ref: Reference,
    existing: Existing | None = None,
    *,
    file: str | None = None,
) -> tuple[Batch, list[Problem]]:
    """Parse and check every row of every sheet; returns the batch and all problems found."""
    existing = existing or Existing()
    out = _Collector(file)
    batch = Batch()
    for sheet, rows in raw.items():
        cols = SHEETS[sheet]
        recs: list[dict[str, Any]] = [{"row": row} for row, _values in rows]
        found: list[tuple[int, int, int, str, str]] = []  # (position, column, …) to report in row order
        for ci, col in enumerate(cols):  # one pass per column; each distinct cell value is parsed once
            parsed = _parse_column(col, [values.get(col.name) for _r, values in rows])
            for pos, (rec, (value, problem)) in enumerate(zip(recs, parsed, strict=True)):
                rec[col.key] = list(value) if isinstance(value, list) else value
                if problem is not None:
                    if problem is _MISSING:
                        problem = (
                            f"'{col.name}' ontbreekt" + _thema_hint(sheet, col),
                            f"'{col.name}' is missing",
                        )
                    found.append((pos, ci, 0, *problem))
        for pos, ci, _z, nl, en in sorted(found):
            out.add(sheet, recs[pos]["row"], cols[ci].name, nl, en)
        getattr(batch, sheet).extend(recs)

    _check_plans(batch, ref, existing, out)
    _check_measures(batch, ref, existing, out)
    _check_amounts(batch, ref, existing, out)
    _check_needs(batch, ref, existing, out)
    return batch, out.problems


_Problem = tuple[str, str] | None
_MISSING = ("missing", "")


def _parse_column(col: Column, cells: Sequence[Any]) -> list[tuple[Any, _Problem]]:
    """Parse one column: (value, problem) per cell; identical cells share one parse (memo)."""
    memo: dict[tuple[type, Any], tuple[Any, _Problem]] = {}
    out: list[tuple[Any, _Problem]] = []
    for v in cells:
        try:
            key = (v.__class__, v)
            hit = memo.get(key)
        except TypeError:  # unhashable (a list from the API)
            key, hit = None, None
        if hit is None:
            hit = _parse_cell(col, v)
            if key is not None:
                memo[key] = hit
        out.append(hit)
    return out


def _parse_cell(col: Column, v: Any) -> tuple[Any, _Problem]:
    if _blank(v):
        empty: list[str] | None = [] if col.kind == "list" else None
        return empty, (_MISSING if col.required else None)
    try:
        value = _parse(col, v)
    except OutOfRange:
        nl, en = _RANGE.get(col.kind, ("te groot", "too large"))
        return None, (f"'{_short(v)}' is {nl}", f"'{_short(v)}' is {en}")
    except (ValueError, TypeError, ArithmeticError):
        nl, en = _KIND_NL.get(col.kind, ("tekst", "text"))
        return None, (f"'{_short(v)}' is geen {nl}", f"'{_short(v)}' is not {en}")
    bad = _text_problem(col, value)
    if bad is not None:
        return None, (f"'{_short(v)}' {bad[0]}", f"'{_short(v)}' {bad[1]}")
    return value, None


def _thema_hint(sheet: str, col: Column) -> str:
    if sheet == "maatregelen" and col.key == "theme":
        return f" (een maatregel heeft altijd een thema: {', '.join(THEMES)})"
    return ""


def _check_choice(
    out: _Collector, sheet: str, rec: dict[str, Any], key: str, col: str, allowed: Sequence[str]
) -> None:
    v = rec.get(key)
    if v is not None and v not in allowed:
        out.add(
            sheet,
            rec["row"],
            col,
            f"'{v}' is geen geldige waarde; kies uit {', '.join(allowed)}",
            f"'{v}' is not valid; choose from {', '.join(allowed)}",
        )


def _check_region(out: _Collector, sheet: str, rec: dict[str, Any], ref: Reference) -> None:
    v = rec.get("region")
    if v is not None and v not in ref.regions:
        out.add(
            sheet,
            rec["row"],
            "regio",
            f"onbekende regio '{v}'; bekende NPVR-regio's: {', '.join(sorted(ref.regions))}",
            f"unknown region '{v}'; known NPVR regions: {', '.join(sorted(ref.regions))}",
        )


def _check_year(out: _Collector, sheet: str, rec: dict[str, Any], ref: Reference) -> None:
    y = rec.get("year")
    lo, hi = ref.period
    if y is not None and not lo <= y <= hi:
        out.add(
            sheet,
            rec["row"],
            "jaar",
            f"jaar {y} valt buiten de programmaperiode {lo}–{hi}",
            f"year {y} is outside the programme period {lo}–{hi}",
        )


def _check_unique(out: _Collector, sheet: str, recs: list[dict[str, Any]], keys: tuple[str, ...]) -> None:
    seen: dict[tuple[Any, ...], int | None] = {}
    for rec in recs:
        k = tuple(rec.get(x) for x in keys)
        if any(x is None for x in k[:1]):
            continue
        if k in seen:
            label = " / ".join(str(x) for x in k if x is not None)
            out.add(
                sheet,
                rec["row"],
                None,
                f"dubbele regel: {label} staat ook op regel {seen[k]}",
                f"duplicate row: {label} also on row {seen[k]}",
            )
        else:
            seen[k] = rec["row"]


def _check_version(
    out: _Collector, sheet: str, rec: dict[str, Any], known: dict[str, tuple[str, int]]
) -> None:
    code, version = rec.get("code"), rec.get("version")
    if code in known and version is not None and version != known[code][1]:
        out.add(
            sheet,
            rec["row"],
            "versie",
            f"'{code}' is intussen gewijzigd (versie in het register: {known[code][1]}, in het bestand: "
            f"{version}); exporteer opnieuw en breng uw wijziging daarin aan",
            f"'{code}' was changed meanwhile (register version {known[code][1]}, file {version}); "
            "export again and re-apply your change",
        )


def _check_row_version(
    out: _Collector, sheet: str, rec: dict[str, Any], known: int | None, label: str
) -> None:
    """A row exported with its version may only be imported while the register still has it."""
    version = rec.get("version")
    if version is not None and known is not None and version != known:
        out.add(
            sheet,
            rec["row"],
            "versie",
            f"'{label}' is intussen gewijzigd (versie in het register: {known}, in het bestand: {version}); "
            "exporteer opnieuw en breng uw wijziging daarin aan",
            f"'{label}' was changed meanwhile (register version {known}, file {version}); "
            "export again and re-apply your change",
        )


def _legacy_theme(out: _Collector, sheet: str, rec: dict[str, Any]) -> None:
    """Theme words of registers before the one theme list are read as their catalogue theme."""
    old = rec.get("theme")
    if old in LEGACY_THEMES and old not in THEMES:
        rec["theme"] = LEGACY_THEMES[old]
        out.add(
            sheet,
            rec["row"],
            "thema",
            f"thema '{old}' heet nu '{rec['theme']}' (de thema's van de indicatorcatalogus)",
            f"theme '{old}' is now '{rec['theme']}' (the themes of the indicator catalogue)",
            severity="warning",
        )


def _check_plans(batch: Batch, ref: Reference, existing: Existing, out: _Collector) -> None:
    s = "plannen"
    _check_unique(out, s, batch.plannen, ("code",))
    for rec in batch.plannen:
        _check_region(out, s, rec, ref)
        _check_choice(out, s, rec, "kind", "soort", PLAN_KINDS)
        _check_choice(out, s, rec, "status", "status", tuple(PLAN_STATUSES))
        _check_version(out, s, rec, existing.plans)
        code = rec.get("code")
        if code in existing.plans and rec.get("region") and existing.plans[code][0] != rec["region"]:
            out.add(
                s,
                rec["row"],
                "regio",
                f"plan '{code}' hoort bij regio '{existing.plans[code][0]}', niet bij '{rec['region']}'",
                f"plan '{code}' belongs to region '{existing.plans[code][0]}', not '{rec['region']}'",
            )


def _check_measures(batch: Batch, ref: Reference, existing: Existing, out: _Collector) -> None:
    s = "maatregelen"
    _check_unique(out, s, batch.maatregelen, ("code",))
    plan_region = {code: reg for code, (reg, _v) in existing.plans.items()}
    plan_region.update({r["code"]: r["region"] for r in batch.plannen if r.get("code")})
    for rec in batch.maatregelen:
        row = rec["row"]
        _check_region(out, s, rec, ref)
        _legacy_theme(out, s, rec)
        _check_choice(out, s, rec, "theme", "thema", THEMES)
        _check_choice(out, s, rec, "goal", "doel", tuple(GOALS))
        _check_version(out, s, rec, existing.measures)
        plan = rec.get("plan")
        if plan is not None:
            if plan not in plan_region:
                out.add(s, row, "plan", f"onbekend plan '{plan}'", f"unknown plan '{plan}'")
            elif rec.get("region") and plan_region[plan] != rec["region"]:
                out.add(
                    s,
                    row,
                    "plan",
                    f"plan '{plan}' hoort bij regio '{plan_region[plan]}', "
                    f"de maatregel bij '{rec['region']}'",
                    f"plan '{plan}' belongs to region '{plan_region[plan]}', "
                    f"the measure to '{rec['region']}'",
                )
        members = ref.regions.get(rec.get("region") or "", frozenset())
        for gm in rec.get("gemeenten") or []:
            if not GM_RE.match(gm) or (ref.gemeenten is not None and gm not in ref.gemeenten):
                out.add(
                    s,
                    row,
                    "gemeenten",
                    f"onbekende gemeente '{gm}' (verwacht een GM-code uit de indeling 2025, bijv. GM0197)",
                    f"unknown gemeente '{gm}' (expected a GM code of the 2025 division, e.g. GM0197)",
                )
            elif members and gm not in members:
                out.add(
                    s,
                    row,
                    "gemeenten",
                    f"gemeente {gm} hoort niet bij regio '{rec['region']}'",
                    f"gemeente {gm} is not a member of region '{rec['region']}'",
                    severity="warning",
                )
        if ref.indicators is not None:
            for ind in rec.get("indicators") or []:
                if ind not in ref.indicators:
                    out.add(
                        s,
                        row,
                        "indicatoren",
                        f"onbekende indicator '{ind}' (zie 'npvr indicators')",
                        f"unknown indicator '{ind}' (see 'npvr indicators')",
                    )


def amount_key(rec: Mapping[str, Any]) -> tuple[str, int, str, str, str, str]:
    return (
        rec["measure"],
        rec["year"],
        rec["source_type"],
        rec.get("party") or "",
        rec.get("scheme") or "",
        rec["kind"],
    )


def _check_amounts(batch: Batch, ref: Reference, existing: Existing, out: _Collector) -> None:
    s = "bedragen"
    measures = set(existing.measures) | {r["code"] for r in batch.maatregelen if r.get("code")}
    merged = dict(existing.amounts)
    where: dict[tuple[Any, ...], int | None] = {}
    _check_unique(out, s, batch.bedragen, ("measure", "year", "source_type", "party", "scheme", "kind"))
    for rec in batch.bedragen:
        row = rec["row"]
        _check_year(out, s, rec, ref)
        _check_choice(out, s, rec, "kind", "soort", tuple(AMOUNT_KINDS))
        _check_choice(out, s, rec, "source_type", "bron", tuple(SOURCE_TYPES))
        m = rec.get("measure")
        if m is not None and m not in measures:
            out.add(
                s,
                row,
                "maatregel",
                f"onbekende maatregel '{m}' (niet in het register en niet op blad maatregelen)",
                f"unknown measure '{m}' (not in the register nor on sheet maatregelen)",
            )
        amt = rec.get("amount")
        if amt is not None and amt < 0:
            out.add(s, row, "bedrag", f"negatief bedrag {amt}", f"negative amount {amt}")
        share = rec.get("cofinancing_share")
        if share is not None and not Decimal(0) <= share <= Decimal(1):
            out.add(
                s,
                row,
                "cofinancieringsaandeel",
                f"aandeel {share} ligt niet tussen 0 en 1",
                f"share {share} is not between 0 and 1",
            )
        st = rec.get("source_type")
        if st == "rijk" and (not rec.get("party") or not rec.get("scheme")):
            out.add(
                s,
                row,
                "partij" if not rec.get("party") else "regeling",
                "bij bron 'rijk' horen het departement (partij) en de regeling",
                "source 'rijk' needs the department (partij) and the scheme (regeling)",
            )
        if st == "eu" and not rec.get("party"):
            out.add(
                s, row, "partij", "bij bron 'eu' hoort het EU-fonds (partij)", "source 'eu' needs the fund"
            )
        if None not in (m, rec.get("year"), st, rec.get("kind")):
            k = amount_key(rec)
            _check_row_version(out, s, rec, existing.amount_versions.get(k), "/".join(map(str, k)))
        if amt is not None and None not in (m, rec.get("year"), st, rec.get("kind")):
            k = amount_key(rec)
            merged[k] = amt
            where[k[:5]] = row
    committed: dict[tuple[Any, ...], Decimal] = defaultdict(Decimal)
    paid: dict[tuple[Any, ...], Decimal] = defaultdict(Decimal)
    for k, v in merged.items():
        if k[5] == "toegezegd":
            committed[k[:5]] += v
        elif k[5] == "betaald":
            paid[k[:5]] += v
    for k, p in paid.items():
        c = committed.get(k, Decimal(0))
        if p > c and k in where:
            out.add(
                s,
                where[k],
                "bedrag",
                f"betaald ({p}) is hoger dan toegezegd ({c}) voor {k[0]} in {k[1]}",
                f"paid ({p}) exceeds committed ({c}) for {k[0]} in {k[1]}",
                severity="warning",
            )


def _check_needs(batch: Batch, ref: Reference, existing: Existing, out: _Collector) -> None:
    s = "behoefte"
    for rec in batch.behoefte:
        rec["theme"] = rec.get("theme") or ""
        if rec["theme"] in LEGACY_THEMES:
            _legacy_theme(out, s, rec)
    _check_unique(out, s, batch.behoefte, ("region", "theme", "year"))
    for rec in batch.behoefte:
        _check_region(out, s, rec, ref)
        if rec["theme"]:
            _check_choice(out, s, rec, "theme", "thema", THEMES)
        known = existing.needs.get((str(rec.get("region")), rec["theme"], rec.get("year") or 0))
        _check_row_version(out, s, rec, known, f"{rec.get('region')}/{rec['theme'] or '*'}/{rec.get('year')}")
        _check_year(out, s, rec, ref)
        amt = rec.get("amount")
        if amt is not None and amt < 0:
            out.add(s, rec["row"], "bedrag", f"negatief bedrag {amt}", f"negative amount {amt}")
    themed = {(r.get("region"), r.get("year")) for r in batch.behoefte if r["theme"]}
    for rec in batch.behoefte:
        if not rec["theme"] and (rec.get("region"), rec.get("year")) in themed:
            out.add(
                s,
                rec["row"],
                "thema",
                f"voor {rec['region']} in {rec['year']} staat behoefte zonder thema naast behoefte per "
                "thema; de behoefte zonder thema geldt dan voor de overige thema's (zie 'npvr register gap')",
                f"{rec['region']} {rec['year']} has need without a theme next to need per theme; the need "
                "without a theme then covers the other themes (see 'npvr register gap')",
                severity="warning",
            )


def errors(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
