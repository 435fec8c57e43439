"""Build, config validation, uncertainty, sensitivity and quartiles."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from npvr.cli import app
from npvr.cli._render import to_jsonable
from npvr.errors import ConfigError
from npvr.index import build_index, load_config, quartiles, sensitivity, uncertainty
from npvr.index.explain import unit_texts
from npvr.index.sensitivity import sobol_indices

from .conftest import tiny_config


def test_build_by_hand(snap) -> None:
    res = build_index(tiny_config(), snapshot=snap)
    # min-max, deprivation: a (worse when higher) -> (a-10)/50; b (better when higher) -> (6-b)/5;
    # domain x = mean of the two; y = (c-1)/2; GM0006 lacks c -> its index is domain x only.
    a = (np.array([10, 20, 30, 40, 50, 60]) - 10) / 50
    b = (6 - np.array([6, 5, 4, 3, 2, 1])) / 5
    y = (np.array([1, 1, 2, 2, 3]) - 1) / 2
    expected = np.append(((a + b) / 2)[:5] / 2 + y / 2, ((a + b) / 2)[5])
    got = res.scores.set_index("code").loc[[f"GM000{i}" for i in range(1, 7)], "score"]
    assert_allclose(got, expected)
    assert res.scores["rank"].tolist() == [1, 2, 3, 4, 5, 6]
    assert res.scores["code"].iloc[0] == "GM0006"
    assert any("hoger is beter" in line and "verlaagt" in line for line in res.log)  # direction logged


def test_direction_override_and_context_indicator(snap) -> None:
    cfg = tiny_config()
    cfg["domains"][1]["indicators"] = [{"id": "d"}]
    with pytest.raises(ConfigError, match="context"):
        build_index(cfg, snapshot=snap)
    cfg["domains"][1]["indicators"] = [{"id": "d", "direction": -1}]
    res = build_index(cfg, snapshot=snap)
    assert res.indicators.set_index("indicator_id").loc["d", "direction_catalogue"] == 0
    assert res.indicators.set_index("indicator_id").loc["d", "direction_used"] == -1


@pytest.mark.parametrize(
    ("change", "field", "match", "on_line"),
    [
        (
            {"methods": {"normalisation": "softmax"}},
            "methods.normalisation",
            "onbekende normalisatie",
            "softmax",
        ),
        (
            {"methods": {"weights": "manual"}},
            "domains[0].weight",
            "geen gewicht",
            "id: x",
        ),  # absent: its parent
        ({"colour": "rood"}, "colour", "onbekend veld", "colour"),
        (
            {"uncertainty": {"weight_spread": 1.5}},
            "uncertainty.weight_spread",
            "kleiner zijn dan 1",
            "weight_spread",
        ),
    ],
)
def test_config_errors_name_the_field_and_line(tmp_path, change, field, match, on_line) -> None:
    import yaml

    cfg = tiny_config()
    for k, v in change.items():
        cfg[k] = {**cfg.get(k, {}), **v} if isinstance(v, dict) else v
    path = tmp_path / "idx.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError, match=match) as info:
        load_config(path)
    assert info.value.field == field
    assert info.value.line is not None
    assert on_line in path.read_text().splitlines()[info.value.line - 1]


def test_unknown_indicator_and_level_without_data(snap, tmp_path) -> None:
    path = tmp_path / "idx.yaml"
    path.write_text(
        "name: x\nmethods: {normalisation: minmax}\ndomains:\n  - id: x\n    indicators:\n      - {id: aa}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="onbekende indicator 'aa'; bedoelde u a") as info:
        build_index(path, snapshot=snap)
    assert (info.value.line, info.value.field) == (6, "domains[0].indicators[0].id")
    snap.wijken = pd.DataFrame(columns=["area_code", "indicator_id", "period", "value", "gm_code"])
    with pytest.raises(ConfigError, match="zonder gegevens op niveau 'wijk'") as info:
        build_index(tiny_config(), snapshot=snap, level="wijk")
    assert info.value.field == "level"


def test_uncertainty_fixed_choices_equal_nominal(snap) -> None:
    cfg = tiny_config()
    cfg["uncertainty"] = {"weight_spread": 0.0, "leave_one_out": False}
    res = uncertainty(cfg, snapshot=snap, draws=50, seed=0, select_k=2)
    nominal = build_index(cfg, snapshot=snap).scores.set_index("code")["rank"]
    expected = nominal.loc[res.units["code"]].to_numpy()
    assert np.all(res.ranks == res.ranks[0])
    assert_allclose(res.units["median_rank"], expected)
    assert_allclose(res.units["selection_probability"], (expected <= 2).astype(float))


def test_uncertainty_last_unit_and_seed(snap) -> None:
    cfg = tiny_config()
    cfg["uncertainty"] = {"normalisation": ["zscore", "rank"], "aggregation": ["geometric", "harmonic"]}
    res = uncertainty(cfg, snapshot=snap, draws=400, seed=0, select_k=1)
    u = res.units.set_index("code")
    # GM0001 is the least deprived on every indicator: last in every draw, never selected;
    # reversing the rule (k = n - 1 selects everyone but the last) is the mirror image.
    assert u.loc["GM0001", "selection_probability"] == 0.0
    assert (res.ranks[:, res.units.index[res.units["code"] == "GM0001"][0]] == 6).all()
    everyone = uncertainty(cfg, snapshot=snap, draws=400, seed=0, select_k=6)
    assert (everyone.units["selection_probability"] == 1.0).all()
    again = uncertainty(cfg, snapshot=snap, draws=400, seed=0, select_k=1)
    assert np.array_equal(res.ranks, again.ranks)  # seed 0 is a seed
    pd.testing.assert_frame_equal(res.choices, again.choices)
    other = uncertainty(cfg, snapshot=snap, draws=400, seed=1, select_k=1)
    assert not res.choices.equals(other.choices)


def test_uncertainty_draws_match_single_builds(snap) -> None:
    """A second method: every draw rebuilt with build_index gives the same ranks."""
    cfg = tiny_config()
    cfg["uncertainty"] = {
        "imputation": ["mean"],
        "normalisation": ["zscore", "rank"],
        "aggregation": ["geometric", "copeland"],
        "domain_aggregation": ["harmonic"],
        "weight_spread": 0.0,
        "leave_one_out": False,
    }
    res = uncertainty(cfg, snapshot=snap, draws=30, seed=3, select_k=2)
    for i in range(30):
        choice = res.choices.iloc[i].to_dict()
        single = build_index(tiny_config(**choice), snapshot=snap).scores.set_index("code")["rank"]
        assert_allclose(res.ranks[i], single.loc[res.units["code"]].to_numpy())


def test_sobol_reproduces_ishigami() -> None:
    a, b = 7.0, 0.1

    def ishigami(u: np.ndarray) -> np.ndarray:
        x = u * 2 * np.pi - np.pi
        return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])

    v = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    s1 = np.array([v1 / v, v2 / v, 0.0])
    st = np.array([(v1 + v13) / v, v2 / v, v13 / v])
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0, 1]] * 3}
    res = sobol_indices(ishigami, problem, n=4096, seed=0)
    assert np.all(np.abs(res["S1"] - s1) <= res["S1_conf"] + 0.01)
    assert np.all(np.abs(res["ST"] - st) <= res["ST_conf"] + 0.01)
    again = sobol_indices(ishigami, problem, n=4096, seed=0)
    pd.testing.assert_frame_equal(res, again)


def test_sensitivity_on_ranks(snap) -> None:
    cfg = tiny_config()
    cfg["domains"] = [
        {"id": "x", "indicators": [{"id": "a"}]},
        {"id": "y", "indicators": [{"id": "d", "direction": 1}]},
    ]
    cfg["uncertainty"] = {"normalisation": ["rank"], "leave_one_out": True, "weight_spread": 0.0}
    res = sensitivity(cfg, snapshot=snap, n=64, seed=0, num_resamples=20)
    assert res.evaluations == 64 * (len(res.factors) + 2)
    st = res.indices.set_index("factor")["ST"]
    # leaving a or d out leaves the other alone: the ranks follow it -> a large effect; minmax and
    # rank order a (evenly spaced) and d (a permutation of 1..6) identically -> no effect
    assert st["leave_one_out"] > 0.5
    assert_allclose(st["normalisation"], 0.0, atol=1e-12)
    with pytest.raises(ConfigError, match="macht van 2"):
        sensitivity(cfg, snapshot=snap, n=100)


def test_quartiles_by_hand(snap) -> None:
    res = quartiles(snapshot=snap)
    cells = res.cells.set_index(["code", "indicator_id"])
    # a = 10..60, higher is worse: quartile bounds 22.5/35/47.5 -> 10 is best (4, groen), 60 worst
    assert cells.loc[("GM0001", "a"), "colour"] == "groen"
    assert cells.loc[("GM0006", "a"), "colour"] == "rood"
    assert cells.loc[("GM0003", "a"), "quartile"] == 3
    assert ("GM0001", "d") not in cells.index  # context indicators do not count
    summary = res.summary.set_index("code")
    assert summary.loc["GM0001", "n_green"] == 3  # a, b and c (c=1 <= 25th percentile 1)
    assert summary.loc["GM0006", "n_indicators"] == 2  # c missing


def test_texts_dutch_and_english(snap) -> None:
    cfg = tiny_config()
    cfg["uncertainty"] = {"normalisation": ["rank"], "aggregation": ["harmonic"]}
    res = uncertainty(cfg, snapshot=snap, draws=200, seed=0, select_k=2)
    nl = unit_texts(res)
    en = unit_texts(res, lang="en")
    assert nl["text"].iloc[0].startswith("Gemeente 6 staat in de nominale index op plaats 1 van 6")
    assert "Probability of being among the 2 most deprived" in en["text"].iloc[0]


# --- real snapshot and CLI ----------------------------------------------------------------------------


def test_default_index_on_the_snapshot() -> None:
    res = build_index()
    assert len(res.scores) == 342
    assert set(res.indicators["domain"]) == {"inkomen", "werk", "gezondheid", "opleiding", "veiligheid"}
    # the PON&Telos domains without a sound indicator are named, with the reason, not left out silently
    assert {"huisvesting", "woonomgeving"} == set(load_config().missing_domains)
    assert "aandeel_leegstand" not in set(res.indicators["indicator_id"])
    assert_allclose(res.indicators["effective_weight"].sum(), 1.0)
    assert res.indicators["provenance"].str.startswith(("CBS", "RIVM")).all()


def test_cli_json_equals_library(tmp_path) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["index", "build", "--level", "provincie", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == to_jsonable(build_index(level="provincie").to_dict())
    out = runner.invoke(
        app, ["index", "uncertainty", "--draws", "50", "--level", "provincie", "--select-k", "3", "--json"]
    )
    assert out.exit_code == 0, out.output
    lib = uncertainty(None, draws=50, seed=0, select_k=3, level="provincie")
    assert json.loads(out.stdout) == to_jsonable(lib.to_dict())
    target = tmp_path / "idx.csv"
    out = runner.invoke(app, ["index", "build", "--level", "corop", "--out", str(target)])
    assert out.exit_code == 0 and len(pd.read_csv(target)) == 40


def test_cli_bad_config_exit_2(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("domains:\n  - id: x\n    indicators:\n      - {id: bestaat_niet}\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["index", "build", str(path)])
    assert out.exit_code == 2
    assert "regel 4" in out.output and "bestaat_niet" in out.output
    out = CliRunner().invoke(app, ["index", "build", "--level", "buurt"])
    assert out.exit_code == 2 and "onbekend niveau" in out.output
    # the level came from the command line: the message names --level, not the shipped YAML
    assert "--level" in out.output and "default_index.yaml" not in out.output
