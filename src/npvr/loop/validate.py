"""Validation of policy-loop input as a whole: every problem with its sheet, row and column.

The same validator serves a workbook import and the Python API (one record at a time), following
the register's mechanism (:mod:`npvr.register.validate`: the same :class:`Column` kinds, value
parsing and problem collector). Input is ``sheet -> [(row number, {column: raw value})]`` with the
Dutch column names of :data:`SHEETS`; errors block the write, warnings do not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from npvr.errors import Problem
from npvr.loop.bridge import ELEMENTS, NEEDS_REASONS, OUTCOMES, STATES, missing_elements
from npvr.loop.models import ADJUSTMENT_KINDS, COUNTRIES, GROUPS, OBSTACLE_KINDS, OBSTACLE_STATUSES
from npvr.register.models import LEGACY_THEMES, THEMES
from npvr.register.reference import Reference
from npvr.register.validate import _KIND_NL, Column, _blank, _parse
from npvr.validation import Problems, number_problem

GM_RE = re.compile(r"^GM\d{4}$")
VERSION = Column("versie", "version", "int", help="versie bij export; bij import wordt hierop gecontroleerd")

#: The exchange format of the policy loop (sheet -> columns). Import, export, docs and API read this.
SHEETS: dict[str, tuple[Column, ...]] = {
    "aanpassingen": (
        Column("code", "code", required=True, help="unieke code, bijv. AANP-2026-01"),
        Column("regeling", "scheme", required=True, help="de landelijke regeling of verdeelsleutel"),
        Column("soort", "kind", required=True, help=" | ".join(ADJUSTMENT_KINDS)),
        Column("wijziging", "change", required=True, help="wat er veranderde"),
        Column("geldt_vanaf", "effective_from", "date", required=True, help="JJJJ-MM-DD"),
        Column("regios", "regions", "list", help="NPVR-regio-id's; leeg = alle NPVR-regio's"),
        Column("indicatoren", "indicators", "list", help="doelindicatoren (id's uit de catalogus)"),
        Column("toets_voor_bestand", "toets_before_file", help="beleidsbestand van de toets vóór"),
        Column("toets_voor_beleid", "toets_before_policy", help="inhoud (YAML) van dat bestand"),
        Column("toets_na_bestand", "toets_after_file", help="beleidsbestand van de toets ná"),
        Column("toets_na_beleid", "toets_after_policy", help="inhoud (YAML) van dat bestand"),
        Column(
            "toets_resultaat", "toets_result", help="euro's per regio vóór en ná (JSON, door npvr gemaakt)"
        ),
        Column("toelichting", "note"),
        VERSION,
    ),
    "lessen": (
        Column("code", "code", required=True, help="unieke code, bijv. LES-ACH-01"),
        Column("regio", "region", required=True, help="NPVR-regio-id"),
        Column("thema", "theme", required=True, help=" | ".join(THEMES)),
        Column("titel", "title", required=True),
        Column("geprobeerd", "tried", help="wat is geprobeerd"),
        Column("werkte", "worked", help="wat werkte"),
        Column("werkte_niet", "not_worked", help="wat niet werkte"),
        Column("landelijke_regel", "national_rule", help="welke landelijke regel in de weg zat"),
        Column("aanpassing", "adjustment", help="code van een aanpassing (blad aanpassingen)"),
        Column("plan", "plan", help="code van een plan in het register"),
        Column("datum", "recorded_on", "date", help="JJJJ-MM-DD"),
        VERSION,
    ),
    "belemmeringen": (
        Column("code", "code", required=True, help="unieke code, bijv. GB-DE-01"),
        Column("titel", "title", required=True),
        Column("regel", "rule", required=True, help="de regel of praktijk die belemmert"),
        Column("soort", "rule_kind", required=True, help=" | ".join(OBSTACLE_KINDS)),
        Column("land", "country", required=True, help=" | ".join(COUNTRIES)),
        Column("groepen", "groups", "list", help=" | ".join(GROUPS)),
        Column("gemeenten", "gemeenten", "list", help="GM-codes; leeg = grensgemeenten binnen afstand_km"),
        Column(
            "afstand_km", "distance_km", "int", help="afstand tot de landgrens (0 = alleen grensgemeenten)"
        ),
        Column("inwoners", "people", "int", help="inwoners van de betrokken gemeenten (door npvr berekend)"),
        Column("inwoners_bron", "people_basis", help="bron van dat aantal"),
        Column("status", "status", required=True, help=" | ".join(OBSTACLE_STATUSES)),
        Column("grenstoets_bestand", "grenstoets_file", help="formulier grenseffectentoets (YAML)"),
        Column("grenstoets_formulier", "grenstoets_form", help="inhoud van dat formulier"),
        Column("toelichting", "note"),
        VERSION,
    ),
    "bridge_dossiers": (
        Column("code", "code", required=True, help="unieke code, bijv. BR-2026-01"),
        Column("titel", "title", required=True),
        Column("belemmering", "obstacle", help="code van de grensbelemmering"),
        Column("initiatiefnemer", "initiator", required=True),
        Column("coordinatiepunt", "coordination_point", help="het grenscoördinatiepunt (art. 4)"),
        *(
            Column(f"element_{c[-1]}", c, help=f"art. 8, lid 1, onder {c[-1]}: {nl}")
            for c, nl, _en, _r in ELEMENTS
        ),
        Column("stap", "state", required=True, help=" | ".join(STATES)),
        Column("sinds", "state_since", "date", required=True, help="datum van de laatste stap"),
        Column("ingediend_op", "submitted_on", "date"),
        Column("uitkomst_op", "outcome_on", "date"),
        Column("uitkomst", "outcome", help=" | ".join(OUTCOMES)),
        Column("redenen", "reasons", help="redenen van de laatste beslissing"),
        Column(
            "nationale_termijn_maanden", "redress_months", "int", help="termijn rechtsbescherming (art. 12)"
        ),
        VERSION,
    ),
    "bridge_stappen": (
        Column("dossier", "file", required=True, help="code van het dossier"),
        Column("volgnummer", "seq", "int", required=True),
        Column("van", "from_state", help="vorige stap (leeg bij de eerste)"),
        Column("naar", "to_state", required=True, help=" | ".join(STATES)),
        Column("datum", "step_date", "date", required=True),
        Column("toelichting", "note"),
    ),
}

Rows = Sequence[tuple[int | None, Mapping[str, Any]]]

#: Ranges of whole-number columns (checked before any database write; INTEGER holds < 2^31).
INT_RANGES: dict[str, tuple[int, int]] = {
    "version": (1, 2**31 - 1),
    "distance_km": (0, 100),
    "people": (0, 10**9),
    "redress_months": (0, 120),
    "seq": (1, 10_000),
}


def _add(
    out: Problems, sheet: str, row: int | None, fld: str | None, nl: str, en: str, severity: str = "error"
) -> None:
    """One problem, located by sheet, row and column (the one mechanism: npvr.validation)."""
    out.add(nl, en, row=row, field=fld, sheet=sheet, severity=severity)


@dataclass
class Existing:
    """Codes (and versions) already stored, as far as validation needs them."""

    versions: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> code -> version
    plans: set[str] = field(default_factory=set)  # register plan codes

    def codes(self, sheet: str) -> set[str]:
        return set(self.versions.get(sheet, {}))


def validate(
    raw: Mapping[str, Rows], ref: Reference, existing: Existing | None = None, *, file: str | None = None
) -> tuple[dict[str, list[dict[str, Any]]], list[Problem]]:
    """Parse and check every row of every sheet; returns records per sheet and all problems found."""
    existing = existing or Existing()
    out = Problems(file)
    batch: dict[str, list[dict[str, Any]]] = {s: [] for s in SHEETS}
    for sheet, rows in raw.items():
        for row, values in rows:
            rec: dict[str, Any] = {"row": row}
            for col in SHEETS[sheet]:
                v = values.get(col.name)
                if _blank(v):
                    rec[col.key] = [] if col.kind == "list" else None
                    if col.required:
                        _add(out, sheet, row, col.name, f"'{col.name}' ontbreekt", f"'{col.name}' is missing")
                    continue
                try:
                    rec[col.key] = _parse(col, v)
                except (ValueError, TypeError, ArithmeticError):
                    nl, en = _KIND_NL.get(col.kind, ("tekst", "text"))
                    _add(out, sheet, row, col.name, f"'{v}' is geen {nl}", f"'{v}' is not {en}")
                    rec[col.key] = None
                    continue
                if col.key in INT_RANGES and col.kind == "int":
                    lo, hi = INT_RANGES[col.key]
                    why = number_problem(rec[col.key], lo=lo, hi=hi, whole=True)
                    if why:
                        _add(out, sheet, row, col.name, f"'{v}' {why[0]}", f"'{v}' {why[1]}")
                        rec[col.key] = None
            batch[sheet].append(rec)
    for sheet in SHEETS:
        _unique(out, sheet, batch[sheet], ("file", "seq") if sheet == "bridge_stappen" else ("code",))
        if sheet != "bridge_stappen":
            for rec in batch[sheet]:
                _version(out, sheet, rec, existing.versions.get(sheet, {}))
    _adjustments(batch, ref, out)
    _lessons(batch, ref, existing, out)
    _obstacles(batch, ref, out)
    _bridge(batch, existing, out)
    return batch, out.items


def errors(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


# --- checks --------------------------------------------------------------------------------------------


def _choice(
    out: Problems, sheet: str, rec: dict[str, Any], key: str, col: str, allowed: Sequence[str]
) -> None:
    v = rec.get(key)
    items = v if isinstance(v, list) else ([] if v is None else [v])
    for item in items:
        if item not in allowed:
            _add(
                out,
                sheet,
                rec["row"],
                col,
                f"'{item}' is geen geldige waarde; kies uit {', '.join(allowed)}",
                f"'{item}' is not valid; choose from {', '.join(allowed)}",
            )


def _unique(out: Problems, sheet: str, recs: list[dict[str, Any]], keys: tuple[str, ...]) -> None:
    seen: dict[tuple[Any, ...], int | None] = {}
    for rec in recs:
        k = tuple(rec.get(x) for x in keys)
        if any(x is None for x in k):
            continue
        if k in seen:
            label = " / ".join(map(str, k))
            _add(
                out,
                sheet,
                rec["row"],
                None,
                f"dubbele regel: {label} staat ook op regel {seen[k]}",
                f"duplicate row: {label} also on row {seen[k]}",
            )
        else:
            seen[k] = rec["row"]


def _version(out: Problems, sheet: str, rec: dict[str, Any], known: dict[str, int]) -> None:
    code, version = rec.get("code"), rec.get("version")
    if code in known and version is not None and version != known[code]:
        _add(
            out,
            sheet,
            rec["row"],
            "versie",
            f"'{code}' is intussen gewijzigd (versie in het register: {known[code]}, "
            f"in het bestand: {version}); "
            "exporteer opnieuw en breng uw wijziging daarin aan",
            f"'{code}' was changed meanwhile (register version {known[code]}, file {version}); export again",
        )


def _regions(out: Problems, sheet: str, rec: dict[str, Any], key: str, col: str, ref: Reference) -> None:
    v = rec.get(key)
    for r in v if isinstance(v, list) else ([] if v is None else [v]):
        if r not in ref.regions:
            _add(
                out,
                sheet,
                rec["row"],
                col,
                f"onbekende regio '{r}'; bekende NPVR-regio's: {', '.join(sorted(ref.regions))}",
                f"unknown region '{r}'; known NPVR regions: {', '.join(sorted(ref.regions))}",
            )


def _adjustments(batch: dict[str, list[dict[str, Any]]], ref: Reference, out: Problems) -> None:
    s = "aanpassingen"
    for rec in batch[s]:
        _choice(out, s, rec, "kind", "soort", tuple(ADJUSTMENT_KINDS))
        _regions(out, s, rec, "regions", "regios", ref)
        if ref.indicators is not None:
            for ind in rec.get("indicators") or []:
                if ind not in ref.indicators:
                    _add(
                        out,
                        s,
                        rec["row"],
                        "indicatoren",
                        f"onbekende indicator '{ind}' (zie 'npvr indicators')",
                        f"unknown indicator '{ind}' (see 'npvr indicators')",
                    )
        res = rec.get("toets_result")
        if res is not None:
            try:
                parsed = json.loads(res)
                if not isinstance(parsed, dict) or not isinstance(parsed.get("regions"), list):
                    raise ValueError(res)
            except ValueError:
                _add(
                    out,
                    s,
                    rec["row"],
                    "toets_resultaat",
                    "geen geldig toetsresultaat (JSON met 'regions'); laat dit veld zoals npvr het "
                    "exporteerde",
                    "not a valid toets result (JSON with 'regions'); keep the field as npvr exported it",
                )


def _lessons(
    batch: dict[str, list[dict[str, Any]]], ref: Reference, existing: Existing, out: Problems
) -> None:
    s = "lessen"
    adjustments = existing.codes("aanpassingen") | {r["code"] for r in batch["aanpassingen"] if r.get("code")}
    for rec in batch[s]:
        _regions(out, s, rec, "region", "regio", ref)
        old = rec.get("theme")
        if old in LEGACY_THEMES and old not in THEMES:  # older theme words: read as the catalogue's
            rec["theme"] = LEGACY_THEMES[old]
            nl = f"thema '{old}' heet nu '{rec['theme']}' (de thema's van de indicatorcatalogus)"
            en = f"theme '{old}' is now '{rec['theme']}' (the themes of the indicator catalogue)"
            _add(out, s, rec["row"], "thema", nl, en, severity="warning")
        _choice(out, s, rec, "theme", "thema", THEMES)
        a = rec.get("adjustment")
        if a is not None and a not in adjustments:
            _add(out, s, rec["row"], "aanpassing", f"onbekende aanpassing '{a}'", f"unknown adjustment '{a}'")
        p = rec.get("plan")
        if p is not None and p not in existing.plans:
            _add(
                out,
                s,
                rec["row"],
                "plan",
                f"onbekend plan '{p}' (niet in het register)",
                f"unknown plan '{p}'",
            )


def _obstacles(batch: dict[str, list[dict[str, Any]]], ref: Reference, out: Problems) -> None:
    s = "belemmeringen"
    for rec in batch[s]:
        row = rec["row"]
        _choice(out, s, rec, "rule_kind", "soort", OBSTACLE_KINDS)
        _choice(out, s, rec, "country", "land", tuple(COUNTRIES))
        _choice(out, s, rec, "groups", "groepen", tuple(GROUPS))
        _choice(out, s, rec, "status", "status", tuple(OBSTACLE_STATUSES))
        for gm in rec.get("gemeenten") or []:
            if not GM_RE.match(gm) or (ref.gemeenten is not None and gm not in ref.gemeenten):
                _add(
                    out,
                    s,
                    row,
                    "gemeenten",
                    f"onbekende gemeente '{gm}' (verwacht een GM-code uit de indeling 2025)",
                    f"unknown gemeente '{gm}' (expected a GM code of the 2025 division)",
                )


def _bridge(batch: dict[str, list[dict[str, Any]]], existing: Existing, out: Problems) -> None:
    s = "bridge_dossiers"
    obstacles = existing.codes("belemmeringen") | {r["code"] for r in batch["belemmeringen"] if r.get("code")}
    files = {r["code"]: r for r in batch[s] if r.get("code")}
    for rec in batch[s]:
        row = rec["row"]
        _choice(out, s, rec, "state", "stap", tuple(STATES))
        _choice(out, s, rec, "outcome", "uitkomst", tuple(OUTCOMES))
        o = rec.get("obstacle")
        if o is not None and o not in obstacles:
            _add(
                out,
                s,
                row,
                "belemmering",
                f"onbekende grensbelemmering '{o}'",
                f"unknown border obstacle '{o}'",
            )
        state = rec.get("state")
        if state in STATES and state != "concept":
            for col in missing_elements(rec):
                _add(
                    out,
                    s,
                    row,
                    f"element_{col[-1]}",
                    f"element {col[-1]} van art. 8, lid 1 ontbreekt; een ingediend dossier heeft het nodig",
                    f"element {col[-1]} of Art. 8(1) is missing; a submitted file needs it",
                )
        if state == "afgerond" and rec.get("outcome") is None:
            _add(
                out,
                s,
                row,
                "uitkomst",
                "een afgerond dossier heeft een uitkomst (art. 12, lid 1)",
                "a completed file needs an outcome (Art. 12(1))",
            )
        if state in NEEDS_REASONS and not rec.get("reasons"):
            _add(out, s, row, "redenen", f"stap '{state}' vraagt redenen", f"step '{state}' needs reasons")
    steps = "bridge_stappen"
    by_file: dict[str, list[dict[str, Any]]] = {}
    for rec in batch[steps]:
        _choice(out, steps, rec, "to_state", "naar", tuple(STATES))
        _choice(out, steps, rec, "from_state", "van", tuple(STATES))
        f = rec.get("file")
        if f is not None and f not in files:
            _add(
                out,
                steps,
                rec["row"],
                "dossier",
                f"dossier '{f}' staat niet op blad bridge_dossiers",
                f"file '{f}' is not on sheet bridge_dossiers",
            )
        elif f is not None and rec.get("seq") is not None:
            by_file.setdefault(f, []).append(rec)
    for code, frec in files.items():
        if code not in by_file:
            _add(
                out,
                s,
                frec["row"],
                "stap",
                f"dossier '{code}' heeft geen stappen op blad bridge_stappen "
                "(de hele geschiedenis hoort erbij)",
                f"file '{code}' has no steps on sheet bridge_stappen",
            )
    for code, recs in by_file.items():
        recs.sort(key=lambda r: r["seq"])
        prev: dict[str, Any] | None = None
        for rec in recs:
            frm, to = rec.get("from_state"), rec.get("to_state")
            expect = prev["to_state"] if prev else None
            if frm != expect:
                _add(
                    out,
                    steps,
                    rec["row"],
                    "van",
                    f"stap {rec['seq']} van {code} begint bij '{frm}', de vorige eindigde bij '{expect}'",
                    f"step {rec['seq']} of {code} starts at '{frm}', the previous ended at '{expect}'",
                )
            elif frm is None and to != "concept":
                _add(
                    out,
                    steps,
                    rec["row"],
                    "naar",
                    "de eerste stap van een dossier is 'concept'",
                    "a file's first step is 'concept'",
                )
            elif frm in STATES and to in STATES and to not in STATES[frm].next:
                nxt = ", ".join(STATES[frm].next) or "geen"
                _add(
                    out,
                    steps,
                    rec["row"],
                    "naar",
                    f"van '{frm}' kan '{to}' niet; toegestaan: {nxt}",
                    f"'{to}' cannot follow '{frm}'; allowed: {nxt}",
                )
            if (
                prev
                and rec.get("step_date")
                and prev.get("step_date")
                and rec["step_date"] < prev["step_date"]
            ):
                _add(
                    out,
                    steps,
                    rec["row"],
                    "datum",
                    f"datum {rec['step_date']} ligt vóór de vorige stap ({prev['step_date']})",
                    f"date {rec['step_date']} is before the previous step ({prev['step_date']})",
                )
            prev = rec
        last = recs[-1].get("to_state")
        if files[code].get("state") != last:
            _add(
                out,
                s,
                files[code]["row"],
                "stap",
                f"stap '{files[code].get('state')}' past niet bij de laatste stap '{last}' "
                "op blad bridge_stappen",
                f"state '{files[code].get('state')}' does not match the last step '{last}'",
            )
