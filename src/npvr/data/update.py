"""Live refresh: fetch the CBS tables again through the OData API and swap in a new snapshot when whole.

``update_snapshot`` is what ``npvr data update`` runs:

1. **Fetch** every table in :data:`TABLES` through an :class:`ODataClient` (default: the ``cbsodata``
   package). A network error, an empty table, a missing column or a duplicate row is a DataError.
2. **Lay out** a fresh temporary source folder (outside the repository) like ``../shared/data``: the
   fetched tables are written in the exact layout of the raw files they replace (:data:`OUTPUTS`); every
   other raw file is symlinked from ``base_source`` when given. Nothing raw is copied into the project.
3. **Build** with the caller's ``build(source_dir, out_dir)`` (normally
   ``npvr.data.build.build_snapshot``) into a staging folder next to the target.
4. **Validate** the new snapshot (:func:`validate_snapshot`: every file present, 342 gemeenten, no empty
   table, no indicator or coverage lost against the current snapshot).
5. **Swap** atomically: rename the current snapshot aside, rename the new one in, and delete the old one
   only after that succeeded.

Any exception before step 5 leaves the current snapshot byte-for-byte untouched; a failure inside the
swap puts the old folder back. Temporary folders are always removed.

Why not ``cbsodata.get_data``: it replaces dimension keys by their titles, so ``RegioS`` = ``GM0014``
comes back as ``Groningen`` and the code is lost for 50140NED. :class:`CbsODataClient` therefore asks
``cbsodata.download_data`` for the data set itself, which keeps the OData keys.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from npvr.data.snapshot import SNAPSHOT_FILES, clear_cache, read_snapshot
from npvr.errors import DataError, Problem, ValidationError
from npvr.output import atomic_dir

__all__ = [
    "OUTPUTS",
    "TABLES",
    "CbsODataClient",
    "ODataClient",
    "TableSpec",
    "fetch_tables",
    "run_update",
    "update_snapshot",
    "validate_snapshot",
    "write_sources",
]

N_GEMEENTEN = 342

_KWB_VARIABLES = (
    "AantalInwoners_5",
    "Mannen_6",
    "Vrouwen_7",
    "Bevolkingsdichtheid_34",
    "Woningvoorraad_35",
    "OppervlakteTotaal_122",
    "OppervlakteLand_123",
    "OppervlakteWater_124",
)


#: derived-file column -> OData key, for the tables whose raw files are keyed by region code
_LABOUR_COLUMNS = {
    "bevolking_15_75_x1000": "BeroepsEnNietBeroepsbevolking_1",
    "beroepsbevolking_x1000": "Beroepsbevolking_2",
    "werkzame_beroepsbevolking_x1000": "WerkzameBeroepsbevolking_3",
    "werkloze_beroepsbevolking_x1000": "WerklozeBeroepsbevolking_12",
    "werkloosheidspercentage": "Werkloosheidspercentage_13",
    "netto_arbeidsparticipatie_pct": "NettoArbeidsparticipatie_16",
    "bruto_arbeidsparticipatie_pct": "BrutoArbeidsparticipatie_15",
}
_ACCOUNTS_COLUMNS = {
    "bbp_mln_eur": "BbpMarktprijzen_1",
    "bbp_per_inwoner_eur": "BbpPerInwoner_2",
    "bbp_volumemutatie_pct": "BbpVolumemutaties_3",
    "bruto_toegevoegde_waarde_mln_eur": "ToegevoegdeWaardeBrutoBasisprijzen_5",
    "beloning_werknemers_mln_eur": "BeloningVanWerknemers_6",
    "werkzame_personen_x1000": "WerkzamePersonenTotaal_10",
    "werknemers_x1000": "Werknemers_11",
    "zelfstandigen_x1000": "Zelfstandigen_12",
}
_REGION_TYPES = {"NL": "land", "PV": "provincie", "CR": "corop", "GM": "gemeente"}
_REGIONS_FILTER = "(" + " or ".join(f"startswith(RegioS,'{p}')" for p in _REGION_TYPES) + ")"


@dataclass(frozen=True)
class TableSpec:
    """One CBS OData table: where it lives, which rows and columns to ask for, what must be in it."""

    table_id: str
    catalog_url: str  # "opendata.cbs.nl" (CBS) or "dataderden.cbs.nl" (third parties such as RIVM)
    filters: str | None  # OData $filter
    select: tuple[str, ...] | None  # OData $select; None = all columns
    key: tuple[str, ...]  # columns that identify a row; duplicates are an error
    required: tuple[str, ...]  # columns every response must carry


#: The tables ``npvr data update`` refreshes (one registry; the writers and the tests read it).
TABLES: dict[str, TableSpec] = {
    spec.table_id: spec
    for spec in (
        TableSpec(
            "85984NED",
            "opendata.cbs.nl",
            "startswith(WijkenEnBuurten,'GM') or startswith(WijkenEnBuurten,'WK')",
            ("WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3", *_KWB_VARIABLES),
            ("WijkenEnBuurten",),
            ("WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3", *_KWB_VARIABLES),
        ),
        TableSpec(
            "50140NED",
            "dataderden.cbs.nl",
            "Persoonskenmerken eq 'T009002' and Marges eq 'MW00000'",
            None,
            ("Persoonskenmerken", "Marges", "RegioS"),
            (
                "ID",
                "Persoonskenmerken",
                "Marges",
                "RegioS",
                "GoedErvarenGezondheid_6",
                "MoeiteMetRondkomen_1",
            ),
        ),
        TableSpec(
            "50090NED",
            "dataderden.cbs.nl",
            "Marges eq 'MW00000' and Perioden eq '2020JJ00' and (Leeftijd eq '20300' or Leeftijd eq '80200')"
            " and (WijkenEnBuurten eq 'NL01' or startswith(WijkenEnBuurten,'GM'))",
            None,
            ("Leeftijd", "Marges", "WijkenEnBuurten", "Perioden"),
            (
                "ID",
                "Leeftijd",
                "Marges",
                "WijkenEnBuurten",
                "Perioden",
                "Gemeentenaam_1",
                "SoortRegio_2",
                "Codering_3",
                "ErvarenGezondheidGoedZeerGoed_4",
                "Eenzaam_28",
            ),
        ),
        TableSpec(
            "86088NED",
            "opendata.cbs.nl",
            f"Persoonskenmerken eq 'T009002' and {_REGIONS_FILTER}",
            ("Persoonskenmerken", "RegioS", "Perioden", *_LABOUR_COLUMNS.values()),
            ("Persoonskenmerken", "RegioS", "Perioden"),
            ("RegioS", "Perioden", *_LABOUR_COLUMNS.values()),
        ),
        TableSpec(
            "85924NED",
            "opendata.cbs.nl",
            "startswith(RegioS,'NL') or startswith(RegioS,'PV') or startswith(RegioS,'CR')",
            ("RegioS", "Perioden", *_ACCOUNTS_COLUMNS.values()),
            ("RegioS", "Perioden"),
            ("RegioS", "Perioden", *_ACCOUNTS_COLUMNS.values()),
        ),
    )
}

#: Raw files (relative to a source folder) that each fetched table replaces.
OUTPUTS: dict[str, tuple[str, ...]] = {
    "85984NED": ("stats/kwb2024_85984NED_gemeenten.csv", "stats/kwb2024_85984NED_wijken.csv"),
    "50140NED": ("stats/rivm_ggd_50140NED_gezondheidsmonitor_jongvolwassenen_2024_gemeenten.csv",),
    "50090NED": (
        "stats/rivm_50090NED_gezondheid_wijk_buurt_2020_18plus_gemeenten.csv",
        "stats/rivm_50090NED_gezondheid_wijk_buurt_2020_65plus_gemeenten.csv",
    ),
    "86088NED": ("stats/regio_2025_arbeidsdeelname_86088NED_2013_2024.csv",),
    "85924NED": ("stats/corop_2025_regionale_rekeningen_85924NED_1995_2023.csv",),
}


class ODataClient(Protocol):
    """What update needs from an OData client: the rows of one table, keys as in the API."""

    def rows(
        self, table_id: str, *, catalog_url: str, filters: str | None, select: list[str] | None
    ) -> list[dict[str, Any]]: ...


class CbsODataClient:
    """The real client: ``cbsodata.download_data`` (keeps dimension keys; see the module docstring)."""

    def __init__(self, module: Any = None) -> None:
        if module is None:
            import cbsodata  # imported only when going online

            module = cbsodata
        self._cbs = module

    def rows(
        self, table_id: str, *, catalog_url: str, filters: str | None, select: list[str] | None
    ) -> list[dict[str, Any]]:
        data = self._cbs.download_data(table_id, select=select, filters=filters, catalog_url=catalog_url)
        # cbsodata 1.3 fetches "TypedDataSet" when typed=False (its flag is inverted); accept either.
        for name in ("TypedDataSet", "UntypedDataSet"):
            if name in data:
                return list(data[name])
        raise KeyError(f"no data set in the response for {table_id}")


# --------------------------------------------------------------------------- fetch


def _check_rows(spec: TableSpec, rows: list[dict[str, Any]]) -> pd.DataFrame:
    if not rows:
        raise DataError(
            f"CBS-tabel {spec.table_id} gaf geen regels terug",
            en=f"CBS table {spec.table_id} returned no rows",
        )
    frame = pd.DataFrame.from_records(rows)
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        raise DataError(
            f"CBS-tabel {spec.table_id} mist kolommen {missing}",
            en=f"CBS table {spec.table_id} lacks columns {missing}",
            field=missing[0],
        )
    keys = frame[list(spec.key)].astype(str).apply(lambda s: s.str.strip())
    dup = keys.duplicated(keep=False)
    if dup.any():
        example = keys[dup].iloc[0].tolist()
        raise DataError(
            f"CBS-tabel {spec.table_id} heeft dubbele regels, bijvoorbeeld {example}",
            en=f"CBS table {spec.table_id} has duplicate rows, e.g. {example}",
        )
    return frame


def fetch_tables(table_ids: Iterable[str], *, client: ODataClient | None = None) -> dict[str, pd.DataFrame]:
    """Fetch the tables through ``client`` (default :class:`CbsODataClient`) as DataFrames.

    Columns are the OData keys (``WijkenEnBuurten``, ``AantalInwoners_5``, ...). Every table is checked
    (rows, required columns, unique keys); any failure, including a network error, is a DataError
    naming the table, raised before anything is written.
    """
    unknown = [t for t in table_ids if t not in TABLES]
    if unknown:
        raise DataError(
            f"onbekende CBS-tabel(len) {unknown}; bekend: {', '.join(TABLES)}",
            en=f"unknown CBS table(s) {unknown}; known: {', '.join(TABLES)}",
        )
    if client is None:
        client = CbsODataClient()
    out: dict[str, pd.DataFrame] = {}
    for table_id in table_ids:
        spec = TABLES[table_id]
        try:
            rows = client.rows(
                table_id,
                catalog_url=spec.catalog_url,
                filters=spec.filters,
                select=list(spec.select) if spec.select else None,
            )
        except Exception as exc:
            raise DataError(
                f"ophalen van CBS-tabel {table_id} bij {spec.catalog_url} mislukt: {exc}",
                en=f"fetching CBS table {table_id} from {spec.catalog_url} failed: {exc}",
            ) from exc
        out[table_id] = _check_rows(spec, rows)
    return out


# --------------------------------------------------------------------------- write the raw layout


def _strip(series: pd.Series) -> pd.Series:
    return series.map(lambda v: v.strip() if isinstance(v, str) else v)


def _text(value: Any) -> str:
    """A cell as the raw files write it: empty for missing, numbers without padding."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _write_csv(
    path: Path,
    header: list[str],
    rows: Iterable[list[Any]],
    *,
    sep: str = ",",
    bom: bool = False,
    quote_all: bool = False,
) -> None:
    buf = io.StringIO()
    writer = csv.writer(
        buf, delimiter=sep, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerow(header)
    for row in rows:
        writer.writerow([_text(v) for v in row])
    text = buf.getvalue()
    if quote_all:
        text = text.replace('""', "")  # the RIVM export leaves missing values unquoted: ,,
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")


def _write_85984(frame: pd.DataFrame, source: Path) -> None:
    kind = _strip(frame["SoortRegio_2"])
    region = _strip(frame["WijkenEnBuurten"])
    gm = frame[kind == "Gemeente"]
    if gm.empty:  # completeness (all 342, no coverage lost) is checked on the built snapshot
        raise DataError("CBS-tabel 85984NED bevat geen gemeenten", en="CBS table 85984NED holds no gemeenten")
    gem_file, wijk_file = OUTPUTS["85984NED"]
    _write_csv(
        source / gem_file,
        ["gm_code", "gm_naam", *_KWB_VARIABLES],
        (
            [c, n, *vals]
            for c, n, *vals in zip(
                region[gm.index], _strip(gm["Gemeentenaam_1"]), *(gm[v] for v in _KWB_VARIABLES), strict=True
            )
        ),
    )
    wk = frame[kind == "Wijk"]
    wk_codes = region[wk.index]
    _write_csv(
        source / wijk_file,
        ["wk_code", "gm_code", *_KWB_VARIABLES],
        (
            [c, "GM" + c[2:6], *vals]
            for c, *vals in zip(wk_codes, *(wk[v] for v in _KWB_VARIABLES), strict=True)
        ),
    )


def _write_50140(frame: pd.DataFrame, source: Path) -> None:
    (path,) = OUTPUTS["50140NED"]
    columns = list(frame.columns)
    _write_csv(source / path, columns, frame[columns].itertuples(index=False, name=None), sep=";", bom=True)


def _write_50090(frame: pd.DataFrame, source: Path) -> None:
    columns = list(frame.columns)
    frame = frame.copy()
    for col in ("Gemeentenaam_1", "SoortRegio_2", "Codering_3", "WijkenEnBuurten"):
        frame[col] = _strip(frame[col])
    age = _strip(frame["Leeftijd"]).astype(str)
    for path, code in zip(OUTPUTS["50090NED"], ("20300", "80200"), strict=True):
        part = frame[age == code]
        if part.empty:
            raise DataError(
                f"CBS-tabel 50090NED bevat geen regels voor leeftijd {code}",
                en=f"CBS table 50090NED holds no rows for age group {code}",
            )
        _write_csv(source / path, columns, part[columns].itertuples(index=False, name=None), quote_all=True)


def _write_by_code(table_id: str, columns: Mapping[str, str]) -> Callable[[pd.DataFrame, Path], None]:
    """A writer for the code-keyed derived layout (``regio_code, regio_naam_cbs, regio_type, jaar, ...``).

    The API returns region keys, not names; ``regio_naam_cbs`` stays empty (the build does not read it).
    """

    def write(frame: pd.DataFrame, source: Path) -> None:
        region = _strip(frame["RegioS"]).astype(str)
        kind = region.str[:2].map(_REGION_TYPES)
        keep = kind.notna()
        if not keep.any():
            raise DataError(
                f"CBS-tabel {table_id} bevat geen regio's", en=f"CBS table {table_id} holds no regions"
            )
        part = frame[keep]
        year = _strip(part["Perioden"]).astype(str).str[:4]
        rows = zip(region[keep], kind[keep], year, *(part[k] for k in columns.values()), strict=True)
        (path,) = OUTPUTS[table_id]
        _write_csv(
            source / path,
            ["regio_code", "regio_naam_cbs", "regio_type", "jaar", *columns],
            ([code, "", typ, y, *vals] for code, typ, y, *vals in rows),
        )

    return write


_WRITERS: dict[str, Callable[[pd.DataFrame, Path], None]] = {
    "85984NED": _write_85984,
    "50140NED": _write_50140,
    "50090NED": _write_50090,
    "86088NED": _write_by_code("86088NED", _LABOUR_COLUMNS),
    "85924NED": _write_by_code("85924NED", _ACCOUNTS_COLUMNS),
}


def write_sources(
    frames: Mapping[str, pd.DataFrame], source: Path, *, base_source: Path | None = None
) -> Path:
    """Write fetched tables into ``source`` in the layout of the raw files they replace.

    With ``base_source``, every other file of that raw folder is symlinked in (not copied), so the build
    finds a complete source folder. Returns ``source``.
    """
    source = Path(source)
    source.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    for table_id, frame in frames.items():
        _WRITERS[table_id](frame, source)
        written.update(OUTPUTS[table_id])
    if base_source is not None:
        base_source = Path(base_source).resolve()
        for path in sorted(base_source.rglob("*")):
            rel = path.relative_to(base_source).as_posix()
            if path.is_file() and rel not in written:
                link = source / rel
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(path)
    return source


# --------------------------------------------------------------------------- validate and swap


def _coverage(path: Path) -> pd.Series | None:
    try:
        values = pd.read_parquet(path / "values.parquet", columns=["indicator_id", "period", "area_code"])
    except Exception:  # no usable current snapshot: nothing to compare against
        return None
    return values.groupby(["indicator_id", "period"])["area_code"].nunique()


def validate_snapshot(new: Path, current: Path | None = None) -> None:
    """Refuse a snapshot that is not whole: raise ValidationError listing every problem.

    Checks: every snapshot file present and non-empty; 342 unique gemeenten; values and wijken tables
    not empty; the snapshot loads with ``npvr.data.snapshot.read_snapshot``; and, against ``current``,
    no indicator-period lost and none covering fewer gemeenten than before.
    """
    new = Path(new)
    problems: list[Problem] = []
    for name in SNAPSHOT_FILES:
        f = new / name
        if not f.is_file() or f.stat().st_size == 0:
            problems.append(
                Problem("bestand ontbreekt of is leeg", file=name, message_en="file is missing or empty")
            )
    if not problems:
        gemeenten = pd.read_parquet(new / "gemeenten.parquet")
        n = gemeenten["gm_code"].nunique() if "gm_code" in gemeenten else 0
        if n != N_GEMEENTEN or len(gemeenten) != N_GEMEENTEN:
            problems.append(
                Problem(
                    f"{n} gemeenten in plaats van {N_GEMEENTEN}",
                    file="gemeenten.parquet",
                    field="gm_code",
                    message_en=f"{n} gemeenten instead of {N_GEMEENTEN}",
                )
            )
        for name in ("values.parquet", "wijken.parquet"):
            if pd.read_parquet(new / name).empty:
                problems.append(Problem("tabel heeft geen regels", file=name, message_en="table has no rows"))
    if not problems:
        try:
            read_snapshot(new)
        except DataError as exc:
            problems.append(Problem(exc.message, file=exc.file, field=exc.field, message_en=exc.message_en))
    old = _coverage(Path(current)) if current is not None else None
    fresh = _coverage(new) if not problems else None
    if old is not None and fresh is not None:
        for (iid, period), n_old in old.items():
            n_new = int(fresh.get((iid, period), 0))
            if n_new < n_old:
                problems.append(
                    Problem(
                        f"indicator {iid} {period}: {n_new} gemeenten met een waarde, was {n_old}",
                        file="values.parquet",
                        field=iid,
                        message_en=f"indicator {iid} {period}: {n_new} gemeenten with a value, was {n_old}",
                    )
                )
    if problems:
        raise ValidationError(problems, file=new)


def update_snapshot(
    target: Path,
    *,
    build: Callable[[Path, Path], object],
    base_source: Path | None = None,
    client: ODataClient | None = None,
    tables: Iterable[str] | None = None,
    validate: Callable[[Path, Path | None], None] = validate_snapshot,
) -> Path:
    """Refresh the snapshot folder ``target`` from the CBS OData API; all or nothing.

    ``build(source_dir, out_dir)`` builds a snapshot from a raw folder (pass
    ``npvr.data.build.build_snapshot``). ``base_source`` is the raw folder for everything the API does
    not replace (geometries, reference tables, StatLine exports); without it the build sees only the
    fetched files. ``client`` defaults to :class:`CbsODataClient` (network); ``tables`` to all of
    :data:`TABLES`; ``validate(new, current)`` to :func:`validate_snapshot`. Returns ``target``.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    table_ids = list(tables) if tables is not None else list(TABLES)
    # The one atomic writer stages the new snapshot beside the target and swaps it in when complete.
    source = Path(tempfile.mkdtemp(prefix="npvr-odata-source-"))  # scratch input, not output
    try:
        with atomic_dir(target, kind="snapshot", owned=lambda p: (p / "manifest.json").is_file()) as new:
            frames = fetch_tables(table_ids, client=client)
            write_sources(frames, source, base_source=base_source)
            new.rmdir()  # ``build`` creates its output folder itself
            build(source, new)
            validate(new, target if target.exists() else None)
    finally:
        shutil.rmtree(source, ignore_errors=True)
    clear_cache()  # later load_snapshot() calls read the new files
    return target


def run_update(
    target: Path | None = None, source: Path | None = None, *, client: ODataClient | None = None
) -> Path:
    """``npvr data update``: refresh ``target`` (default: the shipped snapshot) with the real build.

    ``source`` is the raw folder for the files the API does not deliver (required: the build needs the
    geometries, reference tables and StatLine exports). Checked before any network access.
    """
    from npvr.data.build import build_snapshot
    from npvr.data.snapshot import default_snapshot_dir

    if source is None or not Path(source).is_dir():
        raise DataError(
            "geef met --source de map met ruwe bestanden (geometrie, referentietabellen, StatLine-exports); "
            "de API levert alleen de tabellen " + ", ".join(TABLES),
            en="pass --source, the folder with the raw files (geometry, reference tables, StatLine exports); "
            "the API only delivers the tables " + ", ".join(TABLES),
            file=source,
        )
    return update_snapshot(
        Path(target) if target is not None else default_snapshot_dir(),
        build=build_snapshot,
        base_source=Path(source),
        client=client,
    )
