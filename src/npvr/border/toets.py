"""Run a grenseffectentoets: the author's answers plus the border gemeenten and regions from data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from npvr.border.exposure import BORDER_NAMES, border_exposure, border_gemeenten
from npvr.border.form import Answer, GrensForm, load_form
from npvr.impact.inputs import GemeenteData

QUESTIONS = [
    (
        "1a",
        "free_movement.persons",
        "Raakt het voorstel het vrij verkeer van personen?",
        "Does it touch free movement of persons?",
    ),
    (
        "1b",
        "free_movement.goods",
        "Raakt het voorstel het vrij verkeer van goederen?",
        "Does it touch free movement of goods?",
    ),
    (
        "1c",
        "free_movement.services",
        "Raakt het voorstel het vrij verkeer van diensten?",
        "Does it touch free movement of services?",
    ),
    (
        "1d",
        "free_movement.capital",
        "Raakt het voorstel het vrij verkeer van kapitaal?",
        "Does it touch free movement of capital?",
    ),
    (
        "2a",
        "new_difference.belgium",
        "Ontstaat er een nieuw verschil met België?",
        "Does it create a new difference with Belgium?",
    ),
    (
        "2b",
        "new_difference.germany",
        "Ontstaat er een nieuw verschil met Duitsland?",
        "Does it create a new difference with Germany?",
    ),
    (
        "4a",
        "groups.cross_border_workers",
        "Raakt het grensarbeiders?",
        "Does it affect cross-border workers?",
    ),
    (
        "4b",
        "groups.residents",
        "Raakt het inwoners van het grensgebied?",
        "Does it affect border-area residents?",
    ),
    ("4c", "groups.businesses", "Raakt het ondernemers?", "Does it affect businesses?"),
    (
        "4d",
        "groups.public_services",
        "Raakt het publieke dienstverlening?",
        "Does it affect public services?",
    ),
]


@dataclass
class GrensResult:
    """The filled form with the measured border exposure."""

    form: GrensForm
    regions: pd.DataFrame
    gemeenten: pd.DataFrame
    provenance: dict[str, str]

    def steps(self, lang: str = "nl") -> list[dict[str, str]]:
        """The step plan as rows: step, question, answer, explanation."""
        yes, no = ("ja", "nee") if lang == "nl" else ("yes", "no")
        rows = []
        for step, path, q_nl, q_en in QUESTIONS:
            obj: Any = self.form
            for part in path.split("."):
                obj = getattr(obj, part)
            a: Answer = obj
            rows.append(
                {
                    "stap": step,
                    "vraag": q_nl if lang == "nl" else q_en,
                    "antwoord": yes if a.affected else no,
                    "toelichting": a.explanation,
                }
            )
        borders = self.form.borders_in_scope()
        nl = lang == "nl"
        names = (" en " if nl else " and ").join(BORDER_NAMES[b][0 if nl else 1] for b in borders)
        tot = self.regions.loc["NL"]
        npvr = self.regions.drop(index=["NL", "rest"], errors="ignore")
        hit = npvr[npvr["grensgemeenten"] > 0]
        people = f"{int(tot['inwoners_grensgemeenten']):,}"
        share = f"{tot['aandeel_grensgemeenten'] * 100:.1f}"
        if nl:
            people, share = people.replace(",", "."), share.replace(".", ",")
            row3 = {
                "vraag": "Welke grensgemeenten en NPVR-regio's worden geraakt? (uit de data)",
                "antwoord": f"{int(tot['grensgemeenten'])} gemeenten, {len(hit)} NPVR-regio's",
                "toelichting": f"Grens met {names}: {people} inwoners ({share}% van Nederland). "
                f"Regio's: {', '.join(hit['naam'])}.",
            }
        else:
            row3 = {
                "vraag": "Which border gemeenten and NPVR regions are affected? (from the data)",
                "antwoord": f"{int(tot['grensgemeenten'])} gemeenten, {len(hit)} NPVR regions",
                "toelichting": f"Border with {names}: {people} inhabitants ({share}% of the Netherlands). "
                f"Regions: {', '.join(hit['naam'])}.",
            }
        rows.insert(6, {"stap": "3", **row3})
        consulted = "; ".join(
            c.party + (f" ({c.date})" if c.date else "") + (f": {c.summary}" if c.summary else "")
            for c in self.form.consulted
        )
        rows.append(
            {
                "stap": "5",
                "vraag": "Wie is geraadpleegd?" if lang == "nl" else "Who was consulted?",
                "antwoord": str(len(self.form.consulted)),
                "toelichting": consulted
                or (
                    "Niemand: raadpleeg de grensregio's en buurlanden."
                    if lang == "nl"
                    else "Nobody: consult the border regions and neighbours."
                ),
            }
        )
        rows.append(
            {
                "stap": "6",
                "vraag": "Mitigatie of alternatief" if lang == "nl" else "Mitigation or alternative",
                "antwoord": (yes if (self.form.mitigation or self.form.alternatives) else no),
                "toelichting": " ".join(x for x in (self.form.mitigation, self.form.alternatives) if x),
            }
        )
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form.model_dump(mode="json"),
            "steps": self.steps(),
            "regions": self.regions.reset_index(names="regio").to_dict(orient="records"),
            "gemeenten": self.gemeenten.reset_index(names="gm_code").to_dict(orient="records"),
            "provenance": self.provenance,
        }


def run_grenstoets(form: GrensForm, data: GemeenteData) -> GrensResult:
    """Fill in the data part of the form: border gemeenten and exposure per region."""
    borders = form.borders_in_scope()
    prov = {k: v for k, v in data.provenance.items() if k in ("inwoners", "borders")}
    return GrensResult(form, border_exposure(data, borders), border_gemeenten(data, borders), prov)


def grenstoets(path: str | Path, *, data: GemeenteData | None = None, regions: Any = None) -> GrensResult:
    """Load a form file and run it on the shipped snapshot (or on ``data``).

    ``regions`` (a RegionSet or region file) overrides the form's own ``regions:`` entry.
    """
    form, _ = load_form(path)
    if data is None:
        if regions is None and form.regions:
            regions = str((Path(path).parent / form.regions).resolve())
        data = GemeenteData.from_snapshot(regions=regions)
    return run_grenstoets(form, data)
