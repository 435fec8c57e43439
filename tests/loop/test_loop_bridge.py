"""BRIDGEforEU files: the procedure's transitions and the deadline arithmetic on calendar edge cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from npvr.errors import ConfigError
from npvr.loop import bridge
from npvr.loop.bridge import STATES, TransitionError, add_months, check_transition, due_date, load_deadlines

D = dt.date


def _rules(tmp_path: Path, body: str) -> bridge.DeadlineRules:
    p = tmp_path / "limits.yaml"
    p.write_text(body, encoding="utf-8")
    return load_deadlines(p)


# --- state machine -----------------------------------------------------------------------------------


def _reachable() -> set[str]:
    seen, todo = {"concept"}, ["concept"]
    while todo:
        for nxt in STATES[todo.pop()].next:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_every_state_is_reachable_and_final_states_have_no_exit():
    assert _reachable() == set(STATES)
    for name, state in STATES.items():
        assert state.final == (not state.next), name
        assert all(n in STATES for n in state.next)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("concept", "ingediend"),
        ("ingediend", "verduidelijking-gevraagd"),
        ("ingediend", "gesloten-geen-belemmering"),
        ("verduidelijking-gevraagd", "verduidelijking-ontvangen"),
        ("verduidelijking-ontvangen", "belemmering-vastgesteld"),
        ("belemmering-vastgesteld", "administratieve-procedure"),
        ("administratieve-procedure", "wetgevende-procedure"),
        ("wetgevende-procedure", "afgerond"),
        ("afgerond", "rechtsbescherming-gevraagd"),
    ],
)
def test_allowed_transitions(current, target):
    check_transition("BR-1", current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("concept", "afgerond"),
        ("ingediend", "afgerond"),
        ("verduidelijking-gevraagd", "belemmering-vastgesteld"),
        ("gesloten-geen-belemmering", "ingediend"),
        ("afgerond", "ingediend"),
    ],
)
def test_refused_transition_names_state_and_allowed_steps(current, target):
    with pytest.raises(TransitionError) as err:
        check_transition("BR-1", current, target)
    msg = err.value.message
    assert f"staat op '{current}'" in msg and f"'{target}' niet" in msg
    allowed = ", ".join(STATES[current].next) or "geen (eindtoestand)"
    assert msg.endswith(f"Toegestane volgende stappen: {allowed}")
    assert f"Allowed next steps: {', '.join(STATES[current].next) or 'none (final state)'}" in str(
        err.value.message_en
    )


def test_unknown_step_is_refused():
    with pytest.raises(TransitionError, match="onbekende stap 'klaar'"):
        check_transition("BR-1", "concept", "klaar")


def test_missing_elements_are_the_required_ones_of_article_8():
    full = {"el_a": "x", "el_b": "x", "el_c": "x", "el_e": "x"}
    assert bridge.missing_elements(full) == []
    assert bridge.missing_elements({"el_a": "x", "el_b": "  "}) == ["el_b", "el_c", "el_e"]


# --- calendar arithmetic -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2026, 1, 15), 2, D(2026, 3, 15)),  # plain
        (D(2025, 12, 31), 2, D(2026, 2, 28)),  # month end: February has no 31st
        (D(2026, 8, 31), 1, D(2026, 9, 30)),  # 31 -> 30
        (D(2027, 12, 31), 2, D(2028, 2, 29)),  # leap year keeps the 29th
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # leap day + a year -> 28 February
        (D(2024, 2, 29), 48, D(2028, 2, 29)),  # leap day + four years -> leap day
        (D(2026, 11, 30), 6, D(2027, 5, 30)),  # across the year end
    ],
)
def test_add_months_edge_cases(start, months, end):
    assert add_months(start, months) == end


def test_weekend_and_holiday_roll_forward_follow_the_data_file(tmp_path):
    body = """
regulation: test
calendar: {roll_forward_weekend: %s, public_holidays: "%s"}
deadlines:
  - {id: t, label_nl: t, label_en: t, article: "art. 9", from_step: ingediend, open_in: [ingediend],
     months: 2}
