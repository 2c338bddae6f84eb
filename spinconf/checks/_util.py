"""Small helpers shared by the rule modules: reporting at a rule's severity, walking accounts."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from spinconf.diagnostics import Severity
from spinconf.provenance import Derivation, user_path
from spinconf.services.clouddriver import PROVIDERS as PROVIDERS  # the providers whose accounts clouddriver loads

if TYPE_CHECKING:
    from spinconf.checks import Rule
    from spinconf.loader import Project
    from spinconf.model.config import Config

Path = tuple[Any, ...]


def dotted(path: Path) -> str:
    return ".".join(str(p) for p in path)


def report(project: Project, rule: Rule, path: Path, message: str) -> None:
    """Add a diagnostic for ``rule`` at the place ``path`` was written, at the rule's severity."""
    origin = project.origin(path)
    if rule.severity is Severity.ERROR:
        project.diagnostics.error(origin, rule.code, message, key=dotted(path))
    else:
        project.diagnostics.warning(origin, rule.code, message, key=dotted(path))


def report_derived(project: Project, rule: Rule, derivation: Derivation | None, fallback: Path, message: str) -> None:
    """Report about a rendered value at the user's line it was derived from (spinconf/provenance.py):
    the source the user wrote, else the section that would set it; ``fallback`` when not derived."""
    report(project, rule, user_path(project.tree, derivation) if derivation is not None else fallback, message)


def config_of(project: Project) -> Config:
    assert project.config is not None, "checks run on a validated project"
    return project.config


def is_on(value: Any) -> bool:
    """An ``enabled`` flag that is literally true (an {env: ...} flag is decided at start: not judged here)."""
    return value is True


def text(value: Any) -> str | None:
    """A plain, non-empty string value; None for unset, empty or a reference (judged at start, not here)."""
    return value if isinstance(value, str) and value != "" else None


def given(value: Any) -> bool:
    """Set to something: a non-empty string, a reference, or any other value."""
    return value is not None and value != ""


def provider_accounts(config: Config) -> Iterator[tuple[str, int, Any]]:
    """Every provider account: (provider key, index in its list, the account model)."""
    providers = config.providers
    if providers is None:
        return
    for key in PROVIDERS:
        provider = getattr(providers, key, None)
        for index, account in enumerate(getattr(provider, "accounts", None) or []):
            yield key, index, account


def account_names(config: Config, provider: str) -> set[str]:
    provider_model = getattr(config.providers, provider, None) if config.providers else None
    accounts = getattr(provider_model, "accounts", None) or []
    return {a.name for a in accounts if isinstance(a.name, str)}


_HOST = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$|^[0-9A-Fa-f:.]+$")


def url_problem(value: str, schemes: tuple[str, ...] = ("http", "https")) -> str | None:
    """Why ``value`` is not an absolute URL with one of ``schemes`` and a host; None when it is."""
    if any(c.isspace() for c in value):
        return "contains white space"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return "is not a URL"
    del port
    if not parts.scheme or "://" not in value:
        return f"has no scheme (write {schemes[0]}://...)"
    if parts.scheme.lower() not in schemes:
        return f"has scheme {parts.scheme!r}, expected {' or '.join(schemes)}"
    if not parts.hostname or not _HOST.match(parts.hostname):
        return "has no host"
    return None


def iter_strings(data: Any, keep: Callable[[str], bool]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """``(path, text)`` for every string in ``data`` that ``keep`` accepts; paths are built only for hits."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(value, dict | list):
                stack.append((value, (*path, key)))
            elif isinstance(value, str) and keep(value):
                yield (*path, key), value
