"""Bad policy files: a ConfigError naming the field and the YAML line."""

from __future__ import annotations

import textwrap

import pytest

from npvr.errors import ConfigError
from npvr.impact.policy import load_policy

GOOD = """\
kind: fund
name: Test
budget: 1000000
measures: [inwoners, vaste_voet]
weights: [0.9, 0.1]
"""


def write(tmp_path, text):
    p = tmp_path / "p.yaml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_good_policy_loads(tmp_path):
    pol, _ = load_policy(write(tmp_path, GOOD))
    assert [m.key for m, _ in pol.specs()] == ["inwoners", "vaste_voet"]
    assert [float(w) for _, w in pol.specs()] == [0.9, 0.1]


@pytest.mark.parametrize(
    ("text", "line", "field", "match"),
    [
        (
            GOOD.replace("vaste_voet]", "vaste_voeten]"),
            4,
            "measures[1].measure",
            "onbekende maatstaf 'vaste_voeten'",
        ),
        (GOOD.replace("budget: 1000000", "budget: -5"), 3, "budget", "minstens 0"),
        (GOOD.replace("[0.9, 0.1]", "[0.9, 0.05, 0.05]"), 5, "weights", "3 getallen maar er zijn 2"),
        (GOOD.replace("budget: 1000000", "budget: 10.005"), 3, "budget", "hele centen"),
        (GOOD + "florr: {euro: 5}\n", 6, "florr", "onbekend veld"),
        (GOOD.replace("kind: fund", "kind: fonds"), 1, "kind", "'kind' moet"),
    ],
)
def test_bad_fund_policy(tmp_path, text, line, field, match):
    with pytest.raises(ConfigError, match=match) as info:
        load_policy(write(tmp_path, text))
    assert info.value.line == line
    assert info.value.field == field
    assert info.value.file.endswith("p.yaml")


def test_broken_yaml_names_line(tmp_path):
    with pytest.raises(ConfigError, match="ongeldige YAML") as info:
        load_policy(write(tmp_path, "kind: fund\nname: [unclosed\nbudget: 3\n"))
    assert info.value.line == 3


SUBSIDY = """\
kind: subsidy
name: S
budget: 5000000
min_project_size: {value: 2000000, unit: euro}
cofinancing_pct: 50
capacity: {euro_per_inwoner: 10}
"""


def test_threshold_in_wrong_unit(tmp_path):
    with pytest.raises(ConfigError, match="moet in 'euro'") as info:
        load_policy(write(tmp_path, SUBSIDY.replace("unit: euro", "unit: inwoners")))
    assert info.value.line == 4
    assert info.value.field == "min_project_size"
    pol, _ = load_policy(write(tmp_path, SUBSIDY))
    assert pol.min_project_size.value == 2_000_000


def test_several_problems_are_all_listed(tmp_path):
    text = GOOD.replace("budget: 1000000", "budget: -1").replace("vaste_voet]", "nope]")
    with pytest.raises(ConfigError) as info:
        load_policy(write(tmp_path, text))
    msg = info.value.render()
    assert "budget" in msg and "nope" in msg