"""
    on = _rules(tmp_path, body % ("true", "NL"))
    off = _rules(tmp_path / ".." / tmp_path.name, body % ("false", ""))  # same file, rules off
    d = on.deadlines[0]
    # 2026-01-28 + 2 months = Saturday 2026-03-28 -> Monday 2026-03-30
    assert D(2026, 3, 28).weekday() == 5
    assert due_date(D(2026, 1, 28), d, on.calendar) == D(2026, 3, 30)
    assert due_date(D(2026, 1, 28), d, off.calendar) == D(2026, 3, 28)
    # 2026-02-27 + 2 months = Monday 27 April 2026, King's Day -> Tuesday 28 April
    assert due_date(D(2026, 2, 27), d, on.calendar) == D(2026, 4, 28)
    # 2025-10-25 + 2 months = Thursday 25 December 2025 (Christmas), 26th holiday, 27/28 weekend -> 29th
    assert due_date(D(2025, 10, 25), d, on.calendar) == D(2025, 12, 29)


def test_shipped_data_file_cites_an_article_for_every_limit():
    rules = load_deadlines()
    assert rules.celex == "32025R0925"
    for d in rules.deadlines:
        assert d.article.startswith("art.")
        if d.months is None:
            assert not d.verified and d.note  # an unknown limit says so instead of inventing one
    by_id = {d.id: d for d in rules.deadlines}
    assert by_id["verzoek_verduidelijking"].months == 2 and by_id["verzoek_verduidelijking"].verified
    assert by_id["rechtsbescherming"].months == 6 and by_id["rechtsbescherming"].verified


def test_data_file_with_unknown_step_is_refused_with_its_line(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text(
        "regulation: x\ndeadlines:\n  - id: t\n    label_nl: t\n    label_en: t\n    article: a\n"
        "    from_step: ingediend\n    open_in: [klaar]\n    months: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="onbekende stap 'klaar'") as err:
        load_deadlines(p)
    assert err.value.line == 8


def _file(state: str, steps: list[tuple[str, dt.date]], **kw) -> dict:
    return {
        "code": "BR-1",
        "title": "t",
        "state": state,
        "steps": [{"to_state": s, "step_date": d} for s, d in steps],
        **kw,
    }


def test_file_deadlines_open_passed_and_overdue():
    steps = [("concept", D(2025, 12, 1)), ("ingediend", D(2025, 12, 31))]
    f = _file("ingediend", steps)
    lim = {d["deadline"]: d for d in bridge.file_deadlines(f, today=D(2026, 3, 2))}
    # 31 Dec + 2 months = 28 Feb 2026 (month end), a Saturday -> Monday 2 March
    assert lim["verzoek_verduidelijking"]["due"] == D(2026, 3, 2)
    assert not lim["verzoek_verduidelijking"]["overdue"]  # the due day itself is not late
    lim = {d["deadline"]: d for d in bridge.file_deadlines(f, today=D(2026, 3, 3))}
    assert lim["verzoek_verduidelijking"]["overdue"]
    assert lim["beoordeling"]["due"] is None and not lim["beoordeling"]["overdue"]
    # once clarification was requested, the two-month limit is no longer open
    f2 = _file("verduidelijking-gevraagd", [*steps, ("verduidelijking-gevraagd", D(2026, 2, 10))])
    lim2 = {d["deadline"]: d for d in bridge.file_deadlines(f2, today=D(2026, 6, 1))}
    assert not lim2["verzoek_verduidelijking"]["open"] and not lim2["verzoek_verduidelijking"]["overdue"]


def test_redress_window_uses_six_months_or_the_national_limit():
    steps = [
        ("concept", D(2026, 1, 2)),
        ("ingediend", D(2026, 1, 5)),
        ("belemmering-vastgesteld", D(2026, 3, 1)),
        ("afgerond", D(2026, 8, 31)),
    ]
    lim = {d["deadline"]: d for d in bridge.file_deadlines(_file("afgerond", steps), today=D(2027, 6, 1))}
    assert lim["rechtsbescherming"]["due"] == D(2027, 3, 1)  # 28 Feb 2027 is a Sunday -> Monday 1 March
    assert (
        lim["rechtsbescherming"]["passed"] and not lim["rechtsbescherming"]["overdue"]
    )  # a window, not late
    lim = {
        d["deadline"]: d
        for d in bridge.file_deadlines(_file("afgerond", steps, redress_months=3), today=D(2026, 9, 1))
    }
    assert lim["rechtsbescherming"]["due"] == D(2026, 11, 30) and lim["rechtsbescherming"]["months"] == 3


def test_overdue_files_lists_only_late_ones():
    late = _file("ingediend", [("concept", D(2026, 1, 1)), ("ingediend", D(2026, 1, 5))])
    fresh = {**_file("ingediend", [("concept", D(2026, 3, 1)), ("ingediend", D(2026, 3, 2))]), "code": "BR-2"}
    out = bridge.overdue_files([late, fresh], today=D(2026, 4, 1))
    assert [o["code"] for o in out] == ["BR-1"]
    assert out[0]["overdue"][0]["due"] == D(2026, 3, 5)


@given(
    st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)),
    st.integers(min_value=0, max_value=240),
)
def test_add_months_agrees_with_dateutil(start, months):
    """A second method: dateutil's relativedelta clamps to the month end in the same way."""
    assert add_months(start, months) == start + relativedelta(months=months)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31)))
def test_rolled_due_date_is_a_working_day_within_a_week(start):
    rules = load_deadlines()
    d = next(x for x in rules.deadlines if x.id == "verzoek_verduidelijking")
    plain = add_months(start, 2)
    due = due_date(start, d, rules.calendar)
    assert due.weekday() < 5 and 0 <= (due - plain).days <= 6
    assert due == plain or plain.weekday() >= 5 or plain in bridge._holidays("NL", plain.year)
