"""One ValidationError: located problems in both languages, at most 50 listed, the full list on request."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from npvr.errors import MAX_LISTED, ConfigError, ValidationError
from npvr.validation import Money, Problems, number_problem, to_decimal
from npvr.yamlio import parse_yaml, validate_model


def test_collector_locates_by_key_path():
    doc = parse_yaml("regions:\n  - id: a\n  - id: B\n", "r.yaml")
    problems = Problems(doc=doc)
    problems.add("id moet klein", "id must be lowercase", loc=("regions", 1, "id"))
    problems.add("let op", "note", loc=("regions", 0), severity="warning")
    with pytest.raises(ConfigError) as info:  # a ConfigValidationError: both kinds of caller work
        problems.raise_if_any()
    exc = info.value
    assert isinstance(exc, ValidationError)
    assert (exc.file, exc.line, exc.field) == ("r.yaml", 3, "regions[1].id")
    assert "r.yaml, regel 3, veld 'regions[1].id': id moet klein" in exc.render()
    assert "r.yaml, line 3, field 'regions[1].id': id must be lowercase" in exc.render("en")


def test_warnings_alone_do_not_raise():
    problems = Problems(file="x.csv")
    problems.add("waarschuwing", "warning", row=2, severity="warning")
    problems.raise_if_any()


def test_long_refusal_lists_50_and_total_and_writes_full_list(tmp_path: Path):
    problems = Problems(file="big.csv", sheet="projecten")
    for row in range(2, 1002):
        problems.add(f"bedrag ongeldig {row}", f"amount invalid {row}", row=row, field="amount")
    exc = problems.error()
    text = exc.render()
    assert text.count("\n  - ") == MAX_LISTED
    assert "1000 probleem/problemen" in text and "nog 950" in text
    assert len(text) < 10_000
    assert "and 950 more" in exc.render("en")
    d = exc.to_dict()
    assert d["n_problems"] == 1000 and len(d["problems"]) == MAX_LISTED  # type: ignore[arg-type]
    json.dumps(d)
    out = exc.write_problems(tmp_path / "problemen.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 1000 and rows[-1]["row"] == "1001" and rows[0]["sheet"] == "projecten"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    budget: Money
    count: int


def test_pydantic_errors_in_dutch_without_pydantic_english():
    doc = parse_yaml("name: [a]\nbudget: .nan\ncount: veel\nextra: 1\n", "m.yaml")
    with pytest.raises(ValidationError) as info:
        validate_model(doc, _Model)
    text = info.value.message
    for english in ("Input should", "valid", "Field required", "str", "int", "float", "list"):
        assert english not in text, english
    assert "regel 1, veld 'name': moet tekst zijn" in text
    assert "regel 2, veld 'budget': moet een eindig getal zijn" in text
    assert "regel 3, veld 'count': moet een geheel getal zijn" in text
    assert "regel 4, veld 'extra': onbekend veld" in text
    assert len(info.value.problems) == 4


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (0, True),
        (10**12, True),
        (10**12 + 1, False),
        (float("nan"), False),
        (float("inf"), False),
        ("1e999999", False),
        ("12,5", False),
        (True, False),
        (None, False),
        (-1, False),
        ("  5 ", True),
    ],
)
def test_money_range(value, ok):
    assert (number_problem(value, lo=0, hi=10**12) is None) is ok
    if ok:
        assert to_decimal(value) >= 0
    else:
        with pytest.raises(ValueError, match=r"\|\|"):
            to_decimal(value)
