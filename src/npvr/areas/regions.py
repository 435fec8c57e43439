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

from npvr.errors import ConfigError
from npvr.validation import Problems
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
        return self.with_variants([f"{region_id}:{variant}"])

    def variant_names(self) -> list[str]:
        """Every named variant as ``region:variant`` (what ``--variant`` accepts)."""
        return [f"{r.id}:{v}" for r in self.regions for v in r.variants]

    def with_variants(self, choices: Iterable[str]) -> RegionSet:
        """The set with the chosen variants of contested regions: each ``region:variant`` or ``variant``.

        A bare variant name must be unique over the set. Unknown names, two variants for one region
        and a variant that puts a gemeente in two regions are a ConfigError listing the choices.
        """
        chosen: dict[str, str] = {}
        available = self.variant_names()
        for choice in choices:
            rid, _, vname = str(choice).strip().rpartition(":")
            matches = [
                (r.id, vname) for r in self.regions if vname in r.variants and (not rid or r.id == rid)
            ]
            if len(matches) != 1:
                why_nl = "bestaat niet" if not matches else "is niet eenduidig; noem ook de regio"
                why_en = "does not exist" if not matches else "is ambiguous; name the region too"
                options = ", ".join(available) or "geen (no variants)"
                raise ConfigError(
                    f"variant '{choice}' {why_nl}; kies uit: {options}",
                    en=f"variant '{choice}' {why_en}; choose from: {options}",
                    file=self.source_file or None,
                    field="variants",
                )
            region_id, variant = matches[0]
            if chosen.get(region_id, variant) != variant:
                raise ConfigError(
                    f"twee varianten voor regio '{region_id}': {chosen[region_id]} en {variant}",
                    en=f"two variants for region '{region_id}': {chosen[region_id]} and {variant}",
                    field="variants",
                )
            chosen[region_id] = variant
        if not chosen:
            return self
        regions = [
            Region(r.id, r.name, r.variants[chosen[r.id]], r.confidence, r.source, r.variants)
            if r.id in chosen
            else r
            for r in self.regions
        ]
        owner: dict[str, str] = {}
        for r in regions:
            for code in r.members:
                if code in owner:
                    raise ConfigError(
                        f"met deze varianten staat gemeente {code} in twee regio's: "
                        f"'{owner[code]}' en '{r.id}'",
                        en=f"with these variants gemeente {code} is in two regions: "
                        f"'{owner[code]}' and '{r.id}'",
                        field="variants",
                    )
                owner[code] = r.id
        label = ", ".join(f"{k}: {v}" for k, v in chosen.items())
        return RegionSet(f"{self.name} ({label})", tuple(regions), self.source_file)


def _default_path() -> Path:
    return Path(str(resources.files("npvr.areas").joinpath(DEFAULT_REGIONS_FILE)))


def _text(value: object) -> str | None:
    """A scalar as text; None for lists and mappings (a wrong type is a problem, not a crash)."""
    if isinstance(value, dict | list | tuple | set):
        return None
    return "" if value is None else str(value).strip()


def parse_regions(doc: YamlDoc, valid_codes: Iterable[str]) -> RegionSet:
    """Validate a parsed region file as a whole; raise ValidationError listing every problem."""
    valid = set(valid_codes)
    problems = Problems(doc=doc)

    def problem(msg: str, key: tuple[str | int, ...], en: str) -> None:
        problems.add(msg, en, loc=key)

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
            problem(
                "elke regio is een mapping met id, name en members",
                key,
                "each region is a mapping with id, name and members",
            )
            continue
        rid = _text(item.get("id")) or ""
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
        name = _text(item.get("name"))
        if name is None:
            problem(
                f"regio '{label}': 'name' moet tekst zijn",
                (*key, "name"),
                f"region '{label}': 'name' must be text",
            )
        confidence = _text(item.get("confidence", "A"))
        if confidence not in CONFIDENCE_LEVELS:
            problem(
                f"regio '{label}': confidence moet A, B of C zijn, niet {_short(item.get('confidence'))}",
                (*key, "confidence"),
                f"region '{label}': confidence must be A, B or C, not {_short(item.get('confidence'))}",
            )
        source = _text(item.get("source", ""))
        if source is None:
            problem(
                f"regio '{label}': 'source' moet tekst zijn",
                (*key, "source"),
                f"region '{label}': 'source' must be text",
            )
        members_raw = item.get("members")
        if not isinstance(members_raw, list) or not members_raw:
            problem(
                f"regio '{label}' heeft geen gemeenten (members moet een niet-lege lijst zijn)",
                (*key, "members"),
                f"region '{label}' has no gemeenten (members must be a non-empty list)",
            )
            members_raw = []
        members: list[str] = []
        for j, raw in enumerate(members_raw):
            code = (_text(raw) or "").upper()
            mkey = (*key, "members", j)
            if code not in valid:
                problem(
                    f"gemeente {_short(raw)} in regio '{label}' bestaat niet in de indeling 2025",
                    mkey,
                    f"gemeente {_short(raw)} in region '{label}' does not exist in the 2025 division",
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
        raw_variants = item.get("variants") or {}
        if not isinstance(raw_variants, dict):
            problem(
                f"regio '{label}': 'variants' moet een mapping zijn (naam: [gemeentecodes])",
                (*key, "variants"),
                f"region '{label}': 'variants' must be a mapping (name: [gemeente codes])",
            )
            raw_variants = {}
        for vname, vmembers in raw_variants.items():
            vkey = (*key, "variants", str(vname))
            if not isinstance(vmembers, list) or not vmembers:
                problem(
                    f"variant '{vname}' van regio '{label}' moet een niet-lege lijst gemeentecodes zijn",
                    vkey,
                    f"variant '{vname}' of region '{label}' must be a non-empty list of gemeente codes",
                )
                continue
            codes = [(_text(c) or "").upper() for c in vmembers]
            bad = [_short(c) for c, code in zip(vmembers, codes, strict=True) if code not in valid]
            if bad:
                problem(
                    f"variant '{vname}' van regio '{label}' bevat onbekende codes: {', '.join(bad)}",
                    vkey,
                    f"variant '{vname}' of region '{label}' has unknown codes: {', '.join(bad)}",
                )
                continue
            variants[str(vname)] = tuple(codes)
        regions.append(Region(rid, name or rid, tuple(members), confidence or "A", source or "", variants))
    problems.raise_if_any()
    set_name = _text(data.get("name")) or Path(doc.path).stem
    return RegionSet(set_name, tuple(regions), doc.path)


def _short(value: object) -> str:
    """A user value for a message, shortened; lists and mappings named as such."""
    if isinstance(value, dict):
        return "(een mapping)"
    if isinstance(value, list | tuple):
        return "(een lijst)"
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


@lru_cache(maxsize=16)
def _load_cached(path: str, codes: tuple[str, ...]) -> RegionSet:
    return parse_regions(load_yaml(path), codes)


def load_regions(
    path: str | Path | None = None,
    *,
    valid_codes: Iterable[str] | None = None,
    variants: Iterable[str] = (),
) -> RegionSet:
    """Load and validate a region file; ``None`` gives the shipped NPVR default (11 regions).

    ``variants`` chooses named variants of contested regions (see :meth:`RegionSet.with_variants`).
    """
    if valid_codes is None:
        from npvr.data.snapshot import load_snapshot

        valid_codes = load_snapshot().gemeenten.index
    p = str(path) if path is not None else str(_default_path())
    regions = _load_cached(p, tuple(sorted(valid_codes)))
    return regions.with_variants(variants) if variants else regions
