"""Weights: nominal schemes, their perturbation for the uncertainty analysis, and effective weights.

A scheme has the shape ``f(given) -> array``: ``given`` holds the weights written in the config
(NaN where none was given) for the items of one group; the result sums to 1.
"""

from __future__ import annotations

import numpy as np

from npvr.index.registry import Registry

WEIGHTS = Registry("weights", "weging")


@WEIGHTS.register("equal", label_nl="gelijke gewichten", formula="w_j = 1 / n")
def equal(given: np.ndarray) -> np.ndarray:
    """Every item counts the same; weights written in the config are ignored."""
    n = len(given)
    return np.full(n, 1.0 / n)


@WEIGHTS.register("manual", label_nl="gewichten uit de configuratie", formula="w_j = g_j / Σ g")
def manual(given: np.ndarray) -> np.ndarray:
    """The weights from the config, rescaled to sum to 1 (config validation checks they exist)."""
    g = np.asarray(given, dtype=float)
    return g / g.sum()


def perturb(w: np.ndarray, *, spread: float, rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` draws of ``w · U(1 - spread, 1 + spread)`` per item: (size, len(w)).

    Not re-normalised here: the aggregators normalise per unit over the items it has."""
    w = np.asarray(w, dtype=float)
    return w * rng.uniform(1.0 - spread, 1.0 + spread, size=(size, len(w)))


def effective(domain_of: np.ndarray, w_ind: np.ndarray, w_dom: np.ndarray) -> np.ndarray:
    """Nominal weight of each indicator in the index: its weight in its domain x the domain weight."""
    w_ind = np.asarray(w_ind, dtype=float)
    out = np.empty_like(w_ind)
    for k, wd in enumerate(np.asarray(w_dom, dtype=float) / np.sum(w_dom)):
        sel = domain_of == k
        out[sel] = w_ind[sel] / w_ind[sel].sum() * wd
    return out
