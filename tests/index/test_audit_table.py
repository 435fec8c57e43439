"""Statistical audit (against pandas computed here), the steps export, and a user's own table
(`--data`): the happy path and every kind of bad input, each named by file, line and column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from npvr.cli import app
from npvr.errors import ValidationError
from npvr.index import build_index, load_table
from npvr.index.audit import audit_prepared, cronbach_alpha, export_steps
from npvr.index.pipeline import prepare

from .conftest import tiny_config


def _alpha_pandas(items: pd.DataFrame) -> float:
    """Cronbach's alpha from the covariance matrix: k/(k-1)·(1 - trace(C) / sum(C))."""
    c = items.dropna().cov()
    k = c.shape[0]
    return k / (k - 1) * (1 - np.trace(c.to_numpy()) / c.to_numpy().sum())


def test_cronbach_alpha_and_correlations_match_pandas() -> None:
    prep = prepare(None)  # the shipped deprivation index on the real snapshot
    res = audit_prepared(prep)
    z = pd.DataFrame(
        np.asarray(prep.cache[("normalised", "median", "none", "zscore")]), columns=prep.indicators
    )
    assert_allclose(res.correlations.to_numpy(), z.corr().to_numpy(), atol=1e-12)
    for row in res.alpha.itertuples():
        cols = [i for i, g in zip(prep.indicators, prep.leaf_of, strict=True) if prep.leaves[g] == row.node]
        if len(cols) < 2:  # a one-indicator domain (veiligheid) has no alpha
            assert np.isnan(row.cronbach_alpha)
            continue
        assert_allclose(row.cronbach_alpha, _alpha_pandas(z[cols]), rtol=1e-10)
    # income indicators measure one thing: a reliable scale
    assert res.alpha.set_index("node").loc["inkomen", "cronbach_alpha"] > 0.7
    # the structure table: each indicator's correlation with the index, recomputed with pandas
    idx = build_index().scores.set_index("code").loc[prep.units, "score"].to_numpy()
    got = res.structure.set_index("indicator_id")["r_index"]
    for iid in prep.indicators:
        assert_allclose(got[iid], np.corrcoef(z[iid], idx)[0, 1], rtol=1e-10)


def test_audit_flags_negative_and_redundant_pairs(snap) -> None:
    cfg = tiny_config()
    cfg["domains"] = [
        {"id": "x", "indicators": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d", "direction": 1}]}
    ]
    res = audit_prepared(prepare(cfg, snapshot=snap))
    kinds = {(k, a, b) for k, a, b in res.flags[["kind", "a", "b"]].itertuples(index=False)}
    assert ("redundant", "a", "b") in kinds  # a and b are exact mirrors: r = 1 after orientation
    assert cronbach_alpha(np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 5.0]])) == pytest.approx(
        _alpha_pandas(pd.DataFrame([[1.0, 2.0], [2.0, 4.0], [3.0, 5.0]]))
    )


def test_export_steps_writes_every_step(tmp_path) -> None:
    prep = prepare(None, level="provincie")
    out = export_steps(prep, tmp_path / "stappen.xlsx")
    book = pd.read_excel(out, sheet_name=None, engine="openpyxl")
    for sheet in (
        "ruw",
        "geimputeerd",
        "behandeld",
        "genormaliseerd",
        "niveau1",
        "index",
        "gewichten",
        "cronbach_alpha",
    ):
        assert sheet in book, sheet
    assert len(book["ruw"]) == 12
    assert_allclose(book["gewichten"].query("level == 0")["effective_weight"].sum(), 1.0)


# --- a user's own table -----------------------------------------------------------------------------

DATA = "code,name,gdp,crime,school\nA,Alfa,10,5,80\nB,Beta,20,3,85\nC,Gamma,30,8,70\nD,Delta,25,,90\n"
META = (
    "iCode,iName,Direction,Parent,Weight\n"
    "gdp,GDP,1,econ,1\nschool,School,1,soc,1\ncrime,Crime,-1,soc,1\necon,Economy,,,1\nsoc,Social,,,1\n"
)


