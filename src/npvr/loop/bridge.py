"""BRIDGEforEU cross-border files: the procedure of Regulation (EU) 2025/925 as a state machine,
with the time limits of ``bridge_deadlines.yaml`` computed from the dates entered.

The steps follow the regulation: the initiator prepares the file with the elements of Art. 8(1)
and submits it to the cross-border coordination point (Art. 7(2)); the point may request
clarification within two months (Art. 9(2)) and may close an incomplete file (Art. 9(2)) or a
file without an obstacle (Art. 9(3)); when it finds an obstacle it informs the initiator of the
next steps (Art. 11(2)) along the administrative (Art. 11(4)) or legislative route (Art. 11(5));
the outcome — administrative solution, legislative proposal or not resolved, with reasons — is
sent in writing with the time limit for legal redress (Art. 12(1)).

Pure functions here; storing a file and its steps is :mod:`npvr.loop.service`'s job.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from npvr.errors import ConfigError, NpvrError
from npvr.yamlio import load_model

DEADLINES_FILE = Path(__file__).with_name("bridge_deadlines.yaml")


class TransitionError(NpvrError):
    """A step the regulation's procedure does not allow from the file's current state."""


@dataclass(frozen=True)
class State:
    """One state of a file: Dutch and English label, the article it rests on, its next states."""

    label_nl: str
    label_en: str
    article: str
    next: tuple[str, ...]
    final: bool = False


#: The procedure, declared once: CLI choices, validation and docs read it from here.
STATES: dict[str, State] = {
    "concept": State(
        "in voorbereiding (elementen art. 8, lid 1)", "being prepared (elements Art. 8(1))", "art. 7, lid 1",
        ("ingediend",),
    ),
    "ingediend": State(
        "ingediend bij het grenscoördinatiepunt", "submitted to the coordination point", "art. 7, lid 2",
        ("verduidelijking-gevraagd", "gesloten-onvolledig", "gesloten-geen-belemmering",
         "belemmering-vastgesteld"),
    ),
    "verduidelijking-gevraagd": State(
        "verduidelijking of aanvullende informatie gevraagd", "clarification requested", "art. 9, lid 2",
        ("verduidelijking-ontvangen", "gesloten-onvolledig"),
    ),
    "verduidelijking-ontvangen": State(
        "verduidelijking ontvangen; beoordeling loopt", "clarification received; assessment ongoing",
        "art. 9, lid 2", ("gesloten-onvolledig", "gesloten-geen-belemmering", "belemmering-vastgesteld"),
    ),
    "gesloten-onvolledig": State(
        "gesloten: dossier onvolledig (met redenen)", "closed: file incomplete (with reasons)",
        "art. 9, lid 2", (), final=True,
    ),
    "gesloten-geen-belemmering": State(
        "gesloten: geen grensbelemmering (met redenen)", "closed: no cross-border obstacle (with reasons)",
        "art. 9, lid 3", (), final=True,
    ),
    "belemmering-vastgesteld": State(
        "grensbelemmering vastgesteld; initiatiefnemer geïnformeerd over vervolg",
        "obstacle identified; initiator informed of next steps", "art. 11, lid 2",
        ("administratieve-procedure", "wetgevende-procedure", "afgerond"),
    ),
    "administratieve-procedure": State(
        "administratieve route: bevoegde autoriteit benaderd", "administrative route: authority contacted",
        "art. 11, lid 4", ("wetgevende-procedure", "afgerond"),
    ),
    "wetgevende-procedure": State(
        "wetgevende route", "legislative route", "art. 11, lid 5", ("afgerond",),
    ),
    "afgerond": State(
        "uitkomst schriftelijk meegedeeld (met redenen en termijn rechtsbescherming)",
        "outcome communicated in writing (reasons, redress time limit)", "art. 12, lid 1",
        ("rechtsbescherming-gevraagd",),
    ),
    "rechtsbescherming-gevraagd": State(
        "rechtsbescherming gevraagd (alleen procedurele rechten)",
        "legal redress requested (procedural only)",
        "art. 12, lid 1, onder e", (), final=True,
    ),
}  # fmt: skip

#: Outcomes of Art. 12(1)(a)-(c), required when a file reaches 'afgerond'.
OUTCOMES: dict[str, tuple[str, str, str]] = {
    "administratieve-oplossing": (
        "administratieve bepaling of praktijk aangepast",
        "administrative provision or practice changed",
        "art. 12, lid 1, onder a",
    ),
    "wetgevingsvoorstel": (
        "wetgevingsprocedure gestart of wet gewijzigd",
        "legislative procedure launched or law amended",
        "art. 12, lid 1, onder b",
    ),
    "niet-opgelost": (
        "belemmering wordt niet opgelost",
        "obstacle will not be resolved",
        "art. 12, lid 1, onder c",
    ),
}

#: The elements of a cross-border file (Art. 8(1)): column, Dutch label, English label, required.
ELEMENTS: tuple[tuple[str, str, str, bool], ...] = (
    ("el_a", "de grensoverschrijdende interactie en haar context", "the cross-border interaction", True),
    ("el_b", "het probleem dat de grensbelemmering veroorzaakt", "the problem the obstacle causes", True),
    ("el_c", "waarom de belemmering opgelost moet worden", "why the obstacle needs resolving", True),
    ("el_d", "het negatieve effect op de ontwikkeling van de grensregio (indien beschikbaar)",
     "negative impact on the region's development (if available)", False),
    ("el_e", "het betrokken geografische gebied", "the geographical area concerned", True),
    ("el_f", "verwachte duur van een afwijking of uitzondering (indien bekend en relevant)",
     "expected duration of a derogation or exemption (if known and relevant)", False),
    ("el_g", "of elders al een dossier over dezelfde belemmering is ingediend (indien bekend)",
     "whether a file on the same obstacle was submitted elsewhere (if known)", False),
)  # fmt: skip

#: States that require reasons on the step that enters them (Art. 9(2), 9(3), 12(1)(d)).
NEEDS_REASONS = ("gesloten-onvolledig", "gesloten-geen-belemmering", "afgerond")


def allowed_next(state: str) -> tuple[str, ...]:
    return STATES[state].next


def check_transition(code: str, current: str, target: str, lang: str = "nl") -> None:
    """Refuse a step the procedure does not allow; the message names the state and the allowed steps."""
    if target not in STATES:
        raise TransitionError(
            f"onbekende stap '{target}'; bekende stappen: {', '.join(STATES)}",
            en=f"unknown step '{target}'; known steps: {', '.join(STATES)}",
            field="stap",
        )
    nxt = STATES[current].next
    if target in nxt:
        return
    allowed_nl = ", ".join(nxt) if nxt else "geen (eindtoestand)"
    allowed_en = ", ".join(nxt) if nxt else "none (final state)"
    raise TransitionError(
        f"dossier {code} staat op '{current}' ({STATES[current].label_nl}); van daaruit kan "
        f"'{target}' niet. Toegestane volgende stappen: {allowed_nl}",
        en=f"file {code} is at '{current}' ({STATES[current].label_en}); '{target}' cannot follow. "
        f"Allowed next steps: {allowed_en}",
        field="stap",
    )


def missing_elements(values: Mapping[str, Any]) -> list[str]:
    """The required Art. 8(1) elements that are empty (checked on submission)."""
    return [col for col, _nl, _en, req in ELEMENTS if req and not str(values.get(col) or "").strip()]


# --- the data file of time limits --------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CalendarRules(_Strict):
    month_end: str = "last_day_of_month"
    month_end_source: str = ""
    month_end_verified: bool = False
    month_end_note: str = ""
    roll_forward_weekend: bool = False
    public_holidays: str = ""
    roll_forward_source: str = ""
    roll_forward_verified: bool = False
    roll_forward_note: str = ""


class Deadline(_Strict):
    """One time limit: counted from entering ``from_step``; open while the file is in ``open_in``."""

    id: str
    label_nl: str
    label_en: str
    article: str
    from_step: str
    open_in: list[str] = Field(min_length=1)
    months: int | None = Field(default=None, ge=0)
    days: int | None = Field(default=None, ge=0)
    national_override: bool = False
    overdue_if_passed: bool = True
    verified: bool = False
    note: str = ""


class DeadlineRules(_Strict):
    regulation: str
    celex: str = ""
    calendar: CalendarRules = CalendarRules()
    deadlines: list[Deadline]


def load_deadlines(path: str | Path | None = None) -> DeadlineRules:
    """The time limits (the shipped data file by default); unknown states are a ConfigError."""
    return _load(str(path or DEADLINES_FILE))


@cache
def _load(path: str) -> DeadlineRules:
    rules, doc = load_model(path, DeadlineRules)
    for i, d in enumerate(rules.deadlines):
        for j, s in enumerate([d.from_step, *d.open_in]):
            if s not in STATES:
                key = ("deadlines", i, "from_step") if j == 0 else ("deadlines", i, "open_in", j - 1)
                raise ConfigError(
                    f"onbekende stap '{s}'; bekende stappen: {', '.join(STATES)}",
                    en=f"unknown step '{s}'",
                    file=path,
                    line=doc.line(key),
                    field=f"deadlines[{i}]",
                )
    return rules


# --- calendar arithmetic -----------------------------------------------------------------------------


def add_months(start: dt.date, months: int) -> dt.date:
    """Same date ``months`` later; the last day of that month when it has no such date."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@cache
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    if not country:
        return frozenset()
    import holidays

    return frozenset(holidays.country_holidays(country, years=[year]).keys())


