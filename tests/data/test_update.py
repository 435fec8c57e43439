"""Live refresh: recorded OData responses, the raw-file layout, and the all-or-nothing snapshot swap.

No test touches the network: clients are fakes serving JSON fixtures (tests/data/fixtures/odata/, real
rows of the raw files in the OData shape) or rows converted from ../shared/data at test time.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from npvr.data import regional, sources, update
from npvr.errors import DataError, OutputError, ValidationError

FIXTURES = Path(__file__).parent / "fixtures" / "odata"
# The raw folder as the conftest's ``shared_data`` fixture finds it; tests reading it request that fixture.
SHARED = Path(
    os.environ.get("NPVR_SHARED_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data"
).resolve()


class FakeClient:
    """Serves table rows from memory; records the calls; can fail on a given table."""

    def __init__(self, tables: dict[str, list[dict[str, Any]]], *, fail_on: str | None = None) -> None:
        self.tables = tables
        self.fail_on = fail_on
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def rows(self, table_id: str, **kwargs: Any) -> list[dict[str, Any]]:
        self.calls.append((table_id, kwargs))
        if table_id == self.fail_on:
            raise ConnectionError("connection reset by peer")
        return [dict(r) for r in self.tables[table_id]]


def recorded() -> dict[str, list[dict[str, Any]]]:
    return {
        t: json.loads((FIXTURES / f"{t}_TypedDataSet.json").read_text(encoding="utf-8"))
        for t in update.TABLES
    }


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the sha256 of its bytes: 'byte-for-byte untouched' made testable."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture()
def current(tmp_path: Path) -> Path:
    """A stand-in current snapshot folder with some files."""
    snap = tmp_path / "pkg" / "snapshot"
    snap.mkdir(parents=True)
    (snap / "values.parquet").write_bytes(b"old values \x00\x01")
    (snap / "manifest.json").write_text('{"old": true}\n', encoding="utf-8")
    return snap


def fake_build(source: Path, out: Path) -> None:
    """Writes a marker file per source file so tests can see what the build got."""
    out.mkdir(parents=True)
    listing = sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
    (out / "built_from.json").write_text(json.dumps(listing), encoding="utf-8")


def accept(new: Path, current: Path | None) -> None:
    assert (new / "built_from.json").is_file()


# --------------------------------------------------------------------------- fetch


def test_fetch_passes_table_filters_and_returns_frames() -> None:
    client = FakeClient(recorded())
    frames = update.fetch_tables(["85984NED", "50140NED"], client=client)
    assert list(frames) == ["85984NED", "50140NED"]
    kwb = frames["85984NED"]
    assert len(kwb) == 5  # 3 gemeenten + 2 wijken in the recording
    assert kwb.loc[kwb["WijkenEnBuurten"].str.strip() == "GM0014", "AantalInwoners_5"].tolist() == [243768]
    table, kwargs = client.calls[0]
    assert table == "85984NED" and kwargs["catalog_url"] == "opendata.cbs.nl"
    assert kwargs["select"][:4] == ["WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3"]
    assert client.calls[1][1]["catalog_url"] == "dataderden.cbs.nl"
    assert "T009002" in client.calls[1][1]["filters"]


def test_fetch_network_error_names_the_table() -> None:
    with pytest.raises(DataError, match=r"50090NED.*connection reset"):
        update.fetch_tables(list(update.TABLES), client=FakeClient(recorded(), fail_on="50090NED"))


@pytest.mark.parametrize(
    ("damage", "match"),
    [
        (lambda rows: [], "geen regels"),
        (
            lambda rows: [{k: v for k, v in r.items() if k != "AantalInwoners_5"} for r in rows],
            "AantalInwoners_5",
        ),
        (lambda rows: [*rows, rows[0]], "dubbele regels"),
    ],
)
def test_fetch_rejects_broken_responses(damage, match) -> None:
    tables = recorded()
    tables["85984NED"] = damage(tables["85984NED"])
    with pytest.raises(DataError, match=match):
        update.fetch_tables(["85984NED"], client=FakeClient(tables))


def test_unknown_table_is_refused_before_fetching() -> None:
    client = FakeClient(recorded())
    with pytest.raises(DataError, match="99999NED"):
        update.fetch_tables(["99999NED"], client=client)
    assert client.calls == []


def test_default_client_uses_cbsodata_download_data_keys() -> None:
    class FakeCbsodata:
        def download_data(self, table_id, **kwargs):
            self.args = (table_id, kwargs)
            return {
                "DataProperties": [],
                "RegioS": [{"Key": "GM0014", "Title": "Groningen"}],
                "TypedDataSet": [{"RegioS": "GM0014  ", "X_1": 1.5}],
            }

    module = FakeCbsodata()
    rows = update.CbsODataClient(module).rows(
        "50140NED", catalog_url="dataderden.cbs.nl", filters="f", select=None
    )
    assert rows == [{"RegioS": "GM0014  ", "X_1": 1.5}]  # the key, not the title 'Groningen'
    assert module.args == ("50140NED", {"select": None, "filters": "f", "catalog_url": "dataderden.cbs.nl"})


# --------------------------------------------------------------------------- the raw layout


def test_written_files_read_back_with_the_build_readers(tmp_path: Path) -> None:
    frames = update.fetch_tables(list(update.TABLES), client=FakeClient(recorded()))
    src = update.write_sources(frames, tmp_path / "src")
    written = sorted(p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file())
    assert written == sorted(f for files in update.OUTPUTS.values() for f in files)

    kwb = sources.read_kwb2024(src).pivot(index="area_code", columns="indicator_id", values="value")
    assert_allclose(
        kwb.loc["GM0014", ["inwoners", "woningvoorraad", "oppervlakte_land"]], [243768, 124258, 185.53]
    )
    wijken = sources.read_kwb2024_wijken(src)
    assert set(wijken["gm_code"]) == {"GM0014", "GM0034"}
    fx = {r["RegioS"].strip(): r for r in recorded()["50140NED"]}
    young = sources.read_young_adult_health(src)
    got = young[young.area_code == "GM0153"].set_index("indicator_id")["value"]
    assert_allclose(got["jv_goede_gezondheid"], fx["GM0153"]["GoedErvarenGezondheid_6"])
    assert_allclose(got["jv_schulden"], fx["GM0153"]["HeeftSchulden_3"])
    rivm = sources.read_rivm_2020(src)
    fx90 = {(r["Leeftijd"], r["WijkenEnBuurten"]): r for r in recorded()["50090NED"]}
    got = rivm[(rivm.area_code == "GM0014")].set_index("indicator_id")["value"]
    assert_allclose(
        got["goede_gezondheid_18plus"], fx90[("20300", "GM0014")]["ErvarenGezondheidGoedZeerGoed_4"]
    )
    assert_allclose(got["eenzaam_65plus"], fx90[("80200", "GM0014")]["Eenzaam_28"])
    # the code-keyed tables (labour 86088NED, regional accounts 85924NED)
    labour = regional.read_labour(src)
    got = labour[(labour.area_code == "GM1680") & (labour.period == 2024)].set_index("indicator_id")["value"]
    fx88 = {(r["RegioS"].strip(), r["Perioden"]): r for r in recorded()["86088NED"]}
    assert got["netto_arbeidsparticipatie"] == fx88[("GM1680", "2024JJ00")]["NettoArbeidsparticipatie_16"]
    assert got["bevolking_15_75"] == 1000 * fx88[("GM1680", "2024JJ00")]["BeroepsEnNietBeroepsbevolking_1"]
    assert (
        regional.labour_national(src)[("werkloosheid", 2024)]
        == fx88[("NL01", "2024JJ00")]["Werkloosheidspercentage_13"]
    )
    fx24 = {(r["RegioS"].strip(), r["Perioden"]): r for r in recorded()["85924NED"]}
    assert (
        regional.accounts_national(src)[("bbp_per_inwoner", 2023)]
        == fx24[("NL01", "2023JJ00")]["BbpPerInwoner_2"]
    )
    reference = pd.DataFrame({"gm_code": ["GM0197"], "corop_code": ["CR14"]}).set_index("gm_code")
    acc = regional.read_accounts(src, reference)
    got = acc[(acc.indicator_id == "bbp_per_inwoner") & (acc.period == 2023)].set_index("area_code")["value"]
    assert got["GM0197"] == fx24[("CR14", "2023JJ00")]["BbpPerInwoner_2"]


def test_written_headers_match_the_raw_files(shared_data: Path, tmp_path: Path) -> None:
    frames = update.fetch_tables(list(update.TABLES), client=FakeClient(recorded()))
    src = update.write_sources(frames, tmp_path / "src")
    for files in update.OUTPUTS.values():
        for rel in files:
            ours, raw = (src / rel).read_text(encoding="utf-8"), (SHARED / rel).read_text(encoding="utf-8")
            assert ours.splitlines()[0] == raw.splitlines()[0], rel
    # A line for a gemeente present in both is byte-identical to the raw file.
    line = next(
        x for x in (src / update.OUTPUTS["85984NED"][0]).read_text().splitlines() if x.startswith("GM0153")
    )
    assert line in (SHARED / update.OUTPUTS["85984NED"][0]).read_text().splitlines()


# --------------------------------------------------------------------------- all or nothing


def test_update_swaps_in_the_new_snapshot(current: Path, tmp_path: Path) -> None:
    base = tmp_path / "raw"
    (base / "geo").mkdir(parents=True)
    (base / "geo" / "gemeente_2025.topojson").write_text("{}", encoding="utf-8")
    (base / update.OUTPUTS["50140NED"][0]).parent.mkdir(parents=True)
    (base / update.OUTPUTS["50140NED"][0]).write_text("stale", encoding="utf-8")
    seen: dict[str, str] = {}

    def build(source: Path, out: Path) -> None:
        seen["young"] = (source / update.OUTPUTS["50140NED"][0]).read_text(encoding="utf-8-sig")[:3]
        seen["geo_is_link"] = str((source / "geo" / "gemeente_2025.topojson").is_symlink())
        fake_build(source, out)

    result = update.update_snapshot(
        current, build=build, base_source=base, client=FakeClient(recorded()), validate=accept
    )
    assert result == current
    assert seen == {"young": "ID;", "geo_is_link": "True"}  # fetched file replaces the stale one
    assert sorted(p.name for p in current.iterdir() if p.name != ".npvr-output") == ["built_from.json"]
    built = json.loads((current / "built_from.json").read_text())
    assert "geo/gemeente_2025.topojson" in built and update.OUTPUTS["85984NED"][1] in built
    assert sorted(p.name for p in current.parent.iterdir()) == ["snapshot"]  # no staging or old folder left


def test_client_failing_half_way_leaves_snapshot_untouched(current: Path) -> None:
    before = tree_digest(current)
    called = []
    with pytest.raises(DataError, match="50140NED"):
        update.update_snapshot(
            current,
            build=lambda s, o: called.append(s),
            client=FakeClient(recorded(), fail_on="50140NED"),
            validate=accept,
        )
    assert called == []
    assert tree_digest(current) == before
    assert sorted(p.name for p in current.parent.iterdir()) == ["snapshot"]


def test_build_that_raises_leaves_snapshot_untouched(current: Path) -> None:
    before = tree_digest(current)

    def broken_build(source: Path, out: Path) -> None:
        out.mkdir(parents=True)
        (out / "values.parquet").write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        update.update_snapshot(current, build=broken_build, client=FakeClient(recorded()), validate=accept)
    assert tree_digest(current) == before
    assert sorted(p.name for p in current.parent.iterdir()) == ["snapshot"]


def test_incomplete_snapshot_is_refused(current: Path) -> None:
    before = tree_digest(current)
    with pytest.raises(ValidationError, match=r"gemeenten\.parquet") as info:
        update.update_snapshot(current, build=fake_build, client=FakeClient(recorded()))
    missing = {p.file for p in info.value.problems}
    assert missing == set(update.SNAPSHOT_FILES)  # every missing file reported, not just the first
    assert tree_digest(current) == before


def test_failed_rename_puts_the_old_snapshot_back(current: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree_digest(current)
    real_rename = os.rename
    calls = []

    def flaky_rename(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the rename of the new snapshot into place
            raise OSError("device busy")
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", flaky_rename)
    with pytest.raises(OutputError, match="device busy"):
        update.update_snapshot(current, build=fake_build, client=FakeClient(recorded()), validate=accept)
    assert tree_digest(current) == before
    assert sorted(p.name for p in current.parent.iterdir()) == ["snapshot"]


# --------------------------------------------------------------------------- with the real build


def _typed(v: str) -> Any:
    v = v.strip()
    if not v:
        return None
    return int(v) if v.lstrip("-").isdigit() else float(v)


def responses_from_raw() -> dict[str, list[dict[str, Any]]]:
    """What the API would answer if CBS still published the raw files' figures (built at test time)."""
    stats = SHARED / "stats"
    with (stats / "kwb2024_85984NED_gemeenten.csv").open(encoding="utf-8") as fh:
        gem = list(csv.DictReader(fh))
    with (stats / "kwb2024_85984NED_wijken.csv").open(encoding="utf-8") as fh:
        wijk = list(csv.DictReader(fh))
    names = {r["gm_code"]: r["gm_naam"] for r in gem}
    kwb = [
        {
            "WijkenEnBuurten": r["gm_code"],
            "Gemeentenaam_1": r["gm_naam"],
            "SoortRegio_2": "Gemeente  ",
            "Codering_3": r["gm_code"],
            **{v: _typed(r[v]) for v in update._KWB_VARIABLES},
        }
        for r in gem
    ]
    kwb += [
        {
            "WijkenEnBuurten": r["wk_code"],
            "Gemeentenaam_1": names[r["gm_code"]],
            "SoortRegio_2": "Wijk      ",
            "Codering_3": r["wk_code"],
            **{v: _typed(r[v]) for v in update._KWB_VARIABLES},
        }
        for r in wijk
    ]
    dims = {
        "Persoonskenmerken",
        "Marges",
        "RegioS",
        "Leeftijd",
        "WijkenEnBuurten",
        "Perioden",
        "Gemeentenaam_1",
        "SoortRegio_2",
        "Codering_3",
    }
    with (SHARED / update.OUTPUTS["50140NED"][0]).open(encoding="utf-8-sig") as fh:
        young = [
            {k: v if k in dims else _typed(v) for k, v in r.items()}
            for r in csv.DictReader(fh, delimiter=";")
        ]
    rivm = []
    for rel in update.OUTPUTS["50090NED"]:
        with (SHARED / rel).open(encoding="utf-8") as fh:
            rivm += [{k: v if k in dims else _typed(v) for k, v in r.items()} for r in csv.DictReader(fh)]
    coded = {}
    for table_id, columns in (("86088NED", update._LABOUR_COLUMNS), ("85924NED", update._ACCOUNTS_COLUMNS)):
        (rel,) = update.OUTPUTS[table_id]
        with (SHARED / rel).open(encoding="utf-8") as fh:
            coded[table_id] = [
                {
                    **({"Persoonskenmerken": "T009002"} if table_id == "86088NED" else {}),
                    "RegioS": r["regio_code"].ljust(8),
                    "Perioden": f"{r['jaar']}JJ00",
                    **{key: _typed(r[col]) for col, key in columns.items()},
                }
                for r in csv.DictReader(fh)
            ]
    return {"85984NED": kwb, "50140NED": young, "50090NED": rivm, **coded}


