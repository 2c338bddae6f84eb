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

from spinconf.provenance import Derivation, Derived

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

    __slots__ = ("default", "name")

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
    # whether the document had ``${...}`` written as text (not made from a reference): only such
    # documents can hold a placeholder that nothing resolves
    literal_placeholders: bool = False
    # rendered key path -> the config paths it was derived from (this document only: not merged by update)
    derivations: dict[tuple[Any, ...], Derivation] = field(default_factory=dict)

    def update(self, other: Uses) -> None:
        self.secrets |= other.secrets
        self.env |= other.env
        self.env_with_default |= other.env_with_default
        self.literal_placeholders |= other.literal_placeholders


def resolve(doc: Any, env_name_of: Callable[[str], str]) -> tuple[Any, Uses]:
    """Replace references in a document by ``${...}`` placeholders; report what it uses.

    ``env_name_of`` maps a secret name to its environment variable name.
    """
    uses = Uses()

    # ``at`` is the parent's key path as a cons list ``(grandparent, key)``, built only when descending
    # into a container (most values are leaves) and flattened only for a Derived
    def walk(value: Any, at: Any, key: Any) -> Any:
        kind = type(value)  # exact types first: this runs once per value of every document
        if kind is str:
            if "${" in value:
                uses.literal_placeholders = True
            return value
        if kind is dict or (kind is not list and isinstance(value, dict)):
            here = (at, key)
            return {k: walk(v, here, k) for k, v in value.items()}
        if kind is list or isinstance(value, list):
            here = (at, key)
            return [walk(v, here, i) for i, v in enumerate(value)]
        if kind is Derived:
            uses.derivations[_flatten(at, key)] = value.derivation
            return walk(value.value, at, key)
        if isinstance(value, SecretRef):
            uses.secrets.add(value.name)
            return "${" + env_name_of(value.name) + "}"
        if isinstance(value, EnvRef):
            (uses.env if value.default is None else uses.env_with_default).add(value.name)
            return value.placeholder()
        if isinstance(value, str) and "${" in value:
            uses.literal_placeholders = True
        return value

    if isinstance(doc, dict):
        return {k: walk(v, _ROOT, k) for k, v in doc.items()}, uses
    if isinstance(doc, list):
        return [walk(v, _ROOT, i) for i, v in enumerate(doc)], uses
    return walk(doc, _ROOT, None), uses


_ROOT = ()  # the parent of a document's top-level keys


def _flatten(at: Any, key: Any) -> tuple[Any, ...]:
    parts = [key]
    while at is not _ROOT:
        at, key = at
        parts.append(key)
    return tuple(reversed(parts))


