"""Plain text where a secret belongs, and ``${`` where Spring would try to resolve it (SPEC section 3).

The secret-bearing fields are patterns (``providers.dockerRegistry.accounts.*.password``);
they are compiled once into a trie, and the merged tree is walked along the trie only,
so a project with thousands of accounts costs one visit per secret-bearing value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from spinconf.checks import check, rule
from spinconf.checks._util import iter_strings
from spinconf.diagnostics import Severity
from spinconf.model.hal.fieldinfo import SECRET_FIELDS
from spinconf.refs import EnvRef, SecretRef, placeholders

if TYPE_CHECKING:
    from spinconf.loader import Project

# spinconf's own secret-bearing fields (services.<svc>.sql is kork-sql's default and migration pool)
OWN_SECRET_FIELDS = frozenset(
    {
        "services.*.sql.password",
        "services.*.sql.migration.password",
        "observability.datadog.apiKey",
    }
)
ALL_SECRET_FIELDS = SECRET_FIELDS | OWN_SECRET_FIELDS

# kork-secrets decrypts these at start-up (EncryptedSecret: encrypted:<engine>!..., encryptedFile:...)
KORK_PREFIXES = ("encrypted:", "encryptedFile:")

PLAINTEXT = rule(
    "plaintext-secret",
    Severity.ERROR,
    "a secret-bearing field (or a URL with a password) holds plain text: write {secret: NAME} or a kork "
    "encrypted: string (a warning with plaintextSecrets: warn)",
    tuple(sorted(ALL_SECRET_FIELDS)),
)
SPRING_PLACEHOLDER = rule(
    "spring-placeholder",
    Severity.WARNING,
    "a plain value that lands in a Spring file contains ${: Spring will try to resolve it at start-up",
)


@dataclass
class FieldTrie:
    """Compiled field patterns: one node per key, ``*`` for any list item or map key."""

    children: dict[str, FieldTrie] = field(default_factory=dict)
    pattern: str | None = None  # set where a pattern ends

    @classmethod
    def of(cls, patterns: Iterable[str]) -> FieldTrie:
        root = cls()
        for pattern in patterns:
            node = root
            for part in pattern.split("."):
                node = node.children.setdefault(part, cls())
            node.pattern = pattern
        return root

    def covers(self, path: tuple[Any, ...]) -> bool:
        """Whether ``path`` (keys and list indices) is exactly one of the patterns."""
        if not path:
            return self.pattern is not None
        # a key may match both a literal branch and a `*` branch: either may lead to a pattern
        branches = (self.children.get(str(path[0])), self.children.get("*"))
        return any(child is not None and child.covers(path[1:]) for child in branches)

    def matches(self, data: Any) -> Iterator[tuple[tuple[Any, ...], Any, str]]:
        """``(path, value, pattern)`` for every value of ``data`` at a pattern's place."""
        stack: list[tuple[Any, FieldTrie, tuple[Any, ...]]] = [(data, self, ())]
        while stack:
            node, trie, path = stack.pop()
            for part, child in trie.children.items():
                for key, value in _entries(node, part):
                    here = (*path, key)
                    if child.pattern is not None:
                        yield here, value, child.pattern
                    if child.children and isinstance(value, dict | list):
                        stack.append((value, child, here))


def _entries(node: Any, part: str) -> Iterable[tuple[Any, Any]]:
    if part == "*":
        if isinstance(node, dict):
            return node.items()
        if isinstance(node, list):
            return enumerate(node)
        return ()
    if isinstance(node, dict) and part in node:
        return ((part, node[part]),)
    return ()


SECRET_FIELD_TRIE = FieldTrie.of(ALL_SECRET_FIELDS)


def is_plaintext(value: Any) -> bool:
    """Whether a secret-bearing value is written out in the overlay (rather than referenced)."""
    if value is None or isinstance(value, SecretRef | dict | list | bool):
        return False
    if isinstance(value, EnvRef):
        return bool(value.default)  # the default would be the secret, in the overlay
    if isinstance(value, int | float):
        return True
    if not isinstance(value, str) or value == "" or value.startswith(KORK_PREFIXES):
        return False
    # a whole-value Spring placeholder (${DB_PASSWORD}) is resolved at start-up: not the secret itself
    found = placeholders(value)
    return not (len(found) == 1 and found[0].text == value)


_JDBC_PASSWORD = re.compile(r"[?&;:]password=(?!\$\{)[^&;]", re.IGNORECASE)


def url_with_password(value: str) -> bool:
    """``scheme://user:password@host`` (redis, http, ...) or a JDBC URL with a ``password=`` parameter."""
    if value.startswith("jdbc:") and _JDBC_PASSWORD.search(value):
        return True
    if "://" not in value or "@" not in value:
        return False
    try:
        password = urlsplit(value[5:] if value.startswith("jdbc:") else value).password
    except ValueError:
        return False
    # a placeholder (https://bot:${TOKEN}@host) is resolved at start-up: the secret is not in the overlay
    return bool(password) and not (password or "").startswith("${")


def _show(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


def _report_plaintext(project: Project, path: tuple[Any, ...], what: str) -> None:
    # never the value: only where it is and what to write instead
    key = _show(path)
    if project.settings.plaintext_secrets == "warn":
        message = f"{what} at {key} is plain text (passed through because plaintextSecrets: warn)"
        project.diagnostics.warning(project.origin(path), PLAINTEXT.code, message, key=key)
    else:
        message = (
            f"{what} at {key} is plain text: write {{secret: NAME}} (declared under secrets:) "
            "or a kork encrypted: string, or set plaintextSecrets: warn in spinconf.yml"
        )
        project.diagnostics.error(project.origin(path), PLAINTEXT.code, message, key=key)


@check
def plaintext_secrets(project: Project) -> None:
    """Secret-bearing fields hold a reference or a kork string; URLs anywhere carry no password."""
    reported: set[tuple[Any, ...]] = set()
    for path, value, _pattern in SECRET_FIELD_TRIE.matches(project.tree.data):
        if is_plaintext(value):
            reported.add(path)
            _report_plaintext(project, path, "a secret")
    _walk_strings(project, reported)


def _walk_strings(project: Project, reported: set[tuple[Any, ...]]) -> None:
    """One pass over every string: passwords inside URLs, and ``${`` in values bound for Spring."""
    from spinconf.checks.secrets import spring_bound

    def interesting(value: str) -> bool:
        return "@" in value or "${" in value or "assword=" in value.lower()

    for here, value in iter_strings(project.tree.data, interesting):
        if here not in reported and url_with_password(value):
            _report_plaintext(project, here, "the password in this URL")
        if "${" in value and spring_bound(here) and placeholders(value):
            names = ", ".join(p.text for p in placeholders(value)[:3])
            project.diagnostics.warning(
                project.origin(here),
                SPRING_PLACEHOLDER.code,
                f"{_show(here)} contains {names}: Spring resolves it at start-up; for a runtime value "
                "write {env: NAME} or {secret: NAME}",
                key=_show(here),
            )
