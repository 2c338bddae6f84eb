"""Rules: deck's settings.js and settings-local.js, which the browser downloads (SPEC section 3)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spinconf.checks import check, render_check, rule
from spinconf.checks._util import iter_strings
from spinconf.checks.secret_fields import SECRET_FIELD_TRIE, FieldTrie, url_password
from spinconf.diagnostics import Severity
from spinconf.refs import SecretRef
from spinconf.yamlio import Origin

if TYPE_CHECKING:
    from spinconf.loader import Project
    from spinconf.render import Rendered

SETTINGS_REFERENCE = rule(
    "deck-settings-reference",
    Severity.ERROR,
    "deck.settings holds a secret or environment reference: the browser receives settings.js as written, "
    "nothing resolves ${...} there and no secret may reach it",
    ("deck.settings",),
)
REFERENCE_DROPPED = rule(
    "deck-reference-dropped",
    Severity.WARNING,
    "a value deck's settings.js would carry is a reference: a browser cannot resolve it, so deck keeps its default",
)
LOCAL_MISSING = rule(
    "deck-settings-local-missing",
    Severity.ERROR,
    "deck.settingsLocalFile names no file inside the project",
    ("deck.settingsLocalFile",),
)
LOCAL_SYNTAX = rule(
    "deck-settings-local-syntax",
    Severity.ERROR,
    "deck.settingsLocalFile is not valid JavaScript (parsed as the browser's classic script)",
    ("deck.settingsLocalFile",),
)
LOCAL_UNCHECKED = rule(
    "deck-settings-local-unchecked",
    Severity.WARNING,
    "node is not on PATH, so deck.settingsLocalFile could not be checked for syntax errors",
    ("deck.settingsLocalFile",),
)
SECRET_IN_DECK = rule(
    "deck-secret-value",
    Severity.ERROR,
    "the plain-text value of a secret-bearing field appears in deck's settings.js or settings-local.js",
)

# Config values that services/deck.py copies into settings.js (dotted, `*` = any key or index).
DECK_BOUND = (
    "security.apiSecurity.overrideBaseUrl",
    "providers.*.primaryAccount",
    "providers.*.accounts.*.name",
    "providers.*.accounts.*.regions.*",
    "providers.aws.accounts.*.regions.*.name",
    "canary.defaultJudge",
    "canary.defaultMetricsAccount",
    "canary.defaultMetricsStore",
    "canary.storageAccountName",
    "notifications.*.*",
    "timezone",
)
DECK_BOUND_TRIE = FieldTrie.of(DECK_BOUND)
MIN_SECRET_LENGTH = 6  # shorter values ("true", "admin") match too much text to mean anything


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


@check
def references_in_deck(project: Project) -> None:
    deck = project.tree.data.get("deck")
    settings = deck.get("settings") if isinstance(deck, dict) else None
    if isinstance(settings, dict | list):
        from spinconf.refs import placeholders

        for sub, text in iter_strings(settings, lambda t: "${" in t):
            if placeholders(text):
                path = ("deck", "settings", *sub)
                key = _dotted(path)
                project.diagnostics.error(
                    project.origin(path),
                    SETTINGS_REFERENCE.code,
                    f"{key} contains ${{...}}: deck's settings.js is served to browsers as written, where nothing "
                    "resolves it; write the value itself",
                    key=key,
                )
    for path, ref in project.refs:
        key = _dotted(path)
        if path[:2] == ("deck", "settings"):
            kind = "a secret reference" if isinstance(ref, SecretRef) else "an environment reference"
            project.diagnostics.error(
                project.origin(path),
                SETTINGS_REFERENCE.code,
                f"{key} is {kind}: deck's settings.js is served to browsers as written, where nothing resolves it "
                "and no secret may go; write the value itself, or set it in a Spring profile",
                key=key,
            )
        elif not SECRET_FIELD_TRIE.covers(path) and DECK_BOUND_TRIE.covers(path):
            project.diagnostics.warning(
                project.origin(path),
                REFERENCE_DROPPED.code,
                f"{key} is a reference and deck's settings.js (read by browsers) cannot resolve it: "
                "deck keeps its own default there",
                key=key,
            )


def _local_path(project: Project) -> tuple[str, Path] | None:
    deck = project.config.deck if project.config else None
    rel = deck.settingsLocalFile if deck else None
    if not isinstance(rel, str):
        return None
    return rel, (project.root / rel)


@check
def settings_local_file(project: Project) -> None:
    found = _local_path(project)
    if found is None:
        return
    rel, path = found
    key_path = ("deck", "settingsLocalFile")
    at = project.origin(key_path)
    from spinconf.project import inside as inside_project

    inside = inside_project(project.root, path)
    if not rel or not inside or not path.is_file():
        why = "is outside the project" if rel and not inside else "does not exist"
        project.diagnostics.error(
            at, LOCAL_MISSING.code, f"deck.settingsLocalFile {rel!r} {why}", key="deck.settingsLocalFile"
        )
        return
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        project.diagnostics.error(
            at,
            LOCAL_MISSING.code,
            f"deck.settingsLocalFile {rel!r} cannot be read as UTF-8 text: {exc.__class__.__name__}",
        )
        return
    _check_syntax(project, rel, source, at)


def _check_syntax(project: Project, rel: str, source: str, at: Origin) -> None:
    from spinconf import js

    if not js.node_available():
        project.diagnostics.warning(
            at,
            LOCAL_UNCHECKED.code,
            f"node is not on PATH: {rel} could not be checked for JavaScript syntax errors "
            "(install node to have validate check it)",
            key="deck.settingsLocalFile",
        )
        return
    try:
        problem = js.syntax_problem(source)
    except OSError as exc:
        project.diagnostics.warning(
            at,
            LOCAL_UNCHECKED.code,
            f"{rel} could not be checked for syntax errors: {exc}",
            key="deck.settingsLocalFile",
        )
        return
    if problem is not None:
        rel_posix = Path(rel).as_posix().removeprefix("./")
        project.diagnostics.error(
            Origin(rel_posix, problem.line, problem.column),
            LOCAL_SYNTAX.code,
            f"{rel_posix} is not valid JavaScript: {problem.message}",
            key="deck.settingsLocalFile",
        )


# scheme://user:password@ (a placeholder as the password is resolved nowhere in a browser either)
_URL_CREDENTIALS = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\s'\"`:]*:[^/?#@\s'\"`]+@")


def _plain_secrets(data: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Plain values of secret-bearing fields (the trie visits only those fields, not every account's
    keys), and the passwords of URLs anywhere."""
    for path, value, _ in SECRET_FIELD_TRIE.matches(data):
        if isinstance(value, str) and len(value) >= MIN_SECRET_LENGTH:
            yield path, value
    for path, text in iter_strings(data, lambda t: "@" in t):
        password = url_password(text)
        if password and len(password) >= MIN_SECRET_LENGTH:
            yield path, password


