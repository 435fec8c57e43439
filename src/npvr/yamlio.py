"""Read user-written YAML with line numbers, so every error can point at its line and field.

All YAML a user writes (region files, index configs, policies, grenseffectentoets forms) goes
through this module: :func:`load_yaml` parses a file into plain data plus a map from each key path
to its line; :func:`load_model` also validates it against a pydantic model and turns the first
problem into one :class:`~npvr.errors.ConfigValidationError` listing them all, with file, line and field.
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


# Limits for user YAML. A region file, index config, policy or form is a few kB; these leave a wide
# margin while refusing files built to exhaust memory or the stack.
MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000  # mapping entries, sequence items and scalars after alias expansion


def _yaml_error(nl: str, en: str, path: str | None, line: int | None = None) -> ConfigError:
    return ConfigError(nl, en=en, file=path, line=line)


def _check_events(text: str, p: str | None) -> None:
    """Refuse too-deep nesting before the (recursive) composer sees it."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _yaml_error(
                    f"de YAML is te diep genest (meer dan {MAX_DEPTH} niveaus)",
                    f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)",
                    p,
                    event.start_mark.line + 1,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _Builder:
    """Turn a composed node graph into plain data with a budget on alias expansion.

    PyYAML's own constructor shares aliased objects, so a 400-byte "billion laughs" file loads fast
    but explodes in every later walk; here each alias is expanded and counted, and a cycle or an
    expansion beyond :data:`MAX_NODES` is refused. Duplicate keys are refused too (YAML forbids them;
    PyYAML keeps the last silently).
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.count = 0
        self.active: set[int] = set()
        self.scalars = yaml.constructor.SafeConstructor()

    def fail(self, nl: str, en: str, node: yaml.Node) -> ConfigError:
        return _yaml_error(nl, en, self.path, node.start_mark.line + 1)

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        self.count += 1
        if depth > MAX_DEPTH:
            raise self.fail(
                f"de YAML is te diep genest (meer dan {MAX_DEPTH} niveaus, verwijzingen meegeteld)",
                f"the YAML is nested too deeply (more than {MAX_DEPTH} levels, aliases included)",
                node,
            )
        if self.count > MAX_NODES:
            raise self.fail(
                f"de YAML is te groot na het uitvouwen van verwijzingen (&/*); meer dan {MAX_NODES} waarden",
                f"the YAML is too large after expanding aliases (&/*); more than {MAX_NODES} values",
                node,
            )
        if isinstance(node, yaml.ScalarNode):
            try:
                return self.scalars.construct_object(node, deep=True)
            except yaml.constructor.ConstructorError:
                raise self.fail(
                    f"onbekende YAML-tag {node.tag!r}", f"unknown YAML tag {node.tag!r}", node
                ) from None
            except (yaml.YAMLError, ValueError, OverflowError, TypeError) as exc:
                raise self.fail(
                    f"ongeldige waarde {node.value!r}", f"invalid value {node.value!r} ({exc})", node
                ) from None
        if id(node) in self.active:
            raise self.fail(
                "de YAML verwijst naar zichzelf (kringverwijzing met &/*)",
                "the YAML refers to itself (circular alias with &/*)",
                node,
            )
        if node.tag not in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
            raise self.fail(f"onbekende YAML-tag {node.tag!r}", f"unknown YAML tag {node.tag!r}", node)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, depth + 1) for item in node.value]
            return self.mapping(node, depth + 1)
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.Node, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        merged: dict[Any, Any] = {}
        for k_node, v_node in node.value:
            if k_node.tag == "tag:yaml.org,2002:merge":
                sources = v_node.value if isinstance(v_node, yaml.SequenceNode) else [v_node]
                for src in sources:
                    value = self.build(src, depth)
                    if not isinstance(value, dict):
                        raise self.fail("'<<' verwacht een mapping", "'<<' expects a mapping", src)
                    for mk, mv in value.items():
                        merged.setdefault(mk, mv)
                continue
            if not isinstance(k_node, yaml.ScalarNode):
                raise self.fail(
                    "een sleutel moet een enkele waarde zijn, geen lijst of mapping",
                    "a key must be a single value, not a list or mapping",
                    k_node,
                )
            key = self.build(k_node, depth)
            if key in out:
                raise self.fail(
                    f"sleutel '{k_node.value}' komt twee keer voor",
                    f"key '{k_node.value}' appears twice",
                    k_node,
                )
            out[key] = self.build(v_node, depth)
        for mk, mv in merged.items():
            out.setdefault(mk, mv)
        return out


def parse_yaml(text: str, path: str | Path | None = None) -> YamlDoc:
    """Parse YAML text safely; every problem becomes a ConfigError with file and line.

    Refused: syntax errors, nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_NODES` values
    after alias expansion (no "billion laughs"), circular aliases and duplicate keys.
    """
    p = str(path) if path is not None else None
    if len(text) > MAX_BYTES:
        raise _yaml_error(
            f"het bestand is te groot (meer dan {MAX_BYTES // (1024 * 1024)} MB)",
            f"the file is too large (more than {MAX_BYTES // (1024 * 1024)} MB)",
            p,
        )
    try:
        _check_events(text, p)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(
            f"ongeldige YAML: {problem}",
            en=f"invalid YAML: {problem}",
            file=p,
            line=(mark.line + 1) if mark is not None else None,
        ) from None
    except RecursionError:  # pragma: no cover - depth is checked first; kept as the last guard
        raise _yaml_error("de YAML is te diep genest", "the YAML is nested too deeply", p) from None
    data = _Builder(p).build(node) if node is not None else None
    return YamlDoc.from_node(data, p, node)


def read_text(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a user's text file as UTF-8 (a BOM is allowed); every failure is a ConfigError.

    The one place user text files are opened: a missing file, a folder, no permission, a file over
    ``max_bytes`` or bytes that are not UTF-8 each get a message naming the file (and line).
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise ConfigError("bestand bestaat niet", en="file does not exist", file=path) from None
    except IsADirectoryError:
        raise ConfigError(
            "dit is een map, geen bestand", en="this is a folder, not a file", file=path
        ) from None
    except PermissionError:
        raise ConfigError(
            "geen leesrechten voor dit bestand", en="no permission to read this file", file=path
        ) from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ConfigError(
            f"bestand kan niet worden gelezen ({reason})", en=f"cannot read file ({reason})", file=path
        ) from None
    if len(raw) > max_bytes:
        mb = max_bytes / (1024 * 1024)
        raise ConfigError(
            f"het bestand is te groot (meer dan {mb:g} MB)",
            en=f"the file is too large (more than {mb:g} MB)",
            file=path,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            "het bestand is geen UTF-8-tekst; sla het op als UTF-8 (in Excel: 'CSV UTF-8')",
            en="the file is not UTF-8 text; save it as UTF-8 (in Excel: 'CSV UTF-8')",
            file=path,
            line=line,
        ) from None


def load_yaml(path: str | Path) -> YamlDoc:
    """Read and parse a user YAML file: :func:`read_text` then :func:`parse_yaml`."""
    return parse_yaml(read_text(path), path)


def read_yaml(path: str | Path) -> tuple[Any, YamlDoc]:
    """``load_yaml`` as a (data, source map) pair."""
    doc = load_yaml(path)
    return doc.data, doc


def validate_model(doc: YamlDoc, model: type[M]) -> M:
    """Validate parsed YAML as ``model``; every problem is located and listed in one ConfigError.

    The error is a :class:`~npvr.errors.ConfigValidationError` (both a ConfigError and a
    ValidationError); its ``line`` and ``field`` are those of the first problem.
    """
    from npvr.validation import Problems, pydantic_problems

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
        problems = Problems(doc=doc)
        pydantic_problems(exc, problems)
        raise problems.error() from None
    except RecursionError:  # pragma: no cover - nesting is bounded when the YAML is read
        raise doc.error("de YAML is te diep genest", en="the YAML is nested too deeply") from None


def load_model(path: str | Path, model: type[M]) -> tuple[M, YamlDoc]:
    """Read ``path`` and validate it as ``model``; returns the object and its source map."""
    doc = load_yaml(path)
    return validate_model(doc, model), doc


SourceMap = YamlDoc  # the name the impact and border modules use for a parsed file's line map
