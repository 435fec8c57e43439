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


def _complete(data: np.ndarray) -> np.ndarray:
    """Rows (units) with every item present: PCA and correlations need complete cases."""
    d = np.asarray(data, dtype=float)
    return d[~np.isnan(d).any(axis=1)]


@WEIGHTS.register(
    "pca",
    label_nl="hoofdcomponenten: kwadraten van de ladingen op de eerste component",
    formula="w_j = v_1j², v_1 = eerste eigenvector van de correlatiematrix (Σ w = 1)",
    needs_data=True,
)
def pca(given: np.ndarray, *, data: np.ndarray | None = None) -> np.ndarray:
    """Weights from the first principal component of the items' correlation matrix (OECD/JRC
    handbook): each item weighs its squared loading, so items that share most of the common
    variance count most. A group of one item gets weight 1."""
    n = len(given)
    if data is None or n < 2:
        return np.full(n, 1.0 / n)
    d = _complete(data)
    sd = d.std(axis=0, ddof=1)
    if len(d) < 3 or np.any(sd == 0):
        return np.full(n, 1.0 / n)
    corr = np.corrcoef(d, rowvar=False)
    vals, vecs = np.linalg.eigh(corr)
    v = vecs[:, np.argmax(vals)]
    w = v**2
    return w / w.sum()


def _corr_with(d: np.ndarray, w: np.ndarray) -> np.ndarray:
    s = d @ w
    dc = d - d.mean(axis=0)
    sc = s - s.mean()
    return (dc * sc[:, None]).sum(axis=0) / np.sqrt((dc**2).sum(axis=0) * (sc**2).sum())


@WEIGHTS.register(
    "balance",
    label_nl="gebalanceerde correlaties: elk onderdeel even sterk gecorreleerd met het geheel",
    formula="min_w Σ_j (r(x_j, Σ w x) - gemiddelde r)², w >= 0, Σ w = 1",
    needs_data=True,
)
def balance(given: np.ndarray, *, data: np.ndarray | None = None) -> np.ndarray:
    """Weights that equalise the Pearson correlation of each item with the weighted mean of the
    group (COINr ``get_opt_weights(optype = "balance")``): a nominal equal weight is not an equal
    influence when items are correlated unevenly. Solved with scipy's Nelder-Mead on softmax
    weights, started from equal weights."""
    n = len(given)
    if data is None or n < 2:
        return np.full(n, 1.0 / n)
    d = _complete(data)
    if len(d) < 3 or np.any(d.std(axis=0) == 0):
        return np.full(n, 1.0 / n)
    from scipy.optimize import minimize

    def w_of(t: np.ndarray) -> np.ndarray:
        e = np.exp(t - t.max())
        return e / e.sum()

    def loss(t: np.ndarray) -> float:
        r = _corr_with(d, w_of(t))
        return float(((r - r.mean()) ** 2).sum())

    res = minimize(
        loss, np.zeros(n), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000}
    )
    return w_of(res.x)


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
