"""The one user-file reader: every hostile or broken YAML is a ConfigError with file and line, fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from npvr.errors import ConfigError
from npvr.yamlio import MAX_DEPTH, load_yaml, parse_yaml, read_text

BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_alias_bomb_is_refused_quickly():
    assert len(BOMB.encode()) <= 400  # the 400-byte bomb: 9^9 values when expanded
    t0 = time.perf_counter()
    with pytest.raises(ConfigError, match="verwijzingen") as info:
        parse_yaml(BOMB, "bom.yaml")
    assert time.perf_counter() - t0 < 5  # generous: it takes milliseconds; hangs are what we exclude
    assert info.value.file == "bom.yaml" and info.value.message_en


def test_small_aliases_still_work():
    doc = parse_yaml("base: &b {x: 1}\nuse: *b\nmerged:\n  <<: *b\n  y: 2\n")
    assert doc.data == {"base": {"x": 1}, "use": {"x": 1}, "merged": {"x": 1, "y": 2}}


@pytest.mark.parametrize("text", ["[" * 100_000, "a:\n" + "".join(" " * i + "- \n" for i in range(1, 200))])
def test_deep_nesting_is_refused_not_recursion_error(text):
    with pytest.raises(ConfigError, match="te diep genest"):
        parse_yaml(text, "diep.yaml")


def test_depth_via_aliases_is_bounded():
    inner = "[" * 60 + "1" + "]" * 60
    lines = [f"a0: &a0 {inner}"]
    for i in range(1, 5):
        lines.append(f"a{i}: &a{i} " + "[" * 60 + f"*a{i - 1}" + "]" * 60)
    with pytest.raises(ConfigError, match="te diep"):
        parse_yaml("\n".join(lines), "x.yaml")


def test_nesting_at_the_limit_is_accepted():
    depth = MAX_DEPTH - 1
    assert parse_yaml("[" * depth + "1" + "]" * depth).data is not None


def test_duplicate_key_names_line():
    with pytest.raises(ConfigError, match="'budget' komt twee keer voor") as info:
        parse_yaml("kind: fund\nbudget: 1\nname: x\nbudget: 2\n", "p.yaml")
    assert info.value.line == 4


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("a: &x [*x]\n", "verwijst naar zichzelf"),
        ("? [1, 2]\n: 3\n", "sleutel moet een enkele waarde"),
        ("a: !!python/object/apply:os.system [ls]\n", "onbekende YAML-tag"),
        ("a: 2024-13-45\n", "ongeldige waarde"),
    ],
)
def test_other_hostile_yaml(text, match):
    with pytest.raises(ConfigError, match=match):
        parse_yaml(text, "x.yaml")


def test_not_utf8_names_file_and_line(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: regio\nsource: Fryslân\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="geen UTF-8") as info:
        load_yaml(path)
    assert info.value.file == str(path) and info.value.line == 2
    assert "UTF-8" in (info.value.message_en or "")


def test_bom_is_accepted(tmp_path: Path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: 1\n".encode())
    assert load_yaml(path).data == {"a": 1}


def test_unreadable_inputs(tmp_path: Path):
    with pytest.raises(ConfigError, match="bestaat niet"):
        read_text(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="map, geen bestand"):
        read_text(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" * 1000)
    with pytest.raises(ConfigError, match="te groot"):
        read_text(big, max_bytes=100)
    with pytest.raises(ConfigError, match="kan niet worden gelezen"):
        read_text("nul\x00byte.yaml")


def test_line_map_kept():
    doc = parse_yaml("regions:\n  - id: a\n    members:\n      - GM1\n      - GM2\n", "r.yaml")
    assert doc.line(("regions", 0, "members", 1)) == 5
    assert doc.line(("regions", 0, "id")) == 2
