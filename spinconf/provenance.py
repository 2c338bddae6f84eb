"""Provenance through derivation: a rendered key that spinconf computed remembers its config paths.

The merged tree knows where each *written* value came from (positions keyed by container
identity, see merge.py), but that ends at the model: ``services.clouddriver.sql.jdbcUrl``
becomes ``sql.connectionPools.default.jdbcUrl`` in a new document, and the new key has no
position. So a service module that derives a key wraps its value in :class:`Derived`, naming
the config paths it came from (by path, which survives the model) and the rule that
transformed them. :func:`spinconf.refs.resolve` unwraps the value when the document is
finished and records the :class:`Derivation` under the rendered key's path; ``explain`` and the
rules that judge rendered documents then point at the user's line.

A default (nothing written) names the paths that *would* set it: the diagnostic then lands on
the nearest section the user did write (``services.gate`` for an unset ``services.gate.redis.url``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spinconf.merge import Tree
    from spinconf.services.context import RenderContext
    from spinconf.yamlio import Origin

Path = tuple[Any, ...]


@dataclass(frozen=True)
class Derivation:
    """The config paths a rendered value came from (most specific first) and the rule that made it."""

    sources: tuple[Path, ...]
    rule: str


class Derived:
    """A value a service module computed; :func:`spinconf.refs.resolve` renders ``value`` in its place."""

    __slots__ = ("derivation", "value")

    def __init__(self, value: Any, derivation: Derivation) -> None:
        self.value = value
        self.derivation = derivation

    def __repr__(self) -> str:
        return f"Derived({self.value!r}, {self.derivation!r})"


def derived(value: Any, *sources: Path, rule: str) -> Any:
    """``value`` remembering ``sources``; None stays None (an unset key is not rendered)."""
    if value is None:
        return None
    return Derived(value, Derivation(tuple(sources), rule))


def trace(doc: Any, *sources: Path, rule: str) -> Any:
    """Every leaf of ``doc`` derived from ``sources`` (a section copied as a whole, e.g. ``server.ssl``)."""
    if isinstance(doc, dict):
        return {k: trace(v, *sources, rule=rule) for k, v in doc.items()}
    if isinstance(doc, list):
        return [trace(v, *sources, rule=rule) for v in doc]
    return derived(doc, *sources, rule=rule)


def copied(doc: Any, at: Path, *, rule: str) -> Any:
    """A config section copied into a rendered file: each leaf remembers its own path under ``at``."""
    if isinstance(doc, dict):
        return {k: copied(v, (*at, k), rule=rule) for k, v in doc.items()}
    if isinstance(doc, list):
        return [copied(v, (*at, i), rule=rule) for i, v in enumerate(doc)]
    return derived(doc, at, rule=rule)


def url_sources(ctx: RenderContext, svc: str) -> tuple[Path, ...]:
    """Where a service's base URL came from (the topology's rule), or the settings that would set it."""
    rule = ctx.topology.url_rules.get(svc, "")
    written = () if rule.startswith("default") or not rule else (tuple(rule.split(".")),)
    return (*written, ("services", svc, "baseUrl"), ("ecs", "serviceUrl"))


def written_origin(tree: Tree, path: Path) -> Origin | None:
    """Where ``path`` itself was written, or None when the user did not write it (no ancestor fallback)."""
    node: Any = tree.data
    found: Origin | None = None
    for part in path:
        positions = tree.positions.get(id(node))
        if positions is None or part not in positions:
            return None
        found = positions[part]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return found


def user_path(tree: Tree, derivation: Derivation) -> Path:
    """The source the user wrote (the first written one), else the first: its nearest written section."""
    for path in derivation.sources:
        if written_origin(tree, path) is not None:
            return path
    return derivation.sources[0] if derivation.sources else ()


def dotted(path: Path) -> str:
    return ".".join(str(p) for p in path)
