"""Read user-written YAML with line numbers, so every error can point at its line and field.

All YAML a user writes (region files, index configs, policies, grenseffectentoets forms) goes
through this module: :func:`load_yaml` parses a file into plain data plus a map from each key path
to its line; :func:`load_model` also validates it against a pydantic model and turns the first
problem (listing the others) into a :class:`~npvr.errors.ConfigError` with file, line and field.
Validator messages may carry both languages as ``"Nederlands || English"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from npvr.errors import ConfigError

Key = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


def field_name(loc: Iterable[str | int]) -> str:
    """A key path as people write it: ``measures[2].weight``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


@dataclass
class YamlDoc:
    """Parsed YAML data with the 1-based line of every mapping key and sequence item."""

    data: Any
    path: str
    lines: dict[Key, int] = field(default_factory=dict)

    @classmethod
    def from_node(cls, data: Any, path: str | None, node: yaml.Node | None) -> YamlDoc:
        lines: dict[Key, int] = {}
        if node is not None:
            lines[()] = node.start_mark.line + 1
            _walk(node, (), lines)
        return cls(data=data, path=str(path) if path is not None else "", lines=lines)

    @property
    def file(self) -> str:
        return self.path

    def line(self, key: Iterable[str | int]) -> int | None:
        """The line of ``key`` (a path like ``("regions", 3, "members")``), or of its nearest parent."""
        k = tuple(key)
        while k:
            if k in self.lines:
                return self.lines[k]
            k = k[:-1]
        return self.lines.get(())

    def error(self, message: str, loc: Sequence[str | int] = (), *, en: str | None = None) -> ConfigError:
        """A ConfigError for ``loc`` that names this file, the line and the field."""
        return ConfigError(
            message, en=en, file=self.path or None, line=self.line(loc), field=field_name(loc) or None
        )


def _walk(node: yaml.Node, key: Key, lines: dict[Key, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for k_node, v_node in node.value:
            k = (*key, k_node.value)
            lines[k] = k_node.start_mark.line + 1
            _walk(v_node, k, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            k = (*key, i)
            lines[k] = item.start_mark.line + 1
            _walk(item, k, lines)


def parse_yaml(text: str, path: str | Path | None = None) -> YamlDoc:
    """Parse YAML text; a syntax error becomes a ConfigError with file and line."""
    p = str(path) if path is not None else None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(
            f"ongeldige YAML: {problem}",
            en=f"invalid YAML: {problem}",
            file=p,
            line=(mark.line + 1) if mark is not None else None,
        ) from None
    return YamlDoc.from_node(data, p, node)


def load_yaml(path: str | Path) -> YamlDoc:
    """Read and parse a YAML file; a missing, unreadable or broken file is a ConfigError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("bestand bestaat niet", en="file does not exist", file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"bestand kan niet worden gelezen ({exc})", en=f"cannot read file ({exc})", file=path
        ) from None
    return parse_yaml(text, path)


def read_yaml(path: str | Path) -> tuple[Any, YamlDoc]:
    """``load_yaml`` as a (data, source map) pair."""
    doc = load_yaml(path)
    return doc.data, doc


def _pretty(err: Any) -> tuple[str, str]:
    """Dutch and English text for one pydantic error."""
    kind = err.get("type", "")
    msg = str(err.get("msg", ""))
    if kind == "missing":
        return "verplicht veld ontbreekt", "required field is missing"
    if kind == "extra_forbidden":
        return "onbekend veld (tikfout?)", "unknown field (typo?)"
    if kind.startswith(("greater_than", "less_than")):
        bound = next(iter((err.get("ctx") or {}).values()), "")
        ops = {
            "greater_than_equal": ("moet minstens", "must be at least"),
            "greater_than": ("moet groter zijn dan", "must be greater than"),
            "less_than_equal": ("mag hoogstens", "must be at most"),
            "less_than": ("moet kleiner zijn dan", "must be less than"),
        }
        nl, en = ops.get(kind, ("ongeldige waarde", "invalid value"))
        suffix = " zijn" if kind in ("greater_than_equal", "less_than_equal") else ""
        given = err.get("input")
        return f"{nl} {bound}{suffix} (gegeven: {given!r})", f"{en} {bound} (given: {given!r})"
    if msg.startswith("Value error, "):
        nl, _, en = msg.removeprefix("Value error, ").partition(" || ")
        return nl, en or nl
    if kind == "literal_error":
        expected = (err.get("ctx") or {}).get("expected", "")
        return (
            f"ongeldige waarde {err.get('input')!r}; kies uit {expected}",
            f"invalid value {err.get('input')!r}; choose from {expected}",
        )
    return f"ongeldige waarde {err.get('input')!r} ({msg})", f"invalid value {err.get('input')!r} ({msg})"


def _is_tag(part: str | int) -> bool:
    """Pydantic union tags look like 'str', 'function-after[...]' or a class name, not YAML keys."""
    s = str(part)
    return s in {"str", "int", "float", "list[float]"} or "[" in s or (s[:1].isupper() and s.isidentifier())


def validate_model(doc: YamlDoc, model: type[M]) -> M:
    """Validate parsed YAML as ``model``; the first problem is located, the others listed with it."""
    if not isinstance(doc.data, dict):
        raise ConfigError(
            "het bestand moet een YAML-mapping (sleutel: waarde) zijn",
            en="the file must be a YAML mapping (key: value)",
            file=doc.path or None,
            line=1,
        )
    try:
        return model.model_validate(doc.data)
    except PydanticValidationError as exc:
        located = []
        for err in exc.errors():
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
                f"regel {doc.line(lc)} veld '{field_name(lc)}': {n}" for lc, n, _ in located[1:]
            )
            more_en = "; ".join(
                f"line {doc.line(lc)} field '{field_name(lc)}': {e}" for lc, _, e in located[1:]
            )
            nl += f" (en {len(located) - 1} ander(e) probleem/problemen: {more_nl})"
            en += f" (and {len(located) - 1} more problem(s): {more_en})"
        raise doc.error(nl, loc, en=en) from None


def load_model(path: str | Path, model: type[M]) -> tuple[M, YamlDoc]:
    """Read ``path`` and validate it as ``model``; returns the object and its source map."""
    doc = load_yaml(path)
    return validate_model(doc, model), doc


SourceMap = YamlDoc  # the name the impact and border modules use for a parsed file's line map