@pytest.fixture(scope="module")
def built(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from npvr.data.build import build_snapshot

    return build_snapshot(SHARED, tmp_path_factory.mktemp("snap") / "snapshot")


def test_round_trip_through_the_api_layout_reproduces_the_snapshot(built: Path, tmp_path: Path) -> None:
    from npvr.data.build import build_snapshot

    target = tmp_path / "snapshot"
    shutil.copytree(built, target)
    update.update_snapshot(
        target, build=build_snapshot, base_source=SHARED, client=FakeClient(responses_from_raw())
    )
    for name in ("values.parquet", "wijken.parquet", "gemeenten.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(target / name), pd.read_parquet(built / name))


def test_partial_api_data_is_refused_by_coverage(built: Path, tmp_path: Path) -> None:
    from npvr.data.build import build_snapshot

    target = tmp_path / "snapshot"
    shutil.copytree(built, target)
    before = tree_digest(target)
    responses = responses_from_raw()
    responses["50140NED"] = [
        r for r in responses["50140NED"] if r["RegioS"].strip() not in ("GM0014", "GM0034")
    ]
    with pytest.raises(ValidationError, match="gemeenten met een waarde") as info:
        update.update_snapshot(target, build=build_snapshot, base_source=SHARED, client=FakeClient(responses))
    assert {p.field for p in info.value.problems} == set(sources.YOUNG_ADULT_HEALTH.values())
    assert tree_digest(target) == before


def test_run_update_needs_a_source_folder_before_going_online(tmp_path: Path) -> None:
    client = FakeClient(recorded())
    with pytest.raises(DataError, match="--source"):
        update.run_update(target=tmp_path / "snapshot", source=tmp_path / "absent", client=client)
    assert client.calls == []
    assert not (tmp_path / "snapshot").exists()
