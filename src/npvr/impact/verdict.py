"""A verdict per region (gunstig / neutraal / ongunstig) with the reason in one sentence.

Rule: the region's share of the budget divided by its share of the reference (need, population,
or its baseline euros) is compared with 1 ± ``band``. Above: gunstig; below: ongunstig. For a
subsidy scheme a region is also ongunstig when most of its inwoners live in eligible gemeenten
that cannot reach the threshold and a joint bid would not reach it either. For an exposure policy
the region's impact is compared with the national mean impact: a harmful measure that hits a
region harder than average is ongunstig, a beneficial one that reaches it more is gunstig; every
other region is neutraal.
"""

from __future__ import annotations

import math

VERDICTS = {"gunstig": "favourable", "neutraal": "neutral", "ongunstig": "unfavourable"}


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%".replace(".", ",")


def _eur(x: float) -> str:
    return "€ " + f"{x:,.0f}".replace(",", ".")


def _num(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def classify(ratio: float, band: float) -> str:
    """gunstig above 1 + band, ongunstig below 1 - band, else neutraal (NaN -> neutraal)."""
    if ratio is None or math.isnan(ratio):
        return "neutraal"
    if ratio > 1 + band:
        return "gunstig"
    if ratio < 1 - band:
        return "ongunstig"
    return "neutraal"


def money_verdict(row: dict, *, basis: str, band: float) -> tuple[str, str, str]:
    """(verdict, reason nl, reason en) for one region row of the incidence table."""
    share = row["aandeel_budget"]
    if basis == "baseline" and "euro_basis" in row and row["euro_basis"]:
        ratio = row["euro"] / row["euro_basis"]
        v = classify(ratio, band)
        nl = (
            f"Ontvangt {_eur(row['euro'])} tegen {_eur(row['euro_basis'])} in de uitgangssituatie "
            f"({_pct(ratio - 1)} verschil)."
        )
        en = (
            f"Receives € {row['euro']:,.0f} against € {row['euro_basis']:,.0f} at baseline "
            f"({(ratio - 1) * 100:+.1f}%)."
        )
        return v, nl, en
    if basis == "need" and "ratio_behoefte" in row and not math.isnan(row["ratio_behoefte"]):
        ratio, ref, ref_en, refshare = row["ratio_behoefte"], "de behoefte", "need", row["aandeel_behoefte"]
    else:
        ratio, ref, ref_en, refshare = (
            row["ratio_bevolking"],
            "de bevolking",
            "population",
            row["aandeel_bevolking"],
        )
    v = classify(ratio, band)
    word = {"gunstig": "meer dan", "neutraal": "in lijn met", "ongunstig": "minder dan"}[v]
    word_en = {"gunstig": "more than", "neutraal": "in line with", "ongunstig": "less than"}[v]
    nl = (
        f"Krijgt {_pct(share)} van het budget bij {_pct(refshare)} van {ref} "
        f"(verhouding {_num(ratio)}): {word} naar rato van {ref}."
    )
    en = (
        f"Gets {share * 100:.1f}% of the budget with {refshare * 100:.1f}% of {ref_en} "
        f"(ratio {ratio:.2f}): {word_en} its share of {ref_en}."
    )
    return v, nl, en


def subsidy_verdict(row: dict, money: tuple[str, str, str]) -> tuple[str, str, str]:
    """Override the money verdict when the threshold shuts most of the region out."""
    share_below = row.get("aandeel_inwoners_onder_grens", 0.0) or 0.0
    if share_below > 0.5 and not row.get("samen_haalbaar", True):
        nl = (
            f"{int(row['gemeenten_onder_grens'])} van {int(row['gemeenten'])} gemeenten "
            f"({_pct(share_below)} van de inwoners) halen de ondergrens niet, ook niet samen."
        )
        en = (
            f"{int(row['gemeenten_onder_grens'])} of {int(row['gemeenten'])} gemeenten "
            f"({share_below * 100:.1f}% of inhabitants) cannot reach the threshold, not even jointly."
        )
        return "ongunstig", nl, en
    if share_below > 0.5:
        v, nl, en = money
        return (
            v,
            nl + " De meeste gemeenten halen de ondergrens alleen samen.",
            en + " Most gemeenten reach the threshold only jointly.",
        )
    return money


def exposure_verdict(impact: float, national: float, *, effect: str, band: float) -> tuple[str, str, str]:
    """A harmful measure can only be ongunstig (hit harder than average) or neutraal; a beneficial one
    gunstig (reaches it more than average) or neutraal. Being spared by a harmful measure is no gain."""
    ratio = impact / national if national else float("nan")
    level = classify(ratio, band)  # 'gunstig' here means: more impact than the national mean
    hit = {"negative": "ongunstig", "positive": "gunstig"}[effect]
    v = hit if level == "gunstig" else "neutraal"
    word = {"gunstig": "hoger dan", "neutraal": "gelijk aan", "ongunstig": "lager dan"}[level]
    word_en = {"gunstig": "higher than", "neutraal": "about equal to", "ongunstig": "lower than"}[level]
    kind = "nadelige" if effect == "negative" else "gunstige"
    nl = (
        f"De impactscore ({_num(impact)}) is {word} het landelijk gemiddelde ({_num(national)}) "
        f"bij een {kind} maatregel."
    )
    en = (
        f"The impact score ({impact:.2f}) is {word_en} the national mean ({national:.2f}) "
        f"for a {'harmful' if effect == 'negative' else 'beneficial'} measure."
    )
    return v, nl, en
