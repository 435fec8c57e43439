"""Build a composite index: data -> impute -> outliers -> normalise (with direction) -> aggregate
indicators into domains -> aggregate domains into the index -> rank.

:func:`build_index` returns an :class:`IndexResult` whose frames are

- ``scores``: ``code, name, score, rank, coverage`` (one row per unit, sorted by rank; rank 1 is the
  highest score, i.e. the most deprived unit in a deprivation index; ``coverage`` is the share of
  the index's indicators the unit has a value for before imputation),
- ``domains``: ``code, name`` plus one column per domain id holding the domain sub-score,
- ``domain_ranks``: the same shape with the rank of each unit per domain,
- ``indicators``: ``indicator_id, label, domain, period, direction_catalogue, direction_used,
  orientation_sign, weight, effective_weight, importance, provenance``; ``effective_weight`` is the
  nominal weight of the indicator in the index and ``importance`` its share of the summed squared
  correlations between the normalised indicators and the index (COINr's "effective weight" check).

``log`` lists, in Dutch, every decision taken on the user's behalf (directions, periods, shifts
before a geometric mean, imputed cells), so nothing is flipped or filled silently.

The same two functions, :func:`normalised` and :func:`score`, serve a single build and the
vectorised uncertainty analysis (with draws as a leading axis).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from npvr.errors import ConfigError, NpvrError
from npvr.index.aggregate import AGGREGATORS, zero_shift
from npvr.index.config import LEVELS, IndexConfig, coerce_config
from npvr.index.impute import IMPUTERS
from npvr.index.normalise import NORMALISERS
from npvr.index.outliers import OUTLIERS
from npvr.index.registry import Method
from npvr.index.weights import WEIGHTS, effective

ConfigLike = IndexConfig | str | Path | dict[str, Any] | None


@dataclass
class TreeLevel:
    """One aggregation step between the indicator groups and the top domains: each child node
    (of the level below) has a ``parent`` index and a ``weight``; ``method`` aggregates them."""

    parent: np.ndarray
    weights: np.ndarray
    method: str
    children: list[str]
    parents: list[str]
    parent_labels: list[str]


@dataclass
class Prepared:
    """The data of one index at one level as arrays: units x indicators, plus what the methods need."""

    config: IndexConfig
    level: str
    units: list[str]
    names: list[str]
    indicators: list[str]
    labels: list[str]
    domains: list[str]
    domain_labels: list[str]
    domain_of: np.ndarray
    raw: np.ndarray
    periods: list[int]
    catalogue_direction: np.ndarray  # as the catalogue has it (0 = context)
    good: np.ndarray  # +1: higher is better for the region (catalogue or config)
    direction: np.ndarray  # +1: higher raw value raises the index score
    w_ind: np.ndarray
    w_dom: np.ndarray
    groups: np.ndarray | None
    provenance: list[str]
    lower: np.ndarray
    upper: np.ndarray
    targets: np.ndarray
    ref_index: int | None
    log: list[str] = field(default_factory=list)
    # hierarchies deeper than indicators -> domains -> index: the indicator groups (leaves) and the
    # levels between them and the top domains; for the usual two-step index leaf_of == domain_of
    # and tree is empty
    leaf_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    leaves: list[str] = field(default_factory=list)
    leaf_labels: list[str] = field(default_factory=list)
    tree: list[TreeLevel] = field(default_factory=list)
    # normalised matrices per choice of the data steps, filled by normalised(); the uncertainty and
    # sensitivity analyses ask for the same few matrices thousands of times
    cache: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_units(self) -> int:
        return len(self.units)


# --- data --------------------------------------------------------------------------------------------


def _snapshot(snapshot: Any) -> Any:
    if snapshot is not None:
        return snapshot
    from npvr import load_snapshot  # the foundation's entry point

    return load_snapshot()


def _needed(ids: list[str], catalogue: Any) -> set[str]:
    """The indicator ids plus every count their aggregation rule recomputes from."""
    out: set[str] = set()
    todo = list(ids)
    while todo:
        i = todo.pop()
        if i in out or i not in catalogue:
            continue
        out.add(i)
        ind = catalogue[i]
        todo += [d for d in (ind.numerator, ind.denominator, ind.weight, getattr(ind, "of", None)) if d]
    return out


def _level_values(
    cfg: IndexConfig, snap: Any, level: str, regions: Any
) -> tuple[pd.DataFrame, pd.Series, Any]:
    """Long values at ``level``, unit names (indexed by code) and group labels for imputation."""
    gm = snap.gemeenten
    if getattr(snap, "user_table", False):  # a user's own units x indicators table: its rows are the units
        return snap.values, gm["name"], None
    if level == "gemeente":
        return snap.values, gm["name"], gm["province_code"]
    if level == "wijk":
        wk = snap.wijken
        names = wk.drop_duplicates("area_code").set_index("area_code")
        name = names["name"] if "name" in names.columns else pd.Series(names.index, index=names.index)
        return wk, name, names["gm_code"] if "gm_code" in names.columns else None
    import npvr

    if regions is not None and not hasattr(regions, "membership"):
        regions = npvr.load_regions(regions)
    membership = npvr.membership(level, regions)
    values = snap.values[snap.values["indicator_id"].isin(_needed(cfg.indicator_ids(), snap.catalogue))]
    agg = npvr.aggregate(values, membership, snap.catalogue, indicators=cfg.indicator_ids())
    if level == "corop":
        first = gm.drop_duplicates("corop_code").set_index("corop_code")
        return agg, first["corop_name"], first["province_code"]
    if level == "provincie":
        first = gm.drop_duplicates("province_code").set_index("province_code")
        return agg, first["province_name"], None
    if level == "npvr":
        rs = regions if regions is not None else npvr.load_regions()
        return agg, pd.Series({r.id: r.name for r in rs.regions}), None
    if level == "regio":
        from npvr.areas import regio_units

        return agg, regio_units(regions)["name"], None
    codes = sorted(set(membership.astype(str)))  # a custom level: the unit codes are the names
    return agg, pd.Series(codes, index=codes), None


def prepare(
    config: ConfigLike, *, snapshot: Any = None, level: str | None = None, regions: Any = None
) -> Prepared:
    """Resolve a config against the data: pick periods, check every indicator, build arrays."""
    cfg = coerce_config(config)
    if level is not None and level not in LEVELS:  # asked for by the caller (--level), not the config
        raise ConfigError(
            f"onbekend niveau '{level}'; kies uit: {', '.join(LEVELS)}",
            en=f"unknown level '{level}'; choose from: {', '.join(LEVELS)}",
            field="--level",
        )
    level = level or cfg.level
    snap = _snapshot(snapshot)
    cat = snap.catalogue
    problems: list[ConfigError] = []
    log: list[str] = []

    # catalogue checks first: unknown ids, context-only directions
    for loc, _top, _leaf, spec in cfg.indicator_specs():
        if spec.id not in cat:
            close = difflib.get_close_matches(spec.id, list(cat), n=3)
            hint = f"; bedoelde u {', '.join(close)}?" if close else "; zie `npvr indicators`"
            where_nl = where_en = ""
            if getattr(snap, "user_table", False):
                hint = f"; bedoelde u {', '.join(close)}?" if close else ""
                where_nl = f" (geen kolom in de gegevens '{snap.file}' of niet in de metadata)"
                where_en = f" (no column in the data '{snap.file}' or not in the metadata)"
            problems.append(
                cfg.error(
                    f"onbekende indicator '{spec.id}'{where_nl}{hint}",
                    (*loc, "id"),
                    en=f"unknown indicator '{spec.id}'{where_en}",
                )
            )
        elif spec.direction is None and cat[spec.id].direction == 0:
            problems.append(
                cfg.error(
                    f"indicator '{spec.id}' is in de catalogus context (richting 0); "
                    "geef 'direction: 1' of 'direction: -1' op",
                    (*loc, "direction"),
                    en=f"indicator '{spec.id}' is context-only (direction 0); set direction 1 or -1",
                )
            )
    _raise(problems)

    try:
        values, names, groups = _level_values(cfg, snap, level, regions)
    except NpvrError:
        raise
    except (KeyError, ValueError) as exc:
        raise cfg.error(
            f"niveau '{level}' is niet beschikbaar: {exc}",
            ("level",),
            en=f"level '{level}' is not available: {exc}",
        ) from None

    if getattr(snap, "user_table", False):
        level = "eigen"
    ids = cfg.indicator_ids()
    values = values[values["indicator_id"].isin(ids)]
    periods: list[int] = []
    no_data: list[str] = []
    cols: dict[str, pd.Series] = {}
    for loc, _top, _leaf, spec in cfg.indicator_specs():
        rows = values[values["indicator_id"] == spec.id]
        if rows.empty:
            no_data.append(spec.id)
            continue
        have = sorted(rows["period"].unique())
        period = spec.period if spec.period is not None else int(have[-1])
        if period not in have:
            problems.append(
                cfg.error(
                    f"indicator '{spec.id}' heeft geen gegevens voor {period}; "
                    f"wel voor {', '.join(map(str, have))}",
                    (*loc, "period"),
                )
            )
            continue
        periods.append(period)
        cols[spec.id] = rows[rows["period"] == period].set_index("area_code")["value"]
    if no_data:
        listed = ", ".join(no_data)
        problems.insert(
            0,
            cfg.error(
                f"{len(no_data)} indicator(en) zonder gegevens op niveau '{level}': {listed}",
                ("level",),
                en=f"{len(no_data)} indicator(s) without data at level '{level}': {listed}",
            ),
        )
    _raise(problems)

    units = [str(u) for u in names.index]
    frame = pd.DataFrame(cols).reindex(index=units, columns=ids)
    raw = frame.to_numpy(dtype=float)

    specs = [(top, spec) for _loc, top, _leaf, spec in cfg.indicator_specs()]
    good = np.array(
        [spec.direction if spec.direction is not None else cat[spec.id].direction for _, spec in specs],
        dtype=float,
    )
    sign = -1.0 if cfg.orientation == "deprivation" else 1.0
    direction = sign * good
    for (_, spec), g, p in zip(specs, good, periods, strict=True):
        source = "configuratie" if spec.direction is not None else "catalogus"
        meaning = "hoger is beter" if g > 0 else "hoger is slechter"
        effect = "verhoogt" if g * sign > 0 else "verlaagt"
        log.append(
            f"richting {spec.id}: {meaning} ({source}); een hogere waarde {effect} de indexscore; periode {p}"
        )
    missing = int(np.isnan(raw).sum())
    if missing:
        log.append(f"{missing} van {raw.size} cellen ontbreken; imputatie '{cfg.methods.imputation}'")

    domain_of = np.array([top for top, _ in specs])
    leaf_of = np.array([leaf for _loc, _top, leaf, _spec in cfg.indicator_specs()])
    leaf_specs = [dom for _, dom in cfg.leaf_groups()]
    wm = WEIGHTS.get(cfg.methods.weights, field="methods.weights")
    w_ind = np.empty(len(ids))
    for g, dom in enumerate(leaf_specs):
        w_ind[leaf_of == g] = _scheme(wm, [s.weight for s in dom.indicators or []])
    w_dom = _scheme(wm, [dom.weight for dom in cfg.domains])

    ref_index = None
    if cfg.methods.reference is not None:
        if cfg.methods.reference not in units:
            raise cfg.error(
                f"referentie-eenheid '{cfg.methods.reference}' bestaat niet op niveau '{level}'",
                ("methods", "reference"),
            )
        ref_index = units.index(cfg.methods.reference)

    grp = None
    if groups is not None:
        grp = groups.reindex(units).astype(str).to_numpy()
    prep = Prepared(
        config=cfg,
        level=level,
        units=units,
        names=[str(n) for n in names.reindex(units)],
        indicators=ids,
        labels=[cat[i].label_nl for i in ids],
        domains=[dom.id for dom in cfg.domains],
        domain_labels=[dom.label or dom.id for dom in cfg.domains],
        domain_of=domain_of,
        raw=raw,
        periods=periods,
        catalogue_direction=np.array([cat[i].direction for i in ids], dtype=float),
        good=good,
        direction=direction,
        w_ind=w_ind,
        w_dom=w_dom,
        groups=grp,
        provenance=[cat[i].provenance(p) for i, p in zip(ids, periods, strict=True)],
        lower=np.array([s.goalposts[0] if s.goalposts else np.nan for _, s in specs]),
        upper=np.array([s.goalposts[1] if s.goalposts else np.nan for _, s in specs]),
        targets=np.array([np.nan if s.target is None else s.target for _, s in specs]),
        ref_index=ref_index,
        log=log,
        leaf_of=leaf_of,
        leaves=[dom.id for dom in leaf_specs],
        leaf_labels=[dom.label or dom.id for dom in leaf_specs],
        tree=_tree(cfg, wm),
    )
    if wm.options.get("needs_data"):
        _data_weights(prep, wm)
    return prep


def _scheme(wm: Method, given: list[float | None]) -> np.ndarray:
    """Nominal weights of one group from the config; a data-driven scheme starts from equal."""
    g = np.array([np.nan if w is None else w for w in given], dtype=float)
    return np.full(len(g), 1.0 / len(g)) if wm.options.get("needs_data") else wm.func(g)


def _tree(cfg: IndexConfig, wm: Method) -> list[TreeLevel]:
    """The levels between the indicator groups and the top domains (empty for a two-step index)."""
    by_depth: dict[int, list[Any]] = {}
    parent_of: dict[str, str] = {}

    def walk(dom: Any) -> None:
        by_depth.setdefault(dom.depth(), []).append(dom)
        for child in dom.domains or []:
            parent_of[child.id] = dom.id
            walk(child)

    for dom in cfg.domains:
        walk(dom)
    top = cfg.depth() - 1
    inter = cfg.methods.intermediate_aggregation or ["arithmetic"] * (top - 1)
    levels = []
    for k in range(1, top):
        kids, parents = by_depth[k], by_depth[k + 1]
        pidx = {p.id: j for j, p in enumerate(parents)}
        parent = np.array([pidx[parent_of[c.id]] for c in kids])
        w = np.empty(len(kids))
        for j, p in enumerate(parents):
            w[parent == j] = _scheme(wm, [c.weight for c in p.domains])
        levels.append(
            TreeLevel(
                parent=parent,
                weights=w,
                method=inter[k - 1],
                children=[c.id for c in kids],
                parents=[p.id for p in parents],
                parent_labels=[p.label or p.id for p in parents],
            )
        )
    return levels


def _data_weights(prep: Prepared, wm: Method) -> None:
    """Weights that come from the data (PCA, correlation balancing): computed bottom-up on the
    nominal normalised indicators, then on the nominal sub-scores of each level."""
    m = prep.config.methods
    z = np.asarray(normalised(prep, m.imputation, m.outliers, m.normalisation))
    for g in range(len(prep.leaves)):
        sel = prep.leaf_of == g
        prep.w_ind[sel] = wm.func(np.full(int(sel.sum()), np.nan), data=z[:, sel])
    cur = leaf_scores(z, prep.w_ind, m.aggregation, prep)
    for lvl in prep.tree:
        for j in range(len(lvl.parents)):
            sel = lvl.parent == j
            lvl.weights[sel] = wm.func(np.full(int(sel.sum()), np.nan), data=cur[:, sel])
        cur = level_up(cur, lvl, prep)
    prep.w_dom[:] = wm.func(np.full(len(prep.domains), np.nan), data=cur)
    prep.log.append(
        f"gewichten '{wm.name}' uit de gegevens (nominale keuzes): "
        + ", ".join(f"{i} {w:.3f}" for i, w in zip(prep.indicators, prep.w_ind, strict=True))
        + "; domeinen "
        + ", ".join(f"{d} {w:.3f}" for d, w in zip(prep.domains, prep.w_dom, strict=True))
    )


def _raise(problems: list[ConfigError]) -> None:
    """Raise all collected config problems as one error that names the first field."""
    if not problems:
        return
    first = problems[0]
    if len(problems) == 1:
        raise first
    text = first.message + "".join(f"; {p.render()}" for p in problems[1:])
    err = ConfigError(text, en=first.message_en, file=first.file, line=first.line, field=first.field)
    err.problems = problems  # type: ignore[attr-defined]
    raise err


# --- methods -----------------------------------------------------------------------------------------


def _params(method: Method, cfg: IndexConfig) -> dict[str, Any]:
    """Method parameters that come from the config (declared at registration, not hand-listed here)."""
    return {k: getattr(cfg.methods, v) for k, v in method.options.get("config_params", {}).items()}


def _norm_params(method: Method, prep: Prepared) -> dict[str, Any]:
    need = method.options.get("needs")
    out = _params(method, prep.config)
    if need == "goalposts":
        out |= {"lower": prep.lower, "upper": prep.upper}
    elif need == "target":
        out |= {"targets": prep.targets}
    elif need == "reference":
        out |= {"ref_index": prep.ref_index}
    return out


def _frozen(x: np.ndarray) -> np.ndarray:
    """A read-only view: a cached matrix is shared, so nobody may write into it."""
    v = np.asarray(x).view()
    v.flags.writeable = False
    return v


def normalised(prep: Prepared, imputation: str, outliers: str, normalisation: str) -> np.ndarray:
    """(units, indicators) oriented, normalised values for one choice of the three data steps.

    Memoised on ``prep.cache`` (the imputed matrix too: group imputation is the slow step and is
    shared by every outlier/normalisation choice); the result is a read-only array."""
    key = ("normalised", imputation, outliers, normalisation)
    if key in prep.cache:
        return prep.cache[key]
    cfg = prep.config
    ikey = ("imputed", imputation)
    if ikey not in prep.cache:
        imp = IMPUTERS.get(imputation, field="methods.imputation")
        prep.cache[ikey] = _frozen(imp.func(prep.raw, groups=prep.groups))
    x = prep.cache[ikey]
    om = OUTLIERS.get(outliers, field="methods.outliers")
    x = om.func(x, **_params(om, cfg))
    nm = NORMALISERS.get(normalisation, field="methods.normalisation")
    z = _frozen(nm.func(x, direction=prep.direction, **_norm_params(nm, prep)))
    prep.cache[key] = z
    return z


def leaf_scores(z: np.ndarray, w_ind: np.ndarray, aggregation: str, prep: Prepared) -> np.ndarray:
    """Aggregate indicators into their groups ``(..., units, leaf groups)``; draws may lead."""
    a1 = AGGREGATORS.get(aggregation, field="methods.aggregation")
    p1 = _params(a1, prep.config)
    parts = [
        a1.func(z[..., prep.leaf_of == g], w_ind[..., prep.leaf_of == g], **p1)
        for g in range(len(prep.leaves))
    ]
    return np.stack(np.broadcast_arrays(*parts), axis=-1)


def level_up(x: np.ndarray, lvl: TreeLevel, prep: Prepared) -> np.ndarray:
    """One step up the hierarchy: child sub-scores ``(..., units, children)`` -> parents."""
    a = AGGREGATORS.get(lvl.method, field="methods.intermediate_aggregation")
    p = _params(a, prep.config)
    parts = [
        a.func(x[..., lvl.parent == j], lvl.weights[lvl.parent == j], **p) for j in range(len(lvl.parents))
    ]
    return np.stack(np.broadcast_arrays(*parts), axis=-1)


def node_scores(z: np.ndarray, w_ind: np.ndarray, aggregation: str, prep: Prepared) -> list[np.ndarray]:
    """Sub-scores at every level from the indicator groups up to the top domains."""
    out = [leaf_scores(z, w_ind, aggregation, prep)]
    for lvl in prep.tree:
        out.append(level_up(out[-1], lvl, prep))
    return out


def domain_scores(z: np.ndarray, w_ind: np.ndarray, aggregation: str, prep: Prepared) -> np.ndarray:
    """Aggregate indicators into the top domain sub-scores ``(..., units, domains)``; draws may lead."""
    return node_scores(z, w_ind, aggregation, prep)[-1]


def index_scores(dom: np.ndarray, w_dom: np.ndarray, domain_aggregation: str, prep: Prepared) -> np.ndarray:
    """Aggregate domain sub-scores into the index ``(..., units)``."""
    a2 = AGGREGATORS.get(domain_aggregation, field="methods.domain_aggregation")
    return a2.func(dom, w_dom, **_params(a2, prep.config))


def score(
    z: np.ndarray,
    w_ind: np.ndarray,
    w_dom: np.ndarray,
    aggregation: str,
    domain_aggregation: str,
    prep: Prepared,
) -> tuple[np.ndarray, np.ndarray]:
    """Domain sub-scores ``(..., units, domains)`` and index ``(..., units)``; draws may lead."""
    dom = domain_scores(z, w_ind, aggregation, prep)
    return dom, index_scores(dom, w_dom, domain_aggregation, prep)


_SIGN = np.int64(-(2**63))
RANK_BLOCK = 1 << 15  # elements ranked per block: the block stays in the CPU cache


def _rank_order(b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rank order of every row of the 2-D block ``b``: ``order[i, p]`` is the column in place ``p``
    and ``first[i, p]`` its rank (same contract as :func:`ranks`; ties share the best rank).

    Sorting values is several times faster than arg-sorting them, so each value is packed with its
    column into one integer key: the float's order-preserving bit pattern with its lowest ``shift``
    bits replaced by the column number. One sort of the keys gives the order. Only neighbours whose
    keys share the high part (a tie, or values within ~1e-12 of each other) are looked up and
    compared exactly: equal values share the best rank, and a row where such neighbours are out of
    order is arg-sorted the plain way. The ranks are therefore exact."""
    rows, n = b.shape
    neg = np.negative(b)  # ascending order of -score = rank order
    nan = np.isnan(neg)
    if nan.any():
        neg[nan] = np.inf  # a missing score is last, tied with -inf
    neg += 0.0  # -0.0 -> +0.0: equal values get equal bit patterns
    bits = neg.view(np.int64)
    key = bits >> 63  # 0 for a positive float, -1 (all ones) for a negative one
    key |= _SIGN
    key ^= bits  # positive: sign bit set; negative: all bits flipped -> unsigned order = float order
    key = key.view(np.uint64)
    shift = max(1, (n - 1).bit_length())
    key >>= np.uint64(shift)
    key <<= np.uint64(shift)
    key |= np.arange(n, dtype=np.uint64)
    key.sort(axis=-1)
    order = (key & np.uint64((1 << shift) - 1)).view(np.int64)
    key >>= np.uint64(shift)
    ri, ci = np.nonzero(key[:, 1:] == key[:, :-1])  # neighbours (ci, ci + 1) sharing the high part
    lo, hi = neg[ri, order[ri, ci]], neg[ri, order[ri, ci + 1]]
    tie = lo == hi
    wrong = np.unique(ri[hi < lo])
    if len(wrong):  # values within the dropped bits, out of order: sort these rows exactly
        order[wrong] = np.argsort(neg[wrong], axis=-1)
        sv = np.take_along_axis(neg[wrong], order[wrong], axis=-1)
        wr, wc = np.nonzero(sv[:, 1:] == sv[:, :-1])
        keep = ~np.isin(ri, wrong)
        ri = np.concatenate([ri[keep & tie], wrong[wr]])
        ci = np.concatenate([ci[keep & tie], wc])
    else:
        ri, ci = ri[tie], ci[tie]
    first = np.tile(np.arange(1, n + 1, dtype=np.int32), (rows, 1))
    if len(ri):  # place ci + 1 ties with ci: it takes the rank of the first place of its run
        f = np.sort(ri * n + ci + 1)
        head = np.concatenate([[True], f[1:] != f[:-1] + 1])
        start = f[head] - 1  # flat index of the first place of each run
        first.reshape(-1)[f] = (start % n + 1)[np.cumsum(head) - 1]
    return order, first


