"""A name -> function registry, one per method family.

Every method registers itself with a decorator; CLI choices, config validation and the docs read the
registry, so no list of method names is ever kept by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from npvr.errors import ConfigError


@dataclass(frozen=True)
class Method:
    """One registered method: its function, a one-line Dutch label and its formula (for docs and logs)."""

    name: str
    func: Callable[..., Any]
    label_nl: str
    formula: str
    options: dict[str, Any] = field(default_factory=dict)


class Registry:
    """Methods of one family (imputation, outliers, normalisation, weights, aggregation)."""

    def __init__(self, family: str, family_nl: str) -> None:
        self.family = family
        self.family_nl = family_nl
        self._methods: dict[str, Method] = {}

    def register(
        self, name: str, *, label_nl: str, formula: str, **options: Any
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator: add ``func`` under ``name``."""

        def deco(func: Callable[..., Any]) -> Callable[..., Any]:
            if name in self._methods:
                raise RuntimeError(f"{self.family}: method {name!r} registered twice")
            self._methods[name] = Method(name, func, label_nl, formula, dict(options))
            return func

        return deco

    def names(self) -> list[str]:
        return list(self._methods)

    def __contains__(self, name: object) -> bool:
        return name in self._methods

    def __iter__(self) -> Iterator[Method]:
        return iter(self._methods.values())

    def get(
        self, name: str, *, field: str | None = None, file: str | None = None, line: int | None = None
    ) -> Method:
        """The method called ``name``; a ConfigError naming the field and the valid names otherwise."""
        try:
            return self._methods[name]
        except KeyError:
            valid = ", ".join(self._methods)
            raise ConfigError(
                f"onbekende {self.family_nl}-methode '{name}'; kies uit: {valid}",
                en=f"unknown {self.family} method '{name}'; choose from: {valid}",
                field=field,
                file=file,
                line=line,
            ) from None
