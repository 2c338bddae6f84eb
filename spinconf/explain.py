"""``spinconf explain``: a rendered key's final value and where it came from."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from spinconf.loader import Project
from spinconf.provenance import Derivation, dotted, user_path, written_origin
from spinconf.refs import EnvRef, SecretRef
from spinconf.yamlio import Origin
from spinconf.yamlwriter import dump, scalar_text

if TYPE_CHECKING:
    from spinconf.render import Rendered


def _walk_leaves(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk_leaves(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk_leaves(v, (*path, i))
    else:
        yield path, value


def _lookup(doc: Any, parts: list[str]) -> tuple[bool, Any]:
    node = doc
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False, None
    return True, node


def _common_suffix(a: tuple[Any, ...], b: tuple[Any, ...]) -> int:
    n = 0
    while n < min(len(a), len(b)) and str(a[-1 - n]) == str(b[-1 - n]):
        n += 1
    return n


def source_of(project: Project, file_name: str, parts: list[str], value: Any) -> str:
    """The overlay entry a rendered key most plausibly came from, or the rule that derived it."""
    profile = file_name.removesuffix(".yml")
    tree = project.tree
    own = tree.data.get("profiles", {}).get(profile)
    # the whole file (an empty key) is the service's rules' even with a profile beside them
    if parts and own is not None and _lookup(own, parts)[0]:
        origin = tree.origin(("profiles", profile, *_typed(own, parts)))
        if origin:
            return f"{origin.file}:{origin.line} (profiles.{profile})"
    target = tuple(parts)
    # one shared key name (`enabled`, `name`) says nothing: ask for two unless the key has one part
    best: tuple[int, tuple[Any, ...]] | None = (1, ()) if len(target) > 1 else None
    if not isinstance(value, dict | list):
        for path, leaf in _walk_leaves(tree.data, ()):
            if path and path[0] == "profiles":
                continue
            if _same(leaf, value):
                score = _common_suffix(path, target)
                if score and (best is None or score > best[0]):
                    best = (score, path)
    if best is not None and best[1]:
        origin = tree.origin(best[1])
        if isinstance(origin, Origin):
            return f"{origin.file}:{origin.line} ({'.'.join(map(str, best[1]))})"
    module = "deck" if file_name == "settings.js" else profile
    return f"derived by spinconf's {module} rules (spinconf/services/{module}.py)"


def _same(leaf: Any, value: Any) -> bool:
    if isinstance(leaf, SecretRef | EnvRef):
        # a reference renders as text the runtime resolves: ${VAR}, ${VAR:default} or kork's encryptedFile:
        return isinstance(value, str) and value.startswith(("${", "encrypted"))
    if isinstance(leaf, bool) or isinstance(value, bool):
        return leaf is value
    return bool(leaf == value) or (leaf is not None and str(leaf) == str(value) and str(value) != "")


def _typed(doc: Any, parts: list[str]) -> list[Any]:
    out: list[Any] = []
    node = doc
    for part in parts:
        if isinstance(node, list):
            out.append(int(part))
            node = node[int(part)]
        else:
            out.append(part)
            node = node[part]
    return out


def explain_key(project: Project, service: str, key: str) -> tuple[str, bool]:
    from spinconf.render import render_project

    rendered = render_project(project, dockerfiles=False)  # one key: no build contexts to read
    if service == "spinnaker":
        docs = next(iter(rendered.documents.values()), {})
        file_name = "spinnaker.yml"
    else:
        docs = rendered.documents.get(service, {})
        file_name = "settings.js" if service == "deck" else f"{service}.yml"
    if not docs or file_name not in docs:
        known = sorted(rendered.documents)
        return f"spinconf: {service!r} is not rendered for this project (rendered: {', '.join(known)})\n", False
    parts = key.split(".") if key else []
    found, value = _lookup(docs[file_name], parts)
    if not found:
        return f"spinconf: {key} is not set in {file_name}\n", False
    shown = _masked(project, key, value)
    # base URLs follow the topology's rule (services.<svc>.baseUrl, overrideBaseUrl, ecs.serviceUrl, default)
    url_of = None
    if service == "spinnaker" and len(parts) == 3 and parts[0] == "services" and parts[2] == "baseUrl":
        url_of = parts[1]
    elif service == "deck" and parts == ["gateUrl"]:
        url_of = "gate"
    rule = rendered.context.topology.url_rules.get(url_of) if url_of and rendered.context else None
    if rule:
        origin = project.tree.origin(tuple(rule.split("."))) if "." in rule else None
        where = f"{origin.file}:{origin.line} ({rule})" if origin else rule
        return f"{file_name} {key} = {shown}\n  from {where}\n", True
    # a profile's value replaces the derived one and its derivation with it (render.merge_profile):
    # a key with a derivation was not written in a profile
    derivation = _derivation(rendered, service, file_name, docs[file_name], parts)
    if derivation is not None:
        return f"{file_name} {key} = {shown}\n{derivation_text(project, derivation)}", True
    where = source_of(project, file_name, parts, value)
    return f"{file_name} {key} = {shown}\n  from {where}\n", True


def _derivation(rendered: Rendered, service: str, file_name: str, doc: Any, parts: list[str]) -> Derivation | None:
    if service == "spinnaker":
        service = next(iter(rendered.documents), "")
    try:
        path = tuple(_typed(doc, parts))
    except (KeyError, IndexError, ValueError, TypeError):
        return None
    return rendered.derivation(service, file_name, path)


def derivation_text(project: Project, derivation: Derivation) -> str:
    """``from <file:line> (<config path>)`` for the user's line (or the section that would set it), then the rule."""
    path = user_path(project.tree, derivation)
    origin = written_origin(project.tree, path)
    if origin is not None:
        where = f"{origin.file}:{origin.line} ({dotted(path)})"
    else:
        # nothing written: the value is the default, and the nearest section is where to set it
        section = project.tree.origin(path)
        at = f" (set {dotted(path)} there)" if section is not None else f" (set {dotted(path)})"
        where = f"{section.file}:{section.line}{at}" if section is not None else f"default{at}"
    return f"  from {where}\n  by {derivation.rule}\n"


MASK = "********"
_URL_PASSWORD = re.compile(r"(://[^/@\s]*:)([^/@\s]+)(@)")


def _masked(project: Project, key: str, value: Any) -> str:
    """``value`` as shown, without any plain-text secret (plaintextSecrets: warn lets them through to
    the files, not to a terminal or a CI log): what ``diff`` masks (a secret-looking key, a URL's
    password, review.Masker) is masked here too, and every plain value of a secret-bearing field."""
    from urllib.parse import quote

    from spinconf.checks.secret_fields import plain_secret_values
    from spinconf.review import MASK as REVIEW_MASK
    from spinconf.review import Masker

    masker = Masker()

    def hide(at: str, item: Any) -> Any:
        if isinstance(item, dict):
            return {k: hide(f"{at}.{k}", v) for k, v in item.items()}
        if isinstance(item, list):
            return [hide(at, v) for v in item]
        return MASK if masker.show(at, item) == REVIEW_MASK else item

    value = hide(key, value)
    if value == MASK:
        return MASK
    shown = dump(value).rstrip("\n") if isinstance(value, dict | list) else scalar_text(value)
    shown = _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(3), shown)
    for secret in sorted(plain_secret_values(project.tree.data), key=len, reverse=True):
        # the longest form first: a quoted form holds the bare one, and is masked whole, quotes and all
        for form in sorted({secret, scalar_text(secret), quote(secret, safe="")}, key=lambda f: (-len(f), f)):
            shown = shown.replace(form, MASK)
    return shown
