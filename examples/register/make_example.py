"""Build the example register a newcomer can load at once (ILLUSTRATION — invented measures and amounts).

    python examples/register/make_example.py            # writes voorbeeld-register.xlsx + voorbeeld-csv/
    npvr register init --db sqlite:///voorbeeld.sqlite
    npvr register import examples/register/voorbeeld-register.xlsx --db sqlite:///voorbeeld.sqlite
    npvr register gap --db sqlite:///voorbeeld.sqlite

The plans, measures and amounts below are made up to show the format; they are marked
"(illustratie)" in every title. The need sheet is npvr's shipped illustration of the need
(``npvr/register/example_need.csv``: €10.5 bn over ten years split by population share; see
``npvr.register.example``). Regions, gemeente codes and indicator ids are real.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from npvr.register.io import read_exchange, write_exchange
from npvr.register.validate import SHEETS

HERE = Path(__file__).parent
NOTE = "ILLUSTRATIE: verzonnen voorbeeld om het formaat te tonen, geen echte cijfers"

PLANS = [
    (
        "ACH-RP",
        "achterhoek",
        "regioplan",
        "Regioplan Achterhoek (illustratie)",
        "bestuurlijk-besproken",
        "2025-06-30",
    ),
    (
        "ZVL-AA",
        "zeeuws-vlaanderen",
        "actieagenda",
        "Actieagenda Zeeuws-Vlaanderen (illustratie)",
        "in-voorbereiding",
        None,
    ),
    (
        "ZLI-RP",
        "zuid-limburg",
        "regioplan",
        "Regioplan Zuid-Limburg (illustratie)",
        "vastgesteld",
        "2025-09-15",
    ),
]
MEASURES = [
    (
        "ACH-01",
        "achterhoek",
        "ACH-RP",
        "Snelbus Winterswijk–Doetinchem (illustratie)",
        "bereikbaarheid",
        "voorzieningenniveau",
        ["GM0294", "GM0222"],
        ["afstand_treinstation"],
    ),
    (
        "ACH-02",
        "achterhoek",
        "ACH-RP",
        "Huisartsenzorg in kleine kernen (illustratie)",
        "gezondheid",
        "kansrijke-toekomst",
        ["GM0197", "GM0294"],
        ["afstand_huisarts"],
    ),
    (
        "ZVL-01",
        "zeeuws-vlaanderen",
        "ZVL-AA",
        "Grensoverschrijdende arbeidsmarkt (illustratie)",
        "werk",
        "leefbare-regios",
        ["GM0715", "GM1714"],
        [],
    ),
    (
        "ZLI-01",
        "zuid-limburg",
        "ZLI-RP",
        "Woningtransformatie Heerlen en Kerkrade (illustratie)",
        "huisvesting",
        "leefbare-regios",
        ["GM0917", "GM0928"],
        ["aandeel_leegstand"],
    ),
]
# (measure, source type, party, scheme, co-financing share, planned per year 2025..2028 in €, committed share)
FUNDING = [
    ("ACH-01", "rijk", "IenW", "Regio Deal", "0.5000", [1_500_000, 2_000_000, 2_000_000, 1_000_000], 1),
    (
        "ACH-01",
        "provincie",
        "Provincie Gelderland",
        "Regionale bereikbaarheid",
        None,
        [750_000, 1_000_000, 1_000_000, 500_000],
        1,
    ),
    ("ACH-02", "rijk", "VWS", "Juiste zorg op de juiste plek", None, [400_000, 400_000, 400_000, 400_000], 0),
    ("ACH-02", "gemeenten", "Gemeente Aalten", "", None, [100_000, 100_000, 100_000, 100_000], 1),
    (
        "ZVL-01",
        "eu",
        "Interreg Vlaanderen-Nederland",
        "Grensoverschrijdende arbeidsmarkt",
        "0.4000",
        [300_000, 600_000, 600_000, 300_000],
        1,
    ),
    ("ZVL-01", "rijk", "BZK", "Regio Deal", None, [250_000, 250_000, 250_000, 250_000], 0),
    ("ZLI-01", "rijk", "BZK", "Volkshuisvestingsfonds", "0.5000", [5_000_000, 5_000_000, 2_500_000, 0], 1),
    ("ZLI-01", "privaat", "Woningcorporaties Parkstad", "", None, [2_500_000, 2_500_000, 1_250_000, 0], 1),
]


def frames() -> dict[str, pd.DataFrame]:
    """The example register as exchange sheets."""
    from npvr.register.example import shipped_example_path

    cols = {s: [c.name for c in cs] for s, cs in SHEETS.items()}
    plannen = pd.DataFrame(
        [(c, r, k, t, s, d, NOTE, None) for c, r, k, t, s, d in PLANS], columns=cols["plannen"]
    )
    maatregelen = pd.DataFrame(
        [(c, r, p, t, NOTE, th, g, gm, ind, None) for c, r, p, t, th, g, gm, ind in MEASURES],
        columns=cols["maatregelen"],
    )
    rows = []
    for measure, src, party, scheme, share, planned, committed_years in FUNDING:
        for i, eur in enumerate(planned):
            year = 2025 + i
            if eur == 0:
                continue
            amount = Decimal(eur).quantize(Decimal("0.01"))
            rows.append((measure, year, "gepland", src, party, scheme, amount, share, None))
            if committed_years and year <= 2026:  # committed for the first two years
                rows.append((measure, year, "toegezegd", src, party, scheme, amount, share, None))
            if committed_years and year == 2025:  # 2025: 60% paid out
                paid = amount * Decimal("0.6")
                rows.append((measure, year, "betaald", src, party, scheme, paid, share, None))
    bedragen = pd.DataFrame(rows, columns=cols["bedragen"])
    need = read_exchange(Path(str(shipped_example_path())))["behoefte"]
    behoefte = pd.DataFrame([values for _row, values in need], columns=cols["behoefte"])
    behoefte["versie"] = None
    return {"plannen": plannen, "maatregelen": maatregelen, "bedragen": bedragen, "behoefte": behoefte}


def main() -> None:
    f = frames()
    print(write_exchange(f, HERE / "voorbeeld-register.xlsx"))
    print(write_exchange(f, HERE / "voorbeeld-csv"))


if __name__ == "__main__":
    main()
