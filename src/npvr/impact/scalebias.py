"""Scale bias of a key: does a gemeente's euros per inwoner rise or fall with its size?

The elasticity is the OLS slope of log(euros per inwoner) on log(x) over the gemeenten, with x =
population or density, and a 95% confidence interval from the t distribution. A slope of -0.2
means: a gemeente twice as large gets about 13% (2^-0.2 - 1) fewer euros per inwoner. A key is
flagged as scale-biased when the interval excludes zero and |slope| >= ``materiality`` (0.01).
It is computed on the exact (unrounded) allocation, so cent rounding cannot create a slope.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MATERIALITY = 0.01


@dataclass(frozen=True)
class Elasticity:
    """A log-log slope with its 95% interval; ``flag`` is -1 (favours small), 0 or +1 (favours large)."""

    against: str
    slope: float
    low: float
    high: float
    n: int

    @property
    def flag(self) -> int:
        if self.low > 0 and self.slope >= MATERIALITY:
            return 1
        if self.high < 0 and self.slope <= -MATERIALITY:
            return -1
        return 0

    def sentence(self, lang: str = "nl") -> str:
        """One sentence a reader understands without knowing what an elasticity is."""
        what = {"inwoners": ("inwonertal", "population"), "dichtheid": ("bevolkingsdichtheid", "density")}
        nl_what, en_what = what.get(self.against, (self.against, self.against))
        iv = f"{self.slope:+.3f} (95%: {self.low:+.3f} tot {self.high:+.3f})".replace(".", ",")
        iv_en = f"{self.slope:+.3f} (95%: {self.low:+.3f} to {self.high:+.3f})"
        if lang == "en":
            verdict = {
                1: "the key rewards scale: larger units get more per inhabitant",
                -1: "the key favours small units: they get more per inhabitant",
                0: "no scale bias",
            }[self.flag]
            return f"Elasticity of euros per inhabitant to {en_what}: {iv_en}; {verdict}."
        verdict = {
            1: "de sleutel beloont schaal: grotere gemeenten krijgen meer per inwoner",
            -1: "de sleutel bevoordeelt kleine gemeenten: die krijgen meer per inwoner",
            0: "geen schaaleffect",
        }[self.flag]
        return f"Elasticiteit van euro's per inwoner naar {nl_what}: {iv}; {verdict}."


def elasticity(per_inwoner: pd.Series, x: pd.Series, *, against: str = "inwoners") -> Elasticity:
    """OLS of log(per_inwoner) on log(x) over gemeenten where both are positive."""
    df = pd.concat([per_inwoner.rename("y"), x.rename("x")], axis=1).dropna()
    df = df[(df["y"] > 0) & (df["x"] > 0)]
    n = len(df)
    if n < 3:
        return Elasticity(against, float("nan"), float("nan"), float("nan"), n)
    lx = np.log(df["x"].to_numpy(float))
    ly = np.log(df["y"].to_numpy(float))
    xc = lx - lx.mean()
    sxx = float(xc @ xc)
    if sxx == 0:
        return Elasticity(against, float("nan"), float("nan"), float("nan"), n)
    slope = float(xc @ (ly - ly.mean())) / sxx
    resid = ly - ly.mean() - slope * xc
    se = float(np.sqrt(max(float(resid @ resid), 0.0) / (n - 2) / sxx))
    from scipy import stats  # imported here: scipy.stats costs ~2 s at start-up

    t = float(stats.t.ppf(0.975, n - 2))
    return Elasticity(against, slope, slope - t * se, slope + t * se, n)


def scale_bias(per_inwoner: pd.Series, inwoners: pd.Series, land_km2: pd.Series | None) -> list[Elasticity]:
    """Elasticities against population and (when land area is known) density."""
    out = [elasticity(per_inwoner, inwoners, against="inwoners")]
    if land_km2 is not None:
        out.append(elasticity(per_inwoner, inwoners / land_km2, against="dichtheid"))
    return out