def convert(data: Any, on_bad: Callable[[tuple[Any, ...], str], None]) -> list[tuple[tuple[Any, ...], Ref]]:
    """Replace every ``{secret: ...}`` / ``{env: ...}`` mapping in ``data`` by a reference object, in place.

    Returns where each reference sits. ``on_bad(path, message)`` is told about mappings
    that look like a reference but are not well formed. The ``secrets`` section declares
    secrets (its ``env`` key is a name, not a reference) and is left as written.
    """
    found: list[tuple[tuple[Any, ...], Ref]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            if not path and key == "secrets":
                continue
            if isinstance(value, dict):
                ref = as_ref(value)
                if ref is not None:
                    node[key] = ref
                    found.append(((*path, key), ref))
                    continue
                if "secret" in value and len(value) <= 2 and not isinstance(value.get("secret"), dict | list):
                    on_bad((*path, key), "a secret reference is written {secret: NAME} and nothing else")
                elif "env" in value and len(value) <= 2 and isinstance(value.get("env"), str):
                    on_bad((*path, key), "an environment reference is written {env: NAME} or {env: NAME, default: V}")
                stack.append((value, (*path, key)))
            elif isinstance(value, list):
                stack.append((value, (*path, key)))
    found.sort(key=lambda item: [str(p) for p in item[0]])
    return found


# ---- names -----------------------------------------------------------------------------------

# POSIX: letters, digits and underscores, not starting with a digit (what `env`, docker and ECS accept)
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def is_env_name(name: str) -> bool:
    return bool(_ENV_NAME.match(name))


# ---- Spring placeholders ---------------------------------------------------------------------


@dataclass(frozen=True)
class Placeholder:
    """One ``${key}`` or ``${key:default}`` in a string, with the placeholders nested in either part."""

    text: str  # the whole ``${...}`` as written
    key: str
    default: str | None
    in_key: tuple[Placeholder, ...] = ()
    in_default: tuple[Placeholder, ...] = ()


def placeholders(text: str) -> list[Placeholder]:
    """The top-level placeholders of a string, parsed as Spring's PropertyPlaceholderHelper does.

    A ``{`` inside a placeholder opens a nesting level that a ``}`` closes, so
    ``${a:${b}}`` is one placeholder whose default holds ``${b}``. An unterminated
    ``${`` is left as text (Spring leaves it too); ``\\${`` is an escaped literal (Spring 6.2).
    """
    found: list[Placeholder] = []
    start = text.find("${")
    while start != -1:
        if start > 0 and text[start - 1] == "\\":
            start = text.find("${", start + 2)
            continue
        end = _closing_brace(text, start + 2)
        if end == -1:
            break
        content = text[start + 2 : end]
        sep = _top_level_colon(content)
        key, default = (content, None) if sep == -1 else (content[:sep], content[sep + 1 :])
        found.append(
            Placeholder(
                text[start : end + 1],
                key,
                default,
                tuple(placeholders(key)),
                tuple(placeholders(default)) if default is not None else (),
            )
        )
        start = text.find("${", end + 1)
    return found


def _closing_brace(text: str, pos: int) -> int:
    depth = 0
    for i in range(pos, len(text)):
        char = text[i]
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return i
            depth -= 1
    return -1


def _top_level_colon(content: str) -> int:
    depth = 0
    for i, char in enumerate(content):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == ":" and depth == 0:
            return i
    return -1


# ---- Spring Boot relaxed binding -------------------------------------------------------------
#
# Spring Boot maps an environment variable onto a property by lower-casing it and reading
# `_` as the separator (SystemEnvironmentPropertyMapper); property names compare without
# case and without dashes (ConfigurationPropertyName). So SERVICES_CLOUDDRIVER_BASEURL
# overrides services.clouddriver.baseUrl and OKHTTPCLIENT_CONNECTTIMEOUT ok-http-client.connect-timeout.
# Both sides are brought to one form here: lower case, no dashes, `_` between elements.

_INDEX = re.compile(r"\[(\d+)\]")


def env_binding_form(env_name: str) -> str:
    """The form under which Spring Boot matches an environment variable against property names."""
    return env_name.lower()


def property_binding_form(path: tuple[Any, ...] | list[Any]) -> str:
    """The same form for a property given as its path of keys (dotted keys and ``[n]`` allowed)."""
    parts = []
    for part in path:
        text = _INDEX.sub(r".\1", str(part)).strip("[]")
        parts.append(text.lower().replace("-", "").replace(".", "_"))
    return "_".join(parts)


# Property roots that Spring Boot and every Spinnaker service bind, whatever the rendered files
# say: an environment variable under one of them changes how a service starts.
WELL_KNOWN_ROOTS = (
    "endpoints",
    "eureka",
    "logging",
    "management",
    "ok-http-client",
    "okhttp",
    "redis",
    "resilience4j",
    "server",
    "services",
    "spinnaker",
    "spring",
    "sql",
)


# Properties every service reads, to name them as written when an environment variable would bind to one
# (kork's ServiceEndpoints: services.<svc>.baseUrl; Spring Boot's server.* and spring.*).
_SERVICE_KEYS = ("baseUrl", "enabled", "host", "port")
_SERVICES = ("clouddriver", "deck", "echo", "fiat", "front50", "gate", "igor", "kayenta", "keel", "orca", "rosco")
WELL_KNOWN_PROPERTIES = (
    *(f"services.{svc}.{key}" for svc in (*_SERVICES, "redis") for key in _SERVICE_KEYS),
    "server.address",
    "server.port",
    "server.ssl.enabled",
    "spring.application.name",
    "spring.profiles.active",
    "spring.config.location",
    "spring.config.additional-location",
    "redis.connection",
    "sql.enabled",
    "logging.level.root",
)
_KNOWN_FORMS = {property_binding_form([p]): p for p in WELL_KNOWN_PROPERTIES}


def shadowed_root(env_name: str) -> str | None:
    """The well-known property root an environment variable would bind under, if any."""
    form = env_binding_form(env_name)
    for root in WELL_KNOWN_ROOTS:
        root_form = property_binding_form([root])
        if form == root_form or form.startswith(root_form + "_"):
            return root
    return None


def bound_property(env_name: str) -> str:
    """The property Spring Boot binds an environment variable to, as services spell it where known."""
    form = env_binding_form(env_name)
    return _KNOWN_FORMS.get(form, form.replace("_", "."))