@render_check
def no_secret_in_deck(project: Project, rendered: Rendered) -> None:
    from spinconf.services.deck import SETTINGS_JS, SETTINGS_LOCAL_JS

    texts = {name: rendered.files[name] for name in (SETTINGS_JS, SETTINGS_LOCAL_JS) if name in rendered.files}
    if not texts:
        return
    from spinconf import js

    local = texts.get(SETTINGS_LOCAL_JS)
    if local is not None and _URL_CREDENTIALS.search(local.decode("utf-8", errors="replace")):
        project.diagnostics.error(
            project.origin(("deck", "settingsLocalFile")),
            SECRET_IN_DECK.code,
            "deck.settingsLocalFile holds a URL with a user and password, and every browser downloads "
            "settings-local.js: take the credentials out",
            key="deck.settingsLocalFile",
        )
    for path, value in _plain_secrets(project.tree.data):
        # settings.js holds the value as an escaped literal; settings-local.js as the user wrote it
        needles = (value.encode("utf-8"), js.string(value)[1:-1].encode("utf-8"))
        for name, data in texts.items():
            if any(n in data for n in needles):
                key = _dotted(path)
                project.diagnostics.error(
                    project.origin(path),
                    SECRET_IN_DECK.code,
                    f"the value of {key} (secret-bearing) also appears in {name.rsplit('/', 1)[-1]}, "
                    "which every browser downloads; remove it from deck.settings / deck.settingsLocalFile",
                    key=key,
                )
