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
SECRET_PLACEHOLDER = rule(
    "secret-placeholder-exposed",
    Severity.ERROR,
    "${...} names a secret's environment variable in a field that is not secret-bearing: Spring would put "
    "the secret there (a bot name, a URL, a log line); write {secret: NAME} in a secret-bearing field",
)
PLAIN_CREDENTIAL = rule(
    "plaintext-credential",
    Severity.WARNING,
    "a plain value that looks like a credential in ecs.environment, or under a profiles key named like one "
    "(password, secret, token): declare it under secrets: and write {secret: NAME}",
    ("ecs.environment", "services.*.ecs.environment", "profiles.*"),
)
# a key named like a credential: ...password, ...secret, ...token, ...apiKey (not `tokenUrl`, `secretName`)
CREDENTIAL_KEY = re.compile(r"(password|passwd|pwd|secret|token|api[-_]?key|private[-_]?key)$", re.IGNORECASE)
# values with the shape of a well-known credential, whatever the variable is called
CREDENTIAL_VALUE = re.compile(
    r"^(AKIA|ASIA)[0-9A-Z]{16}$|^gh[pousr]_[A-Za-z0-9]{30,}$|^github_pat_\w{20,}$|^xox[abposr]-[\w-]{10,}$"
    r"|^glpat-[\w-]{20}$|^-----BEGIN [A-Z ]*PRIVATE KEY-----"
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


_JDBC_PASSWORD = re.compile(r"[?&;:]password=(?!\$\{)([^&;]+)", re.IGNORECASE)


def url_password(value: str) -> str | None:
    """The password written in a URL: ``scheme://user:password@host`` (redis, http, ...) or a JDBC
    URL's ``password=`` parameter; None when there is none (or it is a placeholder)."""
    if value.startswith("jdbc:"):
        found = _JDBC_PASSWORD.search(value)
        if found:
            return found.group(1)
    if "://" not in value or "@" not in value:
        return None
    try:
        password = urlsplit(value[5:] if value.startswith("jdbc:") else value).password
    except ValueError:
        return None
    # a placeholder (https://bot:${TOKEN}@host) is resolved at start-up: the secret is not in the overlay
    return password if password and not password.startswith("${") else None


def url_with_password(value: str) -> bool:
    """Whether a URL carries a password (see :func:`url_password`)."""
    return url_password(value) is not None


def plain_secret_values(data: Any) -> set[str]:
    """The plain-text secrets an overlay tree holds (secret-bearing fields, URL passwords): never to be shown."""
    values: set[str] = set()
    for _path, value, _pattern in SECRET_FIELD_TRIE.matches(data):
        if is_plaintext(value):
            values.add(str(value.default) if isinstance(value, EnvRef) else str(value))
    for _path, text in iter_strings(data, lambda t: "@" in t or "assword=" in t.lower()):
        password = url_password(text)
        if password:
            values.add(password)
    return values


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


def secret_variables(project: Project) -> set[str]:
    """The environment variables secrets arrive in, in Spring's binding form (``${...}`` of any spelling)."""
    from spinconf.checks.secrets import secret_env
    from spinconf.refs import env_binding_form

    secrets = project.config.secrets if project.config is not None else None
    return {env_binding_form(secret_env(name, source)) for name, source in (secrets or {}).items()}


def _names_secret(text: str, secret_vars: set[str]) -> str | None:
    """The first placeholder of ``text`` that reads a secret's variable outside a URL's password."""
    from spinconf.refs import property_binding_form

    for p in placeholders(text):
        key = p.key.strip()
        form = property_binding_form([key])
        if (form in secret_vars or form.startswith("spinconf_secret_")) and f":{p.text}@" not in text:
            return p.text
    return None


def secret_bearing(path: tuple[Any, ...]) -> bool:
    """A field where a secret belongs: the secret-bearing fields, and profile keys named like a credential."""
    if SECRET_FIELD_TRIE.covers(path):
        return True
    # CREDENTIAL_KEY is anchored at the end: a dotted key (oauth2.client.clientSecret) is judged by its last part
    return len(path) > 2 and path[0] == "profiles" and bool(CREDENTIAL_KEY.search(str(path[-1])))


def _walk_strings(project: Project, reported: set[tuple[Any, ...]]) -> None:
    """One pass over every string: passwords inside URLs, and ``${`` in values bound for Spring."""
    from spinconf.checks.secrets import spring_bound

    def interesting(value: str) -> bool:
        return "@" in value or "${" in value or "assword=" in value.lower()

    secret_vars: set[str] | None = None
    for here, value in iter_strings(project.tree.data, interesting):
        if here not in reported and url_with_password(value):
            _report_plaintext(project, here, "the password in this URL")
        if "${" in value and spring_bound(here) and placeholders(value):
            secret_vars = secret_variables(project) if secret_vars is None else secret_vars
            exposed = None if secret_bearing(here) else _names_secret(value, secret_vars)
            if exposed is not None:
                project.diagnostics.error(
                    project.origin(here),
                    SECRET_PLACEHOLDER.code,
                    f"{_show(here)} contains {exposed}, a secret's environment variable, and is not a secret-bearing "
                    "field: Spring would write the secret into it; use the secret only where a secret belongs",
                    key=_show(here),
                )
                continue
            names = ", ".join(p.text for p in placeholders(value)[:3])
            project.diagnostics.warning(
                project.origin(here),
                SPRING_PLACEHOLDER.code,
                f"{_show(here)} contains {names}: Spring resolves it at start-up; for a runtime value "
                "write {env: NAME} or {secret: NAME}",
                key=_show(here),
            )


@check
def credential_looking_values(project: Project) -> None:
    """Plain values that look like credentials where no secret rule looks: the task's environment, profiles."""
    data = project.tree.data
    places: list[tuple[tuple[Any, ...], Any]] = []
    ecs = data.get("ecs")
    if isinstance(ecs, dict) and isinstance(ecs.get("environment"), dict):
        places.append((("ecs", "environment"), ecs["environment"]))
    services = data.get("services")
    for svc, service in (services or {}).items() if isinstance(services, dict) else ():
        svc_ecs = service.get("ecs") if isinstance(service, dict) else None
        if isinstance(svc_ecs, dict) and isinstance(svc_ecs.get("environment"), dict):
            places.append((("services", svc, "ecs", "environment"), svc_ecs["environment"]))
    for at, environment in places:
        for name, value in environment.items():
            if _credential_like(str(name), value, by_value=True):
                _report_credential(project, (*at, name))
    profiles = data.get("profiles")
    if isinstance(profiles, dict):
        for path, value in _profile_leaves(profiles):
            if _credential_like(str(path[-1]), value, by_value=False):
                _report_credential(project, ("profiles", *path))


def _profile_leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(value, dict | list):
            yield from _profile_leaves(value, (*path, key))
        elif isinstance(key, str) and len(path) >= 1:
            yield (*path, key), value


def _credential_like(name: str, value: Any, by_value: bool) -> bool:
    if isinstance(value, bool) or not is_plaintext(value):
        return False
    if CREDENTIAL_KEY.search(name):
        return True
    return by_value and isinstance(value, str) and bool(CREDENTIAL_VALUE.search(value))


def _report_credential(project: Project, path: tuple[Any, ...]) -> None:
    key = _show(path)
    project.diagnostics.warning(
        project.origin(path),
        PLAIN_CREDENTIAL.code,
        f"{key} looks like a credential written as plain text: declare it under secrets: and write {{secret: NAME}}",
        key=key,
    )
