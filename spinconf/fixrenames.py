"""Spring keys of ``profiles.<svc>`` renamed between Spinnaker releases: the table, finder and rewrite.

``validate`` warns at each old key the project's release no longer reads under that name (the
``renamed-key`` rule in spinconf/checks/halyard.py), and ``spinconf fix`` renames it. A row applies
only from the release that introduced the new name: before it the old key is the right one.
Keys may be written nested (``server: {use-forward-headers: ...}``) or dotted
(``server.use-forward-headers``), as Spring reads both; the new key keeps the spelling found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

from spinconf.releases import Release, kork_sql_named_pools, spring_boot_forward_headers_strategy


@dataclass(frozen=True)
class Renamed:
    parent: tuple[str, ...]  # the Spring path of the mapping holding the key
    old: tuple[str, ...]  # the old last segment, in each spelling Spring's relaxed binding accepts
    new: str  # the new last segment
    applies: Callable[[Release], bool]  # from the release on which the new name is read
    convert: Callable[[Any, Any], Any]  # (old value, the mapping's type) -> new value
    why: str  # what changed, with the source
    fixable: Callable[[Any], bool] = lambda value: True
    below: str = ""  # where the old value goes under the new key (`.default`), for the messages


def _forward_strategy(value: Any, _mapping_type: Any) -> Any:
    # Spring Boot 2.2's migration: use-forward-headers true -> NATIVE, false -> NONE
    return {True: "native", False: "none"}[value]


def _named_pool(value: Any, mapping_type: Any) -> Any:
    # the one pool becomes the pool named `default`, marked default (kork routes unnamed work to it)
    pool = value
    ca = getattr(pool, "ca", None)
    if ca is not None and ca.comment:
        ca.comment[0] = None  # the end-of-line comment stays with the renamed key only, not also on `default:`
    if "default" not in pool:
        if hasattr(pool, "insert"):
            pool.insert(0, "default", True)
        else:
            pool = {"default": True, **pool}
    named = mapping_type()
    named["default"] = pool
    return named


RELEASE_RENAMES: tuple[Renamed, ...] = (
    Renamed(
        ("server",),
        ("use-forward-headers", "useForwardHeaders", "use_forward_headers"),
        "forward-headers-strategy",
        spring_boot_forward_headers_strategy,
        _forward_strategy,
        # Spring Boot 2.2 deprecated server.use-forward-headers for server.forward-headers-strategy
        # (native, framework or none; spring-projects/spring-boot#18667, #5677), and later Boot lines
        # no longer bind it; kork moved to Spring Boot 2.2.4 in spinnaker/kork#591, first in 1.19.0
        # (spinconf renders the same switch for gate: spinconf/services/gate.py)
        "Spring Boot 2.2 (Spinnaker 1.19.0 on) reads server.forward-headers-strategy "
        "(native for true, none for false) instead",
        fixable=lambda value: isinstance(value, bool),
    ),
    Renamed(
        ("sql",),
        ("connectionPool",),
        "connectionPools",
        kork_sql_named_pools,
        _named_pool,
        # kork v3.7.0 (spinnaker/kork#233, named connection pools, first in 1.13.0) added
        # sql.connectionPools.<name>; kork-sql/src/main/kotlin/com/netflix/spinnaker/kork/sql/config/
        # SqlProperties.kt (master) keeps connectionPool as @Deprecated("use named connection pools
        # instead") and throws BOTH_PRESENT when both are set, as they are once spinconf renders the pools
        "kork-sql (Spinnaker 1.13.0 on) reads named pools (sql.connectionPools.default) and refuses "
        "to start when the deprecated sql.connectionPool is set beside them",
        fixable=lambda value: isinstance(value, MutableMapping),
        below=".default",
    ),
)


@dataclass
class Found:
    mapping: MutableMapping[Any, Any]  # the mapping holding the old key
    key: str  # the old key as written (maybe dotted)
    path: tuple[Any, ...]  # its path in the overlay, from the document root
    row: Renamed

    @property
    def new_key(self) -> str:
        return ".".join([*self.key.split(".")[:-1], self.row.new])

    @property
    def repairable(self) -> bool:
        """Whether ``fix`` renames it: a value it can convert, and the new key not written beside it."""
        return self.new_key not in self.mapping and self.row.fixable(self.mapping[self.key])


def _walk(node: MutableMapping[Any, Any], want: tuple[str, ...], path: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """Paths of the keys under ``node`` that spell the Spring path ``want`` (nested or dotted)."""
    for key in list(node):
        if not isinstance(key, str):
            continue
        parts = tuple(key.split("."))
        if parts == want[: len(parts)]:
            if len(parts) == len(want):
                yield (*path, key)
            elif isinstance(node[key], MutableMapping):
                yield from _walk(node[key], want[len(parts) :], (*path, key))


def find(root: Any, release: Release) -> list[Found]:
    """Every old key under ``profiles.<svc>`` that ``release`` reads under its new name."""
    profiles = root.get("profiles") if isinstance(root, MutableMapping) else None
    if not isinstance(profiles, MutableMapping):
        return []
    found: list[Found] = []
    for svc, profile in profiles.items():
        if not isinstance(profile, MutableMapping):
            continue
        for row in RELEASE_RENAMES:
            if not row.applies(release):
                continue
            for old in row.old:
                for path in _walk(profile, (*row.parent, old), ("profiles", svc)):
                    mapping = profile
                    for part in path[2:-1]:
                        mapping = mapping[part]
                    found.append(Found(mapping, path[-1], path, row))
    return found


def rewrite(root: Any, release: Release) -> list[str]:
    """Rename the old keys ``release`` no longer reads (the new key not written beside them)."""
    from spinconf.fixrules import rename

    notes: list[str] = []
    for hit in find(root, release):
        if not hit.repairable:
            continue  # the warning stays, without the claim that `fix` repairs it
        new_value = hit.row.convert(hit.mapping[hit.key], type(hit.mapping))
        rename(hit.mapping, hit.key, hit.new_key)
        hit.mapping[hit.new_key] = new_value
        where = ".".join(str(p) for p in hit.path[:-1])
        notes.append(f"{where}.{hit.key} -> {where}.{hit.new_key}{hit.row.below}")
    return notes
