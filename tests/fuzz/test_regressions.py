"""One minimal reproducer per crash class of issue 9: each is now a clear refusal (exit 2), no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from npvr.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
POLICY = (REPO / "examples" / "policies" / "vitaliteitsfonds_per_inwoner.yaml").read_text(encoding="utf-8")


def refused(args: list[str], *expected: str) -> str:
    out = runner.invoke(app, args)
    assert out.exit_code == 2, out.output
    assert out.exception is None or isinstance(out.exception, SystemExit), repr(out.exception)
    assert "Traceback" not in out.output
    for text in expected:
        assert text in out.output, (text, out.output)
    return out.output


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def test_recursion_error_deep_yaml(tmp_path):
    refused(
        ["regions", "--regions", str(write(tmp_path, "r.yaml", "regions: " + "[" * 5000))], "te diep genest"
    )


def test_unicode_decode_error_region_policy_index(tmp_path):
    latin = "regions:\n  - id: fryslan\n    name: Fryslân\n    members: [GM0080]\n".encode("latin-1")
    refused(["regions", "--regions", str(write(tmp_path, "r.yaml", latin))], "geen UTF-8", "regel 3")
    refused(["toets", str(write(tmp_path, "p.yaml", POLICY.encode("utf-8") + b"# \xe9\n"))], "geen UTF-8")
    refused(["index", "build", str(write(tmp_path, "i.yaml", b"name: \xff\n"))], "geen UTF-8")


@pytest.mark.parametrize("value", ["1e400", ".inf", ".nan", "1000000000000.01", "-1"])
def test_decimal_and_overflow_in_policy_money(tmp_path, value):
    text = POLICY.replace("budget: 100000000", f"budget: {value}")
    assert text != POLICY
    refused(["toets", str(write(tmp_path, "p.yaml", text))], "budget")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("regions: 5\n", "regions"),
        ("regions:\n  - 5\n", "regions[0]"),
        ("regions:\n  - {id: {x: 1}, members: [GM0153]}\n", "regions[0].id"),
        ("regions:\n  - {id: a, members: GM0153}\n", "regions[0].members"),
        ("regions:\n  - {id: a, members: [GM0153], variants: [x]}\n", "regions[0].variants"),
        ("regions:\n  - {id: a, members: [GM0153], variants: {x: 5}}\n", "regions[0].variants.x"),
        ("regions:\n  - {id: a, members: [[GM0153]], name: [a]}\n", "regions[0].members[0]"),
    ],
)
def test_type_key_attribute_errors_in_region_file(tmp_path, text, field):
    out = refused(["regions", "--regions", str(write(tmp_path, "r.yaml", text))])
    assert f"'{field}'" in out


def test_alias_bomb_policy(tmp_path):
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    refused(["toets", str(write(tmp_path, "bom.yaml", bomb))], "verwijzingen")


def test_duplicate_key_policy(tmp_path):
    refused(["toets", str(write(tmp_path, "p.yaml", POLICY + "budget: 5\n"))], "komt twee keer voor")


def test_out_into_missing_folder_for_index(tmp_path):
    refused(["index", "build", "--out", str(tmp_path / "missing" / "x.csv")], "bestaat niet")


def test_long_refusal_is_short(tmp_path):
    members = ", ".join(f"GM{9000 + i}" for i in range(900))
    out = refused(
        [
            "regions",
            "--regions",
            str(write(tmp_path, "r.yaml", f"regions:\n  - id: a\n    members: [{members}]\n")),
        ]
    )
    assert len(out) < 10_000 and "900 probleem/problemen" in out


@pytest.mark.parametrize("value", ["1e400", "NaN", "Infinity", "99999999999999999999999999"])
def test_decimal_invalid_operation_in_register_amounts(tmp_path, value):
    from npvr.register.io import read_exchange
    from npvr.register.reference import default_reference
    from npvr.register.validate import validate

    src = (REPO / "examples" / "register" / "voorbeeld-csv" / "bedragen.csv").read_text(encoding="utf-8")
    lines = src.splitlines()
    lines[1] = lines[1].replace("1500000.00", value)
    raw = read_exchange(write(tmp_path, "bedragen.csv", "\n".join(lines) + "\n"))
    _, problems = validate(raw, default_reference())
    bad = [p for p in problems if p.severity == "error"]
    assert bad and bad[0].row == 2 and bad[0].field == "bedrag"


@pytest.mark.parametrize("url", ["postgresql://host:notaport/db", "://"])  # scheme/NUL: register branch
def test_malformed_db_url(url):
    refused(["register", "gap", "--db", url])


def test_sqlite_file_that_is_not_a_database(tmp_path):
    junk = write(tmp_path, "junk.sqlite", b"this is not a database" * 100)
    refused(["register", "gap", "--db", f"sqlite:///{junk}"])


def test_register_export_never_deletes_a_foreign_folder(tmp_path):
    db = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    assert runner.invoke(app, ["register", "init", "--db", db]).exit_code == 0
    foreign = tmp_path / "mijn-map"
    foreign.mkdir()
    (foreign / "scriptie.docx").write_text("jaren werk")
    refused(["register", "export", "--db", db, "--out", str(foreign)], "geen eerder npvr-resultaat")
    assert (foreign / "scriptie.docx").read_text() == "jaren werk"
    existing = write(tmp_path, "oud.xlsx", b"mine")
    refused(["register", "export", "--db", db, "--out", str(existing)], "bestaat al")
    assert existing.read_bytes() == b"mine"
    fresh = tmp_path / "export"
    assert runner.invoke(app, ["register", "export", "--db", db, "--out", str(fresh)]).exit_code == 0
    assert runner.invoke(app, ["register", "export", "--db", db, "--out", str(fresh)]).exit_code == 0  # ours


@pytest.mark.parametrize("url", ["sqlite://[/", "sqlite0:///x"])
def test_url_that_parses_but_no_driver_takes(url):
    refused(["register", "gap", "--db", url], "ongeldige database-URL")


def test_csv_with_a_stray_carriage_return(tmp_path):
    db = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    assert runner.invoke(app, ["register", "init", "--db", db]).exit_code == 0
    csv_file = write(tmp_path, "bedragen.csv", b"maatregel,jaar\nACH-01,20\r25,x\n")
    refused(["register", "import", str(csv_file), "--db", db], "CSV-bestand is onleesbaar", "regel")