def test_user_table_builds_like_coinr(tmp_path) -> None:
    (tmp_path / "d.csv").write_text(DATA, encoding="utf-8")
    (tmp_path / "m.csv").write_text(META, encoding="utf-8")
    table = load_table(tmp_path / "d.csv", tmp_path / "m.csv")
    cfg = table.config()
    cfg["methods"] |= {"imputation": "none", "normalisation": "minmax", "minmax_range": [0, 100]}
    res = build_index(cfg, snapshot=table)
    assert res.level == "eigen"
    # by hand: econ = minmax(gdp); soc = mean(minmax(school), minmax(-crime)); index = mean(econ, soc)
    gdp = (np.array([10, 20, 30, 25]) - 10) / 20 * 100
    school = (np.array([80, 85, 70, 90]) - 70) / 20 * 100
    crime = np.array([(8 - 5) / 5, (8 - 3) / 5, 0.0, np.nan]) * 100
    soc = np.array([(school[i] + crime[i]) / 2 if i < 3 else school[3] for i in range(4)])
    expected = (gdp + soc) / 2
    got = res.scores.set_index("code").loc[["A", "B", "C", "D"], "score"]
    assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("data", "meta", "where", "what"),
    [
        (DATA.replace("code,", "unit,"), META, "regel 1, veld 'code'", "ontbreekt"),
        (DATA.replace("B,Beta,20", "B,Beta,twintig"), META, "regel 3, veld 'gdp'", "geen getal"),
        (DATA + "B,Beta2,1,1,1\n", META, "regel 6, veld 'code'", "twee keer"),
        (DATA.replace(",school", ",schol"), META, "veld 'school'", "geen kolom"),
        (DATA, META.replace("crime,Crime,-1", "crime,Crime,2"), "regel 4, veld 'direction'", "1 of -1"),
    ],
)
def test_bad_user_table_is_named_and_exits_2(tmp_path, data, meta, where, what) -> None:
    (tmp_path / "d.csv").write_text(data, encoding="utf-8")
    (tmp_path / "m.csv").write_text(meta, encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        load_table(tmp_path / "d.csv", tmp_path / "m.csv")
    assert where in str(exc.value) and what in str(exc.value)
    out = CliRunner().invoke(
        app, ["index", "build", "--data", str(tmp_path / "d.csv"), "--meta", str(tmp_path / "m.csv")]
    )
    assert out.exit_code == 2 and where in out.output


def test_config_naming_a_missing_column_names_the_config_line(tmp_path) -> None:
    (tmp_path / "d.csv").write_text(DATA, encoding="utf-8")
    (tmp_path / "m.csv").write_text(META, encoding="utf-8")
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        "name: t\norientation: welfare\ndomains:\n  - id: x\n    indicators:\n"
        "      - {id: gdp}\n      - {id: jobs}\n",
        encoding="utf-8",
    )
    out = CliRunner().invoke(
        app,
        ["index", "build", str(cfg), "--data", str(tmp_path / "d.csv"), "--meta", str(tmp_path / "m.csv")],
    )
    assert out.exit_code == 2
    assert "regel 7" in out.output and "jobs" in out.output and "d.csv" in out.output


def test_shipped_examples_run() -> None:
    from pathlib import Path

    ex = Path(__file__).resolve().parents[2] / "examples" / "index"
    res = build_index(ex / "three_levels_regio.yaml")
    assert res.level == "regio" and len(res.scores) == 42
    assert {"inkomen", "werk", "bestaanszekerheid", "kansen"} <= set(res.nodes.columns)
    table = load_table(ex / "provincies.csv", ex / "provincies_meta.csv")
    prov = build_index(table.config(), snapshot=table).scores
    assert len(prov) == 12 and prov.iloc[0]["name"] == "Utrecht"  # welfare orientation: best first


def test_unknown_level_in_a_config_names_file_line_and_field(tmp_path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        "name: t\nlevel: buurt\ndomains:\n  - id: x\n    indicators:\n      - {id: werkloosheid}\n",
        encoding="utf-8",
    )
    out = CliRunner().invoke(app, ["index", "build", str(cfg)])
    assert out.exit_code == 2
    assert "c.yaml" in out.output and "regel 2" in out.output and "level" in out.output


def test_cli_audit_json_and_steps(tmp_path) -> None:
    import json

    from npvr.cli._render import to_jsonable
    from npvr.index import audit

    out = CliRunner().invoke(app, ["index", "audit", "--level", "provincie", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == json.loads(json.dumps(to_jsonable(audit(level="provincie").to_dict())))
    target = tmp_path / "stappen.xlsx"
    args = ["index", "build", "--level", "provincie", "--steps", str(target), "--json"]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0
    assert "genormaliseerd" in pd.read_excel(target, sheet_name=None, engine="openpyxl")
