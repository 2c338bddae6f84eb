"""Secret and environment references: recognised in overlays, rendered as Spring placeholders.

A value ``{secret: NAME}`` or ``{env: NAME[, default: V]}`` in an overlay becomes a
:class:`SecretRef` / :class:`EnvRef` object right after merging, so every later stage
(model, services, targets) sees one kind of thing. When a service document is
finished, :func:`resolve` turns the objects into ``${ENV}`` placeholders and tells
which secrets and environment variables that document uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_NON_ALNUM = re.compile(r"[^A-Za-z0-9]")


def default_env_name(secret_name: str) -> str:
    """``SPINCONF_SECRET_`` + the name upper-cased, non-alphanumerics as ``_``."""
    return "SPINCONF_SECRET_" + _NON_ALNUM.sub("_", secret_name).upper()


class SecretRef:
    """``{secret: NAME}``: a value that arrives at container start from SSM or Secrets Manager."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretRef) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("secret", self.name))

    def __repr__(self) -> str:
        return f"SecretRef({self.name!r})"


class EnvRef:
    """``{env: NAME, default: V}``: a value the runtime supplies as an environment variable."""

    __slots__ = ("name", "default")

    def __init__(self, name: str, default: str | None = None) -> None:
        self.name = name
        self.default = default

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EnvRef) and (other.name, other.default) == (self.name, self.default)

    def __hash__(self) -> int:
        return hash(("env", self.name, self.default))

    def __repr__(self) -> str:
        return f"EnvRef({self.name!r}, {self.default!r})"

    def placeholder(self) -> str:
        return "${" + self.name + "}" if self.default is None else "${" + self.name + ":" + self.default + "}"


Ref = SecretRef | EnvRef


def as_ref(value: Any) -> Ref | None:
    """The reference a mapping spells, or None when it is an ordinary mapping."""
    if not isinstance(value, dict) or not value:
        return None
    keys = value.keys()
    if keys == {"secret"} and isinstance(value["secret"], str):
        return SecretRef(value["secret"])
    if "env" in value and keys <= {"env", "default"} and isinstance(value["env"], str):
        default = value.get("default")
        if default is not None and not isinstance(default, str):
            default = _scalar_text(default)
        return EnvRef(value["env"], default)
    return None


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class Uses:
    """What one rendered document needs from its runtime."""

    secrets: set[str] = field(default_factory=set)
    env: set[str] = field(default_factory=set)  # names without a default
    env_with_default: set[str] = field(default_factory=set)

    def update(self, other: Uses) -> None:
        self.secrets |= other.secrets
        self.env |= other.env
        self.env_with_default |= other.env_with_default


def resolve(doc: Any, env_name_of: Callable[[str], str]) -> tuple[Any, Uses]:
    """Replace references in a document by ``${...}`` placeholders; report what it uses.

    ``env_name_of`` maps a secret name to its environment variable name.
    """
    uses = Uses()

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, SecretRef):
            uses.secrets.add(value.name)
            return "${" + env_name_of(value.name) + "}"
        if isinstance(value, EnvRef):
            (uses.env if value.default is None else uses.env_with_default).add(value.name)
            return value.placeholder()
        return value

    return walk(doc), uses


def contains_ref(value: Any) -> bool:
    if isinstance(value, SecretRef | EnvRef):
        return True
    if isinstance(value, dict):
        return any(contains_ref(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_ref(v) for v in value)
    return False


def convert(data: Any, on_bad: Callable[[tuple[Any, ...], str], None]) -> list[tuple[tuple[Any, ...], Ref]]:
    """Replace every ``{secret: ...}`` / ``{env: ...}`` mapping in ``data`` by a reference object, in place.

    Returns where each reference sits. ``on_bad(path, message)`` is told about mappings
    that look like a reference but are not well formed.
    """
    found: list[tuple[tuple[Any, ...], Ref]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            if isinstance(value, dict):
                ref = as_ref(value)
                if ref is not None:
                    node[key] = ref
                    found.append((path + (key,), ref))
                    continue
                if "secret" in value and len(value) <= 2 and not isinstance(value.get("secret"), dict | list):
                    on_bad(path + (key,), "a secret reference is written {secret: NAME} and nothing else")
                elif "env" in value and len(value) <= 2 and isinstance(value.get("env"), str):
                    on_bad(path + (key,), "an environment reference is written {env: NAME} or {env: NAME, default: V}")
                stack.append((value, path + (key,)))
            elif isinstance(value, list):
                stack.append((value, path + (key,)))
    found.sort(key=lambda item: [str(p) for p in item[0]])
    return found
