"""Variance-based sensitivity (Sobol first-order S1 and total ST) of the ranks to each method choice.

Sampling and analysis use SALib (Saltelli/Sobol sequence, ``calc_second_order=False``, so
``N·(F + 2)`` model runs for F factors); the model runs go through the same vectorised evaluator as
the uncertainty analysis. The scalar output is the mean absolute rank shift over all units against
the nominal ranking (the JRC/COINr audit statistic). Confidence intervals come from SALib's
bootstrap; the seed is passed as a numpy Generator, because SALib's ``if seed:`` would ignore 0.

:func:`sensitivity` returns a :class:`SensitivityResult` whose ``indices`` frame has
``factor, label, S1, S1_conf, ST, ST_conf`` (conf = half-width of the interval at ``conf_level``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from npvr.errors import ConfigError
from npvr.index.pipeline import ConfigLike, Prepared, prepare, rank_shift
from npvr.index.uncertainty import Factor, factors, for_blocks, nominal_ranks, plan_from_unit


def sobol_indices(
    model: Callable[[np.ndarray], np.ndarray],
    problem: dict[str, Any],
    *,
    n: int,
    seed: int,
    num_resamples: int = 200,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """S1 and ST with bootstrap intervals for a vectorised ``model(X) -> Y`` over SALib's sample."""
    if n < 2 or n & (n - 1):
        raise ConfigError(
            f"n moet een macht van 2 zijn (bijv. 1024), niet {n}",
            en=f"n must be a power of 2, not {n}",
            field="n",
        )
    # SALib pulls in scipy.stats (~2 s): imported when an analysis runs, not when npvr starts
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    x = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = np.asarray(model(x), dtype=float)
    si = sobol_analyze.analyze(
        problem,
        y,
        calc_second_order=False,
        num_resamples=num_resamples,
        conf_level=conf_level,
        seed=np.random.default_rng(seed),
    )
    return pd.DataFrame(
        {
            "factor": problem["names"],
            "S1": si["S1"],
            "S1_conf": si["S1_conf"],
            "ST": si["ST"],
            "ST_conf": si["ST_conf"],
        }
    )


@dataclass
class SensitivityResult:
    """Sobol indices of each factor on the mean absolute rank shift (columns: module docstring)."""

    level: str
    n: int
    seed: int
    evaluations: int
    output: str
    factors: list[Factor]
    indices: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "n": self.n,
            "seed": self.seed,
            "evaluations": self.evaluations,
            "output": self.output,
            "indices": self.indices,
        }


def run_prepared(
    prep: Prepared, *, n: int = 1024, seed: int = 0, num_resamples: int = 200, conf_level: float = 0.95
) -> SensitivityResult:
    """The Sobol analysis on prepared data (benchmarks call this to time the analysis alone)."""
    facs = factors(prep)
    if not facs:
        raise ConfigError(
            "de configuratie opent geen onzekere keuzes; vul 'uncertainty' in",
            en="the config opens no uncertain choices; fill in 'uncertainty'",
            field="uncertainty",
        )
    nominal = nominal_ranks(prep)
    rng = np.random.default_rng(seed)

    def model(x: np.ndarray) -> np.ndarray:
        plan = plan_from_unit(prep, facs, x, rng)
        total = np.empty(plan.size, dtype=np.int64)

        def shift(rows: np.ndarray, scores: np.ndarray) -> None:
            total[rows] = rank_shift(scores, nominal)

        for_blocks(prep, facs, plan, shift)
        # integer sums are exact, so this is the same float as np.abs(r - nominal).mean(axis=1)
        return total / prep.n_units

    problem = {"num_vars": len(facs), "names": [f.name for f in facs], "bounds": [[0.0, 1.0]] * len(facs)}
    idx = sobol_indices(model, problem, n=n, seed=seed, num_resamples=num_resamples, conf_level=conf_level)
    idx.insert(1, "label", [f.label_nl for f in facs])
    return SensitivityResult(
        prep.level, n, seed, n * (len(facs) + 2), "gemiddelde absolute rangverschuiving", facs, idx
    )


def sensitivity(
    config: ConfigLike = None,
    *,
    n: int = 1024,
    seed: int = 0,
    snapshot: Any = None,
    level: str | None = None,
    regions: Any = None,
    num_resamples: int = 200,
    conf_level: float = 0.95,
) -> SensitivityResult:
    """Sobol S1/ST of every method choice on the ranks; the same seed repeats a run exactly."""
    prep = prepare(config, snapshot=snapshot, level=level, regions=regions)
    return run_prepared(prep, n=n, seed=seed, num_resamples=num_resamples, conf_level=conf_level)
