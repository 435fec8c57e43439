"""Region sets: the 11 NPVR regions (shipped default) or a user's own delimitation.

A region file is YAML: ``regions: [{id, name, confidence, source, members: [GMnnnn...], variants}]``.
The whole file is validated before use and every problem is reported at once, with its line:
unknown gemeente codes, a gemeente in two regions, an empty region, a duplicate id, broken YAML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from npvr.errors import Problem, ValidationError
from npvr.yamlio import YamlDoc, load_yaml

DEFAULT_REGIONS_FILE = "npvr_regions.yaml"
REST_ID = "rest"
CONFIDENCE_LEVELS = {"A": "vastgesteld samenwerkingsverband", "B": "waarschijnlijk", "C": "omstreden"}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Region:
    """One region: a stable slug id, a Dutch name and its member gemeenten (2025 codes)."""

    id: str
    name: str
    members: tuple[str, ...]
    confidence: str = "A"
    source: str = ""
    variants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class RegionSet:
    """A named set of disjoint regions; gemeenten outside every region form "rest of NL"."""

    name: str
    regions: tuple[Region, ...]
    source_file: str = ""

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.regions)

    def __len__(self) -> int:
        return len(self.regions)

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.regions]

    def by_id(self, region_id: str) -> Region:
        for r in self.regions:
            if r.id == region_id:
                return r
        raise KeyError(region_id)

    def membership(self) -> pd.Series:
        """gm_code -> region id, for member gemeenten only."""
        pairs = [(gm, r.id) for r in self.regions for gm in r.members]
        return pd.Series(
            [rid for _, rid in pairs], index=pd.Index([gm for gm, _ in pairs], name="gm_code"), name="region"
        )

    def groups(self, all_codes: Iterable[str] | None = None) -> pd.Series:
        """Every gemeente -> its region id, or ``"rest"`` (rest of NL) when it is in none."""
        if all_codes is None:
            from npvr.data.snapshot import load_snapshot

            all_codes = load_snapshot().gemeenten.index
        codes = pd.Index(list(all_codes), name="gm_code")
        return self.membership().reindex(codes).fillna(REST_ID).rename("group")

    def with_variant(self, region_id: str, variant: str) -> RegionSet:
        """The same set with one region's members replaced by a named variant."""
        regions = []
        for r in self.regions:
            if r.id == region_id:
                if variant not in r.variants:
                    raise KeyError(variant)
                r = Region(r.id, r.name, r.variants[variant], r.confidence, r.source, r.variants)
            regions.append(r)
        return RegionSet(f"{self.name} ({region_id}: {variant})", tuple(regions), self.source_file)


def _default_path() -> Path:
    return Path(str(resources.files("npvr.areas").joinpath(DEFAULT_REGIONS_FILE)))


def parse_regions(doc: YamlDoc, valid_codes: Iterable[str]) -> RegionSet:
    """Validate a parsed region file as a whole; raise ValidationError listing every problem."""
    valid = set(valid_codes)
    problems: list[Problem] = []

    def problem(msg: str, key: tuple[str | int, ...], en: str) -> None:
        problems.append(
            Problem(msg, file=doc.path, row=doc.line(key), field=".".join(map(str, key)), message_en=en)
        )

    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("regions"), list):
        raise doc.error(
            "een regiobestand heeft een lijst 'regions' nodig",
            ("regions",),
            en="a region file needs a list 'regions'",
        )
    seen_ids: dict[str, str] = {}
    owner: dict[str, str] = {}
    regions: list[Region] = []
    for i, item in enumerate(data["regions"]):
        key: tuple[str | int, ...] = ("regions", i)
        if not isinstance(item, dict):
            problem("elke regio is een mapping met id, name en members", key, "each region is a mapping")
            continue
        rid = str(item.get("id", "")).strip()
        label = rid or f"#{i + 1}"
        if not rid or not _ID_RE.match(rid):
            problem(
                f"regio {label}: 'id' moet een slug zijn (kleine letters, cijfers, '-')",
                (*key, "id"),
                f"region {label}: 'id' must be a slug (lowercase letters, digits, '-')",
            )
        elif rid in seen_ids or rid == REST_ID:
            problem(
                f"regio-id '{rid}' komt twee keer voor of is gereserveerd",
                (*key, "id"),
                f"region id '{rid}' is duplicated or reserved",
            )
        seen_ids[rid] = rid
        name = str(item.get("name") or rid)
        confidence = str(item.get("confidence", "A"))
        if confidence not in CONFIDENCE_LEVELS:
            problem(
                f"regio '{label}': confidence moet A, B of C zijn, niet '{confidence}'",
                (*key, "confidence"),
                f"region '{label}': confidence must be A, B or C, not '{confidence}'",
            )
        members_raw = item.get("members")
        if not isinstance(members_raw, list) or not members_raw:
            problem(
                f"regio '{label}' heeft geen gemeenten (members is leeg)",
                (*key, "members"),
                f"region '{label}' has no gemeenten (members is empty)",
            )
            members_raw = []
        members: list[str] = []
        for j, code in enumerate(members_raw):
            code = str(code).strip().upper()
            mkey = (*key, "members", j)
            if code not in valid:
                problem(
                    f"gemeente {code} in regio '{label}' bestaat niet in de indeling 2025",
                    mkey,
                    f"gemeente {code} in region '{label}' does not exist in the 2025 division",
                )
                continue
            if code in owner:
                problem(
                    f"gemeente {code} staat in twee regio's: '{owner[code]}' en '{label}'",
                    mkey,
                    f"gemeente {code} is in two regions: '{owner[code]}' and '{label}'",
                )
                continue
            owner[code] = label
            members.append(code)
        variants: dict[str, tuple[str, ...]] = {}
        for vname, vmembers in (item.get("variants") or {}).items():
            bad = [str(c) for c in (vmembers or []) if str(c).upper() not in valid]
            if bad or not vmembers:
                problem(
                    f"variant '{vname}' van regio '{label}' is leeg of bevat onbekende codes {bad}",
                    (*key, "variants", vname),
                    f"variant '{vname}' of region '{label}' is empty or has unknown codes {bad}",
                )
                continue
            variants[str(vname)] = tuple(str(c).upper() for c in vmembers)
        regions.append(Region(rid, name, tuple(members), confidence, str(item.get("source", "")), variants))
    if problems:
        raise ValidationError(problems, file=doc.path)
    return RegionSet(str(data.get("name") or Path(doc.path).stem), tuple(regions), doc.path)


@lru_cache(maxsize=16)
def _load_cached(path: str, codes: tuple[str, ...]) -> RegionSet:
    return parse_regions(load_yaml(path), codes)


def load_regions(path: str | Path | None = None, *, valid_codes: Iterable[str] | None = None) -> RegionSet:
    """Load and validate a region file; ``None`` gives the shipped NPVR default (11 regions)."""
    if valid_codes is None:
        from npvr.data.snapshot import load_snapshot

        valid_codes = load_snapshot().gemeenten.index
    p = str(path) if path is not None else str(_default_path())
    return _load_cached(p, tuple(sorted(valid_codes)))
