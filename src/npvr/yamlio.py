"""Read YAML config files with line numbers, so every error can point at its line.

All user-written YAML (region files, index configs, policies, forms) goes through
:func:`load_yaml`, which returns plain Python data plus a lookup from a key path to its line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from npvr.errors import ConfigError

Key = tuple[str | int, ...]


@dataclass
class YamlDoc:
    """Parsed YAML data with the 1-based line of every mapping key and sequence item."""

    data: Any
    path: str
    lines: dict[Key, int] = field(default_factory=dict)

    def line(self, key: Iterable[str | int]) -> int | None:
        """The line of ``key`` (a path like ``("regions", 3, "members")``), or of its nearest parent."""
        k = tuple(key)
        while k:
            if k in self.lines:
                return self.lines[k]
            k = k[:-1]
        return None

    def error(self, message: str, key: Iterable[str | int] = (), *, en: str | None = None) -> ConfigError:
        """A ConfigError for ``key`` that names this file, the line and the field."""
        k = tuple(key)
        field_name = ".".join(str(p) for p in k) or None
        return ConfigError(message, en=en, file=self.path, line=self.line(k), field=field_name)


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


def load_yaml(path: str | Path, *, text: str | None = None) -> YamlDoc:
    """Parse a YAML file; a syntax error becomes a ConfigError with file and line."""
    p = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError("bestand bestaat niet", en="file does not exist", file=p) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"bestand kan niet worden gelezen ({exc})", en=f"cannot read file ({exc})", file=p
            ) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(
            f"ongeldige YAML: {problem}",
            en=f"invalid YAML: {problem}",
            file=p,
            line=(mark.line + 1) if mark is not None else None,
        ) from None
    lines: dict[Key, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return YamlDoc(data=data, path=p, lines=lines)