def _blocks_of_rows(s: np.ndarray) -> Iterator[slice]:
    step = max(1, RANK_BLOCK // s.shape[-1])
    return (slice(i, i + step) for i in range(0, s.shape[0], step))


def ranks(scores: np.ndarray) -> np.ndarray:
    """Rank along the last axis: 1 = highest score; ties share the best rank ("min"); a missing
    score is last. Row blocks of one integer sort each (faster than scipy's rankdata or an
    argsort on draws x units, see :func:`_rank_order`)."""
    s = np.asarray(scores, dtype=float)
    out = np.empty(s.shape, dtype=np.int32)
    if s.size == 0:
        return out
    n = s.shape[-1]
    flat, dst = s.reshape(-1, n), out.reshape(-1, n)
    for blk in _blocks_of_rows(flat):
        order, first = _rank_order(flat[blk])
        rows = order.shape[0]
        dst[blk].reshape(-1)[(order + np.arange(0, rows * n, n)[:, None]).ravel()] = first.ravel()
    return out


def rank_shift(scores: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Σ over units of |rank - reference rank| for every row of ``scores`` (draws, units), int64:
    the same as ``np.abs(ranks(scores) - reference).sum(axis=1)`` without the rank matrix (the
    reference is looked up in rank order instead of scattering every rank to its unit)."""
    s = np.asarray(scores, dtype=float).reshape(-1, np.shape(scores)[-1])
    ref = np.asarray(reference, dtype=np.int64)
    out = np.empty(s.shape[0], dtype=np.int64)
    for blk in _blocks_of_rows(s):
        order, first = _rank_order(s[blk])
        out[blk] = np.abs(first - np.take(ref, order)).sum(axis=1)
    return out


# --- result ------------------------------------------------------------------------------------------


@dataclass
class IndexResult:
    """Scores, ranks and domain sub-scores of one index at one level (columns: module docstring)."""

    name: str
    level: str
    orientation: str
    scores: pd.DataFrame
    domains: pd.DataFrame
    domain_ranks: pd.DataFrame
    indicators: pd.DataFrame
    log: list[str]
    # sub-scores of every node of a deeper hierarchy (code, name, one column per node id, lowest
    # level first); for a two-step index the same columns as ``domains``
    nodes: pd.DataFrame | None = None

    def table(self) -> pd.DataFrame:
        """One wide frame for CSV/Excel: code, name, rank, score, then each domain's sub-score (and,
        for a deeper hierarchy, the sub-score of every lower node)."""
        dom = self.domains.drop(columns=["name"])
        out = self.scores.merge(dom, on="code", how="left")
        if self.nodes is not None:
            extra = [c for c in self.nodes.columns if c not in out.columns and c != "name"]
            if extra:
                out = out.merge(self.nodes[["code", *extra]], on="code", how="left")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "level": self.level,
            "orientation": self.orientation,
            "scores": self.scores,
            "domains": self.domains,
            "domain_ranks": self.domain_ranks,
            "indicators": self.indicators,
            "log": self.log,
        }


def effective_weights(
    prep: Prepared, w_ind: np.ndarray | None = None, w_dom: np.ndarray | None = None
) -> np.ndarray:
    """Nominal weight of each indicator in the index: its weight in its group times the weight of
    every node above it (each normalised within its parent)."""
    w_ind = prep.w_ind if w_ind is None else np.asarray(w_ind, dtype=float)
    w_dom = prep.w_dom if w_dom is None else np.asarray(w_dom, dtype=float)
    if not prep.tree:
        return effective(prep.domain_of, w_ind, w_dom)
    out = np.empty_like(w_ind)
    for g in range(len(prep.leaves)):
        sel = prep.leaf_of == g
        out[sel] = w_ind[sel] / w_ind[sel].sum()
    node = np.arange(len(prep.leaves))
    factor = np.ones(len(prep.leaves))
    for lvl in prep.tree:
        share = np.array(
            [lvl.weights[i] / lvl.weights[lvl.parent == lvl.parent[i]].sum() for i in range(len(lvl.parent))]
        )
        factor = factor * share[node]
        node = lvl.parent[node]
    factor = factor * (w_dom / w_dom.sum())[node]
    return out * factor[prep.leaf_of]


def build_index(
    config: ConfigLike = None, *, snapshot: Any = None, level: str | None = None, regions: Any = None
) -> IndexResult:
    """Build the index at ``level`` (default: the config's level) for every unit.

    ``config`` is an IndexConfig, a YAML path, a dict or None (the shipped default index);
    ``regions`` a RegionSet or a region file path for level 'npvr'."""
    prep = prepare(config, snapshot=snapshot, level=level, regions=regions)
    return build_prepared(prep)


def build_prepared(prep: Prepared) -> IndexResult:
    """The nominal build from prepared data (split out so uncertainty reuses the preparation)."""
    cfg = prep.config
    m = cfg.methods
    log = list(prep.log)
    z = normalised(prep, m.imputation, m.outliers, m.normalisation)
    if AGGREGATORS.get(m.aggregation).options.get("positive"):
        for g, leaf_id in enumerate(prep.leaves):
            c = float(zero_shift(z[:, prep.leaf_of == g], m.shift))
            if c:
                log.append(
                    f"domein {leaf_id}: invoer '{m.aggregation}' verschoven met +{c:.4g} "
                    "(nooit 0 of negatief)"
                )
    levels = node_scores(z, prep.w_ind, m.aggregation, prep)
    dom = levels[-1]
    idx = index_scores(dom, prep.w_dom, m.domain_aggregation, prep)
    if AGGREGATORS.get(m.domain_aggregation).options.get("positive"):
        c = float(zero_shift(dom, m.shift))
        if c:
            log.append(
                f"domeinscores voor '{m.domain_aggregation}' verschoven met +{c:.4g} (nooit 0 of negatief)"
            )
    r = ranks(idx)
    coverage = 1.0 - np.isnan(prep.raw).mean(axis=1)
    scores = pd.DataFrame(
        {"code": prep.units, "name": prep.names, "score": idx, "rank": r, "coverage": coverage}
    )
    order = np.argsort(r, kind="stable")
    scores = scores.iloc[order].reset_index(drop=True)
    domains = pd.DataFrame(dom, columns=prep.domains)
    domains.insert(0, "name", prep.names)
    domains.insert(0, "code", prep.units)
    dranks = pd.DataFrame(ranks(dom.T).T, columns=prep.domains)
    dranks.insert(0, "name", prep.names)
    dranks.insert(0, "code", prep.units)
    domains = domains.iloc[order].reset_index(drop=True)
    dranks = dranks.iloc[order].reset_index(drop=True)

    eff = effective_weights(prep)
    node_ids = prep.leaves + [c for lvl in prep.tree for c in lvl.parents]
    nodes = pd.DataFrame(np.concatenate(levels, axis=1), columns=node_ids)
    nodes.insert(0, "name", prep.names)
    nodes.insert(0, "code", prep.units)
    nodes = nodes.iloc[order].reset_index(drop=True)
    ok = ~np.isnan(idx)
    r2 = np.array(
        [
            np.corrcoef(np.nan_to_num(z[ok, j], nan=np.nanmean(z[ok, j])), idx[ok])[0, 1] ** 2
            if np.nanstd(z[ok, j]) > 0
            else 0.0
            for j in range(len(prep.indicators))
        ]
    )
    importance = r2 / r2.sum() if r2.sum() > 0 else r2
    indicators = pd.DataFrame(
        {
            "indicator_id": prep.indicators,
            "label": prep.labels,
            "domain": [prep.domains[d] for d in prep.domain_of],
            "group": [prep.leaves[g] for g in prep.leaf_of],
            "period": prep.periods,
            "direction_catalogue": [int(v) for v in prep.catalogue_direction],
            "direction_used": [int(v) for v in prep.good],
            "orientation_sign": [int(v) for v in prep.direction],
            "weight": prep.w_ind,
            "effective_weight": eff,
            "importance": importance,
            "provenance": prep.provenance,
        }
    )
    return IndexResult(cfg.name, prep.level, cfg.orientation, scores, domains, dranks, indicators, log, nodes)


_WHATIF_METHODS = ("imputation", "outliers", "normalisation", "aggregation", "domain_aggregation")


def whatif(
    prep: Prepared,
    *,
    weights: dict[str, float] | None = None,
    domain_weights: dict[str, float] | None = None,
    methods: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The nominal index recomputed after a change of weights or methods, on a prepared (cached)
    pipeline: ``code, name, score, rank, nominal_rank, rank_change`` (positive = moved up), sorted by
    rank. Only the changed steps run (the normalised matrix is cached on ``prep``), so the web app
    can call this on every slider move.

    ``weights``: indicator id -> weight within its group, on the scale of ``prep.w_ind`` (the nominal
    weights of each group sum to 1; the others keep theirs); ``domain_weights``: top domain id ->
    weight on the scale of ``prep.w_dom``; ``methods``: any of imputation, outliers, normalisation,
    aggregation, domain_aggregation."""
    m = prep.config.methods
    chosen = {k: getattr(m, k) for k in _WHATIF_METHODS}
    for k, v in (methods or {}).items():
        if k not in chosen:
            raise ConfigError(
                f"onbekende methodestap '{k}'; kies uit: {', '.join(_WHATIF_METHODS)}",
                en=f"unknown method step '{k}'",
                field="methods",
            )
        chosen[k] = v
    w_ind, w_dom = prep.w_ind.copy(), prep.w_dom.copy()
    for given, ids, target, name in (
        (weights, prep.indicators, w_ind, "weights"),
        (domain_weights, prep.domains, w_dom, "domain_weights"),
    ):
        for key, value in (given or {}).items():
            if key not in ids:
                raise ConfigError(
                    f"'{key}' staat niet in de index; kies uit: {', '.join(ids)}",
                    en=f"'{key}' is not in the index",
                    field=name,
                )
            if not np.isfinite(value) or value < 0:
                raise ConfigError(
                    f"gewicht van '{key}' moet een getal >= 0 zijn, niet {value}",
                    en=f"weight of '{key}' must be a number >= 0",
                    field=name,
                )
            target[ids.index(key)] = value
    z = normalised(prep, chosen["imputation"], chosen["outliers"], chosen["normalisation"])
    dom = domain_scores(z, w_ind, chosen["aggregation"], prep)
    idx = index_scores(dom, w_dom, chosen["domain_aggregation"], prep)
    r = ranks(idx)
    cache_key = ("nominal_ranks",)
    if cache_key not in prep.cache:
        zn = normalised(prep, m.imputation, m.outliers, m.normalisation)
        nd = domain_scores(zn, prep.w_ind, m.aggregation, prep)
        prep.cache[cache_key] = _frozen(ranks(index_scores(nd, prep.w_dom, m.domain_aggregation, prep)))
    nominal = prep.cache[cache_key]
    order = np.argsort(r, kind="stable")
    return pd.DataFrame(
        {
            "code": np.asarray(prep.units, dtype=object)[order],
            "name": np.asarray(prep.names, dtype=object)[order],
            "score": idx[order],
            "rank": r[order],
            "nominal_rank": nominal[order],
            "rank_change": (nominal - r)[order],
        }
    )