def roll_forward(day: dt.date, rules: CalendarRules) -> dt.date:
    """The next working day when ``day`` is a Saturday, Sunday or public holiday (if the rules say so)."""
    if not rules.roll_forward_weekend:
        return day
    while day.weekday() >= 5 or day in _holidays(rules.public_holidays, day.year):
        day += dt.timedelta(days=1)
    return day


def due_date(
    start: dt.date, deadline: Deadline, rules: CalendarRules, *, months: int | None = None
) -> dt.date | None:
    """The last day of a period starting on ``start``; None when the data file gives no time limit."""
    m = months if months is not None else deadline.months
    if m is None and deadline.days is None:
        return None
    end = add_months(start, m) if m is not None else start
    if deadline.days is not None:
        end += dt.timedelta(days=deadline.days)
    return roll_forward(end, rules)


# --- deadlines of a file -----------------------------------------------------------------------------


def file_deadlines(
    file: Mapping[str, Any],
    *,
    today: dt.date | None = None,
    rules: DeadlineRules | None = None,
) -> list[dict[str, Any]]:
    """Every time limit that has started for a file: due date, open or not, overdue or not.

    ``file`` needs ``state`` and ``steps`` (dicts with ``to_state`` and ``step_date``), optionally
    ``redress_months`` (a national time limit replacing the default). A limit starts when the file
    first entered its ``from_step``; it is open while the file is in one of ``open_in``.
    """
    rules = rules or load_deadlines()
    today = today or dt.date.today()
    entered: dict[str, dt.date] = {}
    for s in file.get("steps") or []:
        entered.setdefault(s["to_state"], as_date(s["step_date"]))
    out = []
    for d in rules.deadlines:
        if d.from_step not in entered:
            continue
        months = d.months
        basis = d.article
        if d.national_override and file.get("redress_months") is not None:
            months = int(file["redress_months"])
            basis = f"{d.article}; nationale termijn van het dossier"
        due = due_date(entered[d.from_step], d, rules.calendar, months=months)
        is_open = file["state"] in d.open_in
        passed = due is not None and today > due
        out.append(
            {
                "deadline": d.id,
                "label_nl": d.label_nl,
                "label_en": d.label_en,
                "article": basis,
                "from": entered[d.from_step],
                "months": months,
                "due": due,
                "open": is_open,
                "passed": passed,
                "overdue": bool(is_open and passed and d.overdue_if_passed),
                "verified": d.verified,
                "note": d.note,
            }
        )
    return out


def overdue_files(
    files: Iterable[Mapping[str, Any]],
    *,
    today: dt.date | None = None,
    rules: DeadlineRules | None = None,
) -> list[dict[str, Any]]:
    """The files with at least one overdue time limit, each with those limits (for report and web).

    ``files`` are dicts as returned by ``LoopService.bridge_files()`` (code, title, state, steps …).
    """
    out = []
    for f in files:
        late = [d for d in file_deadlines(f, today=today, rules=rules) if d["overdue"]]
        if late:
            out.append({"code": f["code"], "title": f.get("title"), "state": f["state"], "overdue": late})
    return out


def as_date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v).strip()[:10])
    except ValueError:
        raise ConfigError(
            f"'{v}' is geen datum JJJJ-MM-DD", en=f"'{v}' is not a date YYYY-MM-DD", field="datum"
        ) from None
