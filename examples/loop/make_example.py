"""Build the example policy-loop workbook (ILLUSTRATION — invented adjustments, lessons and files).

    python examples/loop/make_example.py         # writes voorbeeld-beleidscyclus.xlsx
    npvr register init --db sqlite:///voorbeeld.sqlite
    npvr aanpassing import examples/loop/voorbeeld-beleidscyclus.xlsx --db sqlite:///voorbeeld.sqlite

The texts are made up to show the format and say "(illustratie)". What npvr computes is real:
the toets before and after the adjustment runs the shipped example policies on the shipped CBS
snapshot, and the gemeenten and inwoners of each border obstacle come from the shipped geometry
and CBS 70072NED.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from npvr.loop import export_file, open_loop
from npvr.register import init_register

HERE = Path(__file__).parent
REPO = HERE.parent.parent
OUT = HERE / "voorbeeld-beleidscyclus.xlsx"


def build(out: Path = OUT) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'voorbeeld.sqlite'}"
        init_register(url)
        loop = open_loop(url, actor="voorbeeld")
        loop.add_adjustment(
            "AANP-2026-01",
            scheme="Vitaliteitsfonds (illustratie)",
            kind="vaste-voet",
            change="Verdeling per inwoner vervangen door 20% vaste voet per gemeente en 80% per inwoner",
            effective_from="2026-01-01",
            regions=["achterhoek", "noard-fryslan", "zeeuws-vlaanderen"],
            indicators=["aandeel_65plus", "afstand_huisarts", "bevolkingsgroei"],
            toets_before=REPO / "examples" / "policies" / "vitaliteitsfonds_per_inwoner.yaml",
            toets_after=REPO / "examples" / "policies" / "vitaliteitsfonds_vaste_voet.yaml",
            note="ILLUSTRATIE: verzonnen aanpassing om het formaat te tonen",
        )
        loop.add_lesson(
            "LES-ACH-01",
            region="achterhoek",
            theme="gezondheid",
            title="Huisartsenpost in de kern (illustratie)",
            tried="Gedeelde praktijkruimte voor huisarts, fysiotherapeut en wijkverpleging",
            worked="Vaste huur via de gemeente; samen werven met de zorgverzekeraar",
            not_worked="Eenjarige subsidie: te kort om een huisarts te binden",
            national_rule="Subsidieregeling met jaarlijkse aanvraag en minimale projectomvang",
            adjustment="AANP-2026-01",
            recorded_on="2026-05-12",
        )
        loop.add_lesson(
            "LES-ZVL-01",
            region="zeeuws-vlaanderen",
            theme="opleiding",
            title="Stage over de grens (illustratie)",
            tried="Mbo-stages bij bedrijven in Gent en Antwerpen",
            worked="Afspraken tussen de scholen over begeleiding",
            not_worked="Stagevergoeding telt in België anders mee",
            national_rule="Erkenning leerbedrijven alleen in Nederland",
            recorded_on="2026-06-03",
        )
        loop.add_obstacle(
            "GB-DE-01",
            title="Thuiswerkdagen van grensarbeiders (illustratie)",
            rule="Fiscale behandeling van thuiswerkdagen verschilt per land",
            rule_kind="regel",
            country="DE",
            groups=["grensarbeiders", "bedrijven"],
            status="onderzocht",
            grenstoets=REPO / "examples" / "grenstoets" / "grensarbeiders_fiscale_regel.yaml",
        )
        loop.add_obstacle(
            "GB-BE-01",
            title="Ambulance over de grens (illustratie)",
            rule="Een ambulance heeft per land een eigen vergunning nodig",
            rule_kind="praktijk",
            country="BE",
            groups=["patienten"],
            distance_km=10,
            status="in-behandeling",
        )
        loop.bridge_new(
            "BR-2026-01",
            title="Grensoverschrijdende ambulancezorg (illustratie)",
            initiator="Euregio Scheldemond (illustratie)",
            coordination_point="Grenscoördinatiepunt Nederland (illustratie)",
            obstacle="GB-BE-01",
            on="2026-01-12",
            elements={
                "a": "Ambulances uit Zeeuws-Vlaanderen en Oost-Vlaanderen rijden dagelijks over de grens",
                "b": "Een Nederlandse ambulance mag in België geen patiënt vervoeren zonder vergunning",
                "c": "De dichtstbijzijnde ambulance staat soms aan de andere kant van de grens",
                "e": "Zeeuws-Vlaanderen en het Meetjesland",
            },
        )
        loop.bridge_step("BR-2026-01", "ingediend", on="2026-02-02")
        loop.bridge_step(
            "BR-2026-01", "verduidelijking-gevraagd", on="2026-03-20", note="vraag naar aantallen ritten"
        )
        loop.bridge_step(
            "BR-2026-01",
            "verduidelijking-ontvangen",
            on="2026-04-07",
            elements={"d": "Langere aanrijtijden in het grensgebied (illustratie)"},
        )
        return export_file(out, url)


if __name__ == "__main__":
    print(build())
