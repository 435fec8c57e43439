"""Load a YAML file into a pydantic model, turning every problem into a ConfigError with a line.

Why: a civil servant editing a policy file needs "regel 12, veld 'weights'" rather than a
pydantic traceback. The YAML is composed once into nodes (which carry line marks) and once into
plain data; validation errors are mapped back onto the node tree via their ``loc`` path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from npvr.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class SourceMap:
    """Where each value of a YAML document sits: resolves a key path to a 1-based line."""

    file: str
    root: yaml.Node | None

    def line(self, loc: Sequence[str | int]) -> int | None:
        """Line of the deepest node reachable along ``loc`` (the key's line for a mapping entry)."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if key.value == str(part):
                        line = key.start_mark.line + 1
                        node = value
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    node = node.value[part]
                    line = node.start_mark.line + 1
                else:
                    return line
            else:
                return line
        return line

    def error(self, message: str, *, en: str, loc: Sequence[str | int] = ()) -> ConfigError:
        """A ConfigError pointing at ``loc`` in this file."""
        return ConfigError(
            message, en=en, file=self.file, line=self.line(loc), field=_field_name(loc) or None
        )


def _field_name(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read_yaml(path: str | Path) -> tuple[Any, SourceMap]:
    """Parse a YAML file into plain data plus its source map; broken YAML -> ConfigError with line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"bestand '{path}' bestaat niet", en=f"file '{path}' does not exist", file=path
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"bestand kan niet gelezen worden ({exc})", en=f"cannot read file ({exc})", file=path
        ) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(
            f"geen geldige YAML: {problem}",
            en=f"not valid YAML: {problem}",
            file=path,
            line=mark.line + 1 if mark is not None else None,
        ) from None
    return data, SourceMap(str(path), root)


def _pretty(err: Any) -> tuple[str, str]:
    """Dutch and English text for one pydantic error."""
    kind = err.get("type", "")
    msg = str(err.get("msg", ""))
    if kind == "missing":
        return "verplicht veld ontbreekt", "required field is missing"
    if kind == "extra_forbidden":
        return "onbekend veld (tikfout?)", "unknown field (typo?)"
    if kind.startswith("greater_than") or kind.startswith("less_than"):
        bound = (err.get("ctx") or {}).values()
        b = next(iter(bound), "")
        ops = {
            "greater_than_equal": ("moet minstens", "must be at least"),
            "greater_than": ("moet groter zijn dan", "must be greater than"),
            "less_than_equal": ("mag hoogstens", "must be at most"),
            "less_than": ("moet kleiner zijn dan", "must be less than"),
        }
        nl, en = ops.get(kind, ("ongeldige waarde", "invalid value"))
        suffix = " zijn" if kind in ("greater_than_equal", "less_than_equal") else ""
        return f"{nl} {b}{suffix} (gegeven: {err.get('input')!r})", f"{en} {b} (given: {err.get('input')!r})"
    if msg.startswith("Value error, "):
        text = msg.removeprefix("Value error, ")
        nl, _, en = text.partition(" || ")
        return nl, en or nl
    if kind == "literal_error":
        expected = (err.get("ctx") or {}).get("expected", "")
        return (
            f"ongeldige waarde {err.get('input')!r}; kies uit {expected}",
            f"invalid value {err.get('input')!r}; choose from {expected}",
        )
    return f"ongeldige waarde {err.get('input')!r} ({msg})", f"invalid value {err.get('input')!r} ({msg})"


def load_model(path: str | Path, model: type[M]) -> tuple[M, SourceMap]:
    """Read and validate ``path`` as ``model``; every validation problem is listed, the first located."""
    data, source = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(
            "het bestand moet een YAML-mapping (sleutel: waarde) zijn",
            en="the file must be a YAML mapping (key: value)",
            file=path,
            line=1,
        )
    try:
        obj = model.model_validate(data)
    except PydanticValidationError as exc:
        errors = exc.errors()
        located = []
        for err in errors:
            # drop pydantic's union-branch tags (e.g. 'str', 'Measure') that are not YAML keys
            loc = [p for p in err["loc"] if isinstance(p, int) or not _is_tag(p)]
            nl, en = _pretty(err)
            if nl.startswith("@"):  # a model-level check names its field: "@weights message"
                name, _, nl = nl[1:].partition(" ")
                en = en[1:].partition(" ")[2] if en.startswith("@") else en
                loc.append(name)
            located.append((loc, nl, en))
        loc, nl, en = located[0]
        if len(located) > 1:
            more_nl = "; ".join(
                f"regel {source.line(lc)} veld '{_field_name(lc)}': {n}" for lc, n, _ in located[1:]
            )
            more_en = "; ".join(
                f"line {source.line(lc)} field '{_field_name(lc)}': {e}" for lc, _, e in located[1:]
            )
            nl += f" (en {len(located) - 1} ander(e) probleem/problemen: {more_nl})"
            en += f" (and {len(located) - 1} more problem(s): {more_en})"
        raise source.error(nl, en=en, loc=loc) from None
    return obj, source


def _is_tag(part: str | int) -> bool:
    """Pydantic union tags look like 'str', 'function-after[...]' or a class name."""
    s = str(part)
    return s in {"str", "int", "float", "list[float]"} or "[" in s or (s[:1].isupper() and s.isidentifier())
