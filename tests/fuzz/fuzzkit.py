"""Mutation fuzzing of every npvr parser: seeds, mutators and one runner per parser.

Shared by the bounded hypothesis tests (``tests/fuzz``) and ``benchmarks/fuzz_all.py``. A case is
*accepted* (no exception), *refused* (an :class:`~npvr.errors.NpvrError`: the promised clear
message) or *crashed* (anything else: a traceback the user would see). Hangs are cases over the
time limit.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import math
import random
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

NASTY_TOKENS = [
    "[" * 300,
    "{" * 80,
    "&a [*a]",
    "*nope",
    "<<: *x",
    ": ",
    "- ",
    "\t",
    "!!python/object/apply:os.system [ls]",
    "!!binary x",
    "1e400",
    "-1e400",
    ".nan",
    "-.inf",
    "99999999999999999999999999999",
    "0x1F",
    "0o17",
    "~",
    "null",
    "yes",
    "'",
    '"',
    "\\",
    "\u202e",
    "ü",
    "\x00",
    "\x85",
    "\ufeff",
    "2024-02-30",
    "%YAML 1.1\n---\n",
    "---\n",
    "...\n",
    "? [a]\n: b\n",
]

NASTY_VALUES: list[Any] = [
    None,
    True,
    False,
    -1,
    0,
    1,
    2**63,
    10**30,
    -(10**30),
    1e308,
    -1e308,
    float("nan"),
    float("inf"),
    float("-inf"),
    0.1,
    1e-320,
    "",
    " ",
    "x" * 5000,
    "GM0153",
    "GM9999",
    "twente",
    "rest",
    "1e999",
    "nan",
    "12,5",
    "€ 1.000.000",
    "\x00",
    "é\u202e",
    [],
    {},
    [1, "a", None],
    {"a": 1},
    [[[[[]]]]],
    dt.date(2024, 1, 1),
    dt.datetime(1, 1, 1),
]

BAD_BYTES = [b"\x00", b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\r", b"\r\n", b"\x1b[31m"]


@dataclass
class Outcome:
    status: str  # accepted | refused | crashed | hang
    detail: str = ""
    where: str = ""


def _pick_path(rnd: random.Random, data: Any, depth: int = 0) -> list[Any]:
    path: list[Any] = []
    node = data
    while isinstance(node, dict | list) and node and rnd.random() < 0.8 and depth < 20:
        key = rnd.choice(list(node.keys())) if isinstance(node, dict) else rnd.randrange(len(node))
        path.append(key)
        node = node[key]
        depth += 1
    return path


def mutate_tree(rnd: random.Random, data: Any) -> Any:
    """Change one place in parsed YAML: a wrong-typed/extreme value, a dropped or an unknown key."""
    import copy

    data = copy.deepcopy(data)
    path = _pick_path(rnd, data)
    if not path:
        return rnd.choice(NASTY_VALUES)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    op = rnd.random()
    if op < 0.6:
        parent[last] = rnd.choice(NASTY_VALUES)
    elif op < 0.75:
        del parent[last]
    elif op < 0.85 and isinstance(parent, dict):
        parent[rnd.choice(["extra", "naam", "Budget", "regions", "kind", "id"])] = rnd.choice(NASTY_VALUES)
    elif isinstance(parent, list):
        parent.insert(rnd.randrange(len(parent) + 1), parent[last])
    else:
        parent[last] = [parent[last]] * rnd.randint(0, 3)
    return data


def mutate_text(rnd: random.Random, text: str) -> bytes:
    """Byte- and line-level damage of a text file."""
    raw = text.encode("utf-8")
    for _ in range(rnd.randint(1, 3)):
        op = rnd.random()
        pos = rnd.randrange(len(raw) + 1)
        if op < 0.3:
            raw = raw[:pos] + rnd.choice(NASTY_TOKENS).encode("utf-8", "surrogatepass") + raw[pos:]
        elif op < 0.4:
            raw = raw[:pos] + rnd.choice(BAD_BYTES) + raw[pos:]
        elif op < 0.5 and raw:
            i = rnd.randrange(len(raw))
            raw = raw[:i] + bytes([rnd.randrange(256)]) + raw[i + 1 :]
        elif op < 0.6:
            end = min(len(raw), pos + rnd.randint(1, 40))
            raw = raw[:pos] + raw[end:]
        elif op < 0.75:
            lines = raw.split(b"\n")
            i = rnd.randrange(len(lines))
            lines.insert(rnd.randrange(len(lines) + 1), lines[i])
            raw = b"\n".join(lines)
        elif op < 0.85:
            lines = raw.split(b"\n")
            i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            raw = b"\n".join(lines)
        elif op < 0.9:
            raw = raw[: rnd.randrange(len(raw) + 1)]
        else:
            raw = raw.replace(b"  ", b"\t", 1) if rnd.random() < 0.5 else raw.replace(b": ", b":", 1)
    return raw


SPECIALS = [
    b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    b"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    b"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n",
    b"[" * 50_000,
    b"- " * 5000 + b"x",
    b"",
    b"\xff\xfe\x00\x00",
    "name: Fryslân\n".encode("latin-1"),
    b"regions: 5\n",
    b"regions:\n  - 5\n  - [a]\n  - {id: {x: 1}, members: GM0153, variants: [a]}\n",
    b"kind: fund\nkind: fund\n",
    b"- a\n- b\n",
    b"42\n",
]


def mutate_yaml(rnd: random.Random, seed_text: str) -> bytes:
    """One mutated YAML file from a seed: structural (most), textual, or a special hostile file."""
    op = rnd.random()
    if op < 0.04:
        return rnd.choice(SPECIALS)
    if op < 0.6:
        data = yaml.safe_load(seed_text)
        for _ in range(rnd.randint(1, 3)):
            data = mutate_tree(rnd, data)
        try:
            return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
        except (yaml.YAMLError, ValueError, TypeError):
            return seed_text.encode("utf-8")
    return mutate_text(rnd, seed_text)


# --- seeds ----------------------------------------------------------------------------------------


@functools.cache
def seeds(kind: str) -> list[str]:
    if kind == "regions":
        return [(REPO / "src" / "npvr" / "areas" / "npvr_regions.yaml").read_text(encoding="utf-8")]
    if kind == "index_config":
        return [
            (REPO / "src" / "npvr" / "index" / "default_index.yaml").read_text(encoding="utf-8"),
            *(p.read_text(encoding="utf-8") for p in sorted((EXAMPLES / "index").glob("*.yaml"))),
        ]
    if kind == "policy":
        return [p.read_text(encoding="utf-8") for p in sorted((EXAMPLES / "policies").glob("*.yaml"))]
    if kind == "grensform":
        return [p.read_text(encoding="utf-8") for p in sorted((EXAMPLES / "grenstoets").glob("*.yaml"))]
    if kind == "register_csv":
        return [
            p.read_text(encoding="utf-8")
            for p in sorted((EXAMPLES / "register" / "voorbeeld-csv").glob("*.csv"))
        ]
    raise KeyError(kind)


def mutate_csv(rnd: random.Random, seed_text: str) -> bytes:
    if rnd.random() < 0.35:
        return mutate_text(rnd, seed_text)
    rows = list(csv.reader(io.StringIO(seed_text)))
    for _ in range(rnd.randint(1, 3)):
        op = rnd.random()
        r = rnd.randrange(len(rows))
        if op < 0.6 and rows[r]:
            c = rnd.randrange(len(rows[r]))
            v = rnd.choice(NASTY_VALUES)
            rows[r][c] = "" if v is None else str(v)
        elif op < 0.7:
            rows.insert(rnd.randrange(len(rows) + 1), list(rows[r]))
        elif op < 0.8 and rows[r]:
            del rows[r][rnd.randrange(len(rows[r]))]
        elif op < 0.9:
            rows[r] = [*rows[r], rnd.choice(["extra", "", "bedrag", "\x00"])]
        else:
            rows.insert(rnd.randrange(len(rows) + 1), [])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=rnd.choice(["\n", "\r\n"]), delimiter=rnd.choice([",", ",", ",", ";"]))
    w.writerows(rows)
    return buf.getvalue().encode("utf-8", "surrogatepass")


def mutate_xlsx(rnd: random.Random, seed: bytes) -> bytes:
    if rnd.random() < 0.1:
        raw = bytearray(seed)
        for _ in range(rnd.randint(1, 20)):
            raw[rnd.randrange(len(raw))] = rnd.randrange(256)
        return bytes(raw[: rnd.randrange(len(raw) + 1)] if rnd.random() < 0.3 else raw)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(seed))
    for _ in range(rnd.randint(1, 4)):
        ws = rnd.choice(wb.worksheets)
        op = rnd.random()
        if op < 0.75 and ws.max_row >= 1:
            row = rnd.randint(1, ws.max_row + 1)
            col = rnd.randint(1, max(ws.max_column, 1) + 1)
            value = rnd.choice([*NASTY_VALUES, "=1/0", "=A1", "#N/A"])
            if isinstance(value, list | dict) or (isinstance(value, float) and not math.isfinite(value)):
                value = str(value)
            if isinstance(value, str):
                value = "".join(ch for ch in value if ch >= " " or ch in "\t\n")[:32000]
            if isinstance(value, int) and abs(value) > 2**53:
                value = str(value)
            ws.cell(row=row, column=col, value=value)
        elif op < 0.85 and ws.max_row > 1:
            ws.delete_rows(rnd.randint(1, ws.max_row))
        elif op < 0.9:
            ws.title = rnd.choice(["Blad1", "projecten", "bedragen ", "BEDRAGEN", "x" * 31])[:31]
        else:
            wb.create_sheet(rnd.choice(["extra", "toelichting2"]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


PROFILE_QUERIES = [
    "twente",
    "Twente",
    "CR12",
    "PV31",
    "GM0153",
    "Enschede",
    "",
    " ",
    "rest",
    "NL",
    "Nederland",
    "CR99",
    "PV00",
    "GM9999",
    "gm0153",
    "'; DROP TABLE x;--",
    "\x00",
    "x" * 10000,
    "twente\n",
    "Zuid- en Oost-Drenthe (Regio Emmen)",
    "cr",
    "GM",
    "BU01530000",
    "WK015300",
    "Ü",
    "🙂",
    "*",
    ".*",
    "(",
]


def mutate_query(rnd: random.Random) -> str:
    q = rnd.choice(PROFILE_QUERIES)
    if rnd.random() < 0.5 and q:
        i = rnd.randrange(len(q) + 1)
        q = q[:i] + rnd.choice(["", " ", "-", "(", "\x00", "é", "0", "*", "?", "\\"]) + q[i:]
    return q


OUT_NAMES = [
    "out.csv",
    "out.xlsx",
    "out.json",
    "sub/dir/out.csv",
    "",
    ".",
    "..",
    "bestaat/",
    "a" * 300,
    "a\x00b",
    "nul\x00.csv",
    " ",
    "~/x.csv",
    "file-exists",
    "dir-exists",
    "dir-exists/x.csv",
    "file-exists/x.csv",
    "rapport",
    "ünï.csv",
    "-rf",
    "CON",
    "a/" * 200 + "x",
]


def mutate_out(rnd: random.Random) -> str:
    name = rnd.choice(OUT_NAMES)
    if rnd.random() < 0.3:
        name = name + rnd.choice(["", "/", ".tmp", "\n", "\\", "*"])
    return name


DB_URLS = [
    "sqlite:///reg.sqlite",
    "sqlite://",
    "sqlite:///",
    "sqlite:////nonexistent/dir/x.sqlite",
    "reg.sqlite",
    "postgresql://",
    "postgresql://host:notaport/db",
    "postgresql+psycopg://user@:99999/db",
    "postgresql+psycopg://user@localhost",
    "mysql://x",
    "oracle://",
    "http://example.org",
    "://",
    "",
    " ",
    "sqlite:///\x00",
    "sqlite:///" + "a" * 300,
    "postgresql+psycopg://u:p@h:5432/db?sslmode=bogus",
    "foo",
    "sqlite:///dir-exists",
    "sqlite:///file-exists",
]


def mutate_db(rnd: random.Random) -> str:
    url = rnd.choice(DB_URLS)
    if rnd.random() < 0.4 and url:
        i = rnd.randrange(len(url) + 1)
        url = url[:i] + rnd.choice([":", "/", "@", "%", "?", "#", "0", "\x00", " ", "[", "]"]) + url[i:]
    return url


# --- runners: one per parser ----------------------------------------------------------------------


def classify(fn: Callable[[], Any]) -> Outcome:
    from npvr.errors import NpvrError

    try:
        fn()
    except NpvrError as exc:
        text = exc.render()
        if "Traceback" in text:
            return Outcome("crashed", "traceback text in message", "")
        return Outcome("refused", text[:200])
    except Exception as exc:  # a crash: recorded with the deepest npvr frame
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/npvr/" in f.filename]
        where = f"{frames[-1].filename.split('/src/')[-1]}:{frames[-1].lineno}" if frames else "?"
        return Outcome("crashed", f"{type(exc).__name__}: {str(exc)[:160]}", where)
    return Outcome("accepted")


class Runners:
    """Parsers under test; each takes the case bytes/str and a scratch folder."""

    def __init__(self, scratch: Path, *, deep: bool = True) -> None:
        self.scratch = scratch
        self.deep = deep  # also run the toets / index / import on accepted inputs
        self.n = 0
        self._codes: tuple[str, ...] | None = None
        self._db: str | None = None

    def _file(self, data: bytes, suffix: str) -> Path:
        self.n += 1
        p = self.scratch / f"case{self.n}{suffix}"
        p.write_bytes(data)
        return p

    def regions(self, data: bytes) -> Any:
        import npvr
        from npvr.areas.regions import parse_regions
        from npvr.yamlio import load_yaml

        if self._codes is None:
            self._codes = tuple(npvr.load_snapshot().gemeenten.index)
        path = self._file(data, ".yaml")
        regions = parse_regions(load_yaml(path), self._codes)
        if self.deep:
            npvr.tables.regions_table(regions)
        return regions

    def index_config(self, data: bytes) -> Any:
        from npvr.index import build_index
        from npvr.index.config import load_config

        path = self._file(data, ".yaml")
        cfg = load_config(path)
        if self.deep:
            build_index(cfg)
        return cfg

    def policy(self, data: bytes) -> Any:
        from npvr.impact import toets
        from npvr.impact.policy import load_policy

        path = self._file(data, ".yaml")
        pol = load_policy(path)
        if self.deep:
            toets(path)
        return pol

    def grensform(self, data: bytes) -> Any:
        from npvr.border import grenstoets
        from npvr.border.form import load_form

        path = self._file(data, ".yaml")
        form = load_form(path)
        if self.deep:
            grenstoets(path)
        return form

    def _register_db(self) -> str:
        if self._db is None:
            from npvr.register import init_register

            self._db = f"sqlite:///{self.scratch / 'fuzz-register.sqlite'}"
            init_register(self._db)
        return self._db

    def _register(self, path: Path) -> Any:
        from npvr.register import import_file
        from npvr.register.io import read_exchange

        if self.deep:
            return import_file(path, self._register_db())
        return read_exchange(path)

    def register_csv(self, data: bytes) -> Any:
        return self._register(self._file(data, ".csv"))

    def register_xlsx(self, data: bytes) -> Any:
        return self._register(self._file(data, ".xlsx"))

    def profile(self, query: str) -> Any:
        import npvr

        return npvr.profile(query)

    def out(self, name: str) -> Any:
        from npvr.output import atomic_dir, write_text

        base = self.scratch / f"out{self.n}"
        self.n += 1
        base.mkdir()
        (base / "file-exists").write_text("keep")
        (base / "dir-exists").mkdir()
        (base / "dir-exists" / "keep.txt").write_text("keep")
        target = base / name
        try:
            inside = str(target.resolve()).startswith(str(base.resolve()))
        except (OSError, ValueError):
            inside = "\x00" in name or len(name) > 255  # cannot resolve: let npvr refuse it
        if not inside:
            return None  # never write outside the scratch folder
        try:
            if name.endswith((".csv", ".xlsx", ".json")):
                write_text(target, "x\n")
            else:
                with atomic_dir(target) as tmp:
                    (tmp / "a.txt").write_text("x")
        finally:
            assert (base / "file-exists").read_text() == "keep", "foreign file changed"
            assert (base / "dir-exists" / "keep.txt").read_text() == "keep", "foreign folder changed"

    def db(self, url: str) -> Any:
        from npvr.register.db import has_register, resolve_url

        base = self.scratch / f"db{self.n}"
        self.n += 1
        base.mkdir()
        (base / "file-exists").write_text("not a database")
        (base / "dir-exists").mkdir()
        url = url.replace("sqlite:///", f"sqlite:///{base}/", 1) if url.startswith("sqlite:///") else url
        resolved = resolve_url(url)
        if resolved.startswith("sqlite"):
            return has_register(resolved)
        return resolved  # other schemes: validated only; no network connection to invented hosts


KINDS = (
    "regions",
    "index_config",
    "policy",
    "grensform",
    "register_csv",
    "register_xlsx",
    "profile",
    "out",
    "db",
)


def make_case(kind: str, rnd: random.Random, xlsx_seed: bytes | None = None) -> Any:
    if kind in ("regions", "index_config", "policy", "grensform"):
        return mutate_yaml(rnd, rnd.choice(seeds(kind)))
    if kind == "register_csv":
        return mutate_csv(rnd, rnd.choice(seeds(kind)))
    if kind == "register_xlsx":
        seed = xlsx_seed or (EXAMPLES / "register" / "voorbeeld-register.xlsx").read_bytes()
        return mutate_xlsx(rnd, seed)
    if kind == "profile":
        return mutate_query(rnd)
    if kind == "out":
        return mutate_out(rnd)
    if kind == "db":
        return mutate_db(rnd)
    raise KeyError(kind)
