"""Plain-text secrets of an imported halconfig -> ``{secret: NAME}`` references to SSM parameters.

The values are read only to decide whether they are plain text; they are never kept,
printed or written: each becomes a reference, and ``secrets.<name>`` names the SSM
parameter the operator creates with the value from their Halyard config.
"""

from __future__ import annotations

import re
from typing import Any

from spinconf.model.hal.fieldinfo import SECRET_FIELDS

# path parts that say nothing about which secret it is (the name stays short and readable)
_STRUCTURAL = {
    "providers",
    "artifacts",
    "notifications",
    "ci",
    "security",
    "persistentStorage",
    "canary",
    "serviceIntegrations",
    "accounts",
    "masters",
    "searches",
    "metricStores",
    "repository",
    "groupMembership",
    "client",
    "user",
    "ssl",
    "default",
    "clusters",
}
# the last key of a profile value that holds a secret (compared lower-case, without - and _)
_SECRET_KEY_ENDINGS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "appkey",
    "secretkey",
    "accesskey",
    "privatekey",
    "insertkey",
)
# a redis URL with a password: redis://:password@host or redis://user:password@host
_URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@\s]*:[^/@\s]+@", re.IGNORECASE)
_KORK_SECRET = ("encrypted:", "encryptedFile:")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_NAME = re.compile(r"[^a-z0-9]+")
# a whole value `${NAME}` / `${NAME:default}` naming an environment variable
_PLACEHOLDER = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}$")


def kebab(text: str) -> str:
    return _NOT_NAME.sub("-", _CAMEL.sub("-", text).lower()).strip("-")


class SecretNamer:
    """Hands out unique secret names and remembers their SSM parameter paths."""

    def __init__(self, prefix: str = "/spinnaker/") -> None:
        prefix = prefix.strip() or "/"
        self.prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        self.secrets: dict[str, str] = {}

    def name(self, parts: list[str]) -> str:
        base = "-".join(p for p in (kebab(x) for x in parts) if p) or "secret"
        name, n = base, 2
        while name in self.secrets:
            name, n = f"{base}-{n}", n + 1
        self.secrets[name] = self.prefix + name
        return name

    def declarations(self) -> dict[str, dict[str, str]]:
        return {name: {"ssm": path} for name, path in self.secrets.items()}

    def parameters(self) -> list[str]:
        return list(self.secrets.values())


def is_plain(value: Any) -> bool:
    """Plain text to move out: not empty, not a kork-encrypted reference, not a placeholder."""
    return isinstance(value, str) and bool(value) and not value.startswith(_KORK_SECRET)


def _reference(value: str, parts: list[str], namer: SecretNamer) -> Any:
    # `${NAME}` / `${NAME:default}` already comes from the runtime: keep it as an environment reference
    match = _PLACEHOLDER.match(value)
    if match:
        env: dict[str, str] = {"env": match.group(1)}
        if match.group(2) is not None:
            env["default"] = match.group(2)
        return env
    return {"secret": namer.name(parts)}


def spec_secrets(doc: dict[str, Any], namer: SecretNamer) -> dict[str, Any]:
    """Every plain value at a secret-bearing halconfig path (fieldinfo.SECRET_FIELDS) -> a reference."""

    def walk(node: Any, pattern: tuple[str, ...], label: list[str]) -> Any:
        if isinstance(node, dict):
            return {k: walk(v, (*pattern, str(k)), [*label, str(k)]) for k, v in node.items()}
        if isinstance(node, list):
            out = []
            for i, item in enumerate(node):
                item_name = item.get("name") if isinstance(item, dict) else None
                out.append(walk(item, (*pattern, "*"), [*label, str(item_name if item_name else i)]))
            return out
        numeric = isinstance(node, int | float) and not isinstance(node, bool)  # a PIN-like password is text too
        if ".".join(pattern) in SECRET_FIELDS and (is_plain(node) or numeric):
            return _reference(str(node), [p for p in label if p not in _STRUCTURAL], namer)
        return node

    result: dict[str, Any] = walk(doc, (), [])
    return result


def looks_secret(key: str, value: Any) -> bool:
    """A profile value that holds a secret: by its key's name, or a URL that carries a password."""
    if not is_plain(value) or "${" in value:
        return False
    if _URL_WITH_PASSWORD.match(value):
        return True
    flat = key.lower().replace("-", "").replace("_", "")
    return flat.endswith(_SECRET_KEY_ENDINGS) and not value.startswith(("/", "classpath:", "file:"))


def profile_secrets(owner: str, data: dict[str, Any], namer: SecretNamer) -> dict[str, Any]:
    """Secret-looking values of a ``<svc>-local.yml`` -> references named ``<svc>-<last keys>``."""

    def walk(node: Any, path: list[str]) -> Any:
        # containers are changed in place: a round-trip (ruamel.yaml) mapping keeps its comments
        if isinstance(node, dict):
            for k in list(node):
                node[k] = walk(node[k], [*path, str(k)])
            return node
        if isinstance(node, list):
            for i, v in enumerate(node):
                node[i] = walk(v, [*path, str(i)])
            return node
        if path and looks_secret(path[-1], node):
            return _flow(_reference(node, [owner, *path[-3:]], namer), data)
        if isinstance(node, str) and _PLACEHOLDER.match(node) and node[2:3].isupper():
            # `${DB_PASSWORD}`: the value comes from the environment; say so, and the checks know it
            return _flow(_reference(node, [], namer), data)
        return node

    result: dict[str, Any] = walk(data, [])
    return result


def _flow(reference: dict[str, str], like: Any) -> Any:
    """In a round-trip document, a reference is written on one line: ``{secret: NAME}``."""
    if not hasattr(like, "ca"):
        return reference
    from ruamel.yaml.comments import CommentedMap

    out = CommentedMap(reference)
    out.fa.set_flow_style()
    return out


def settings_secrets(owner: str, env: dict[str, str], namer: SecretNamer) -> dict[str, Any]:
    """Secret-looking environment variables of a service-settings file -> references."""
    return {k: _reference(v, [owner, k], namer) if looks_secret(k, v) else v for k, v in env.items()}


def inline_references(text: str) -> str:
    """Write ``{secret: NAME}`` / ``{env: NAME}`` on one line, as a person would (the dump is block style)."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        ref, used = _reference_below(lines, i)
        if ref is not None:
            out.append(f"{line} {ref}")
            i += used + 1
            continue
        out.append(line)
        i += 1
    return "\n".join(out) + "\n"


def _reference_below(lines: list[str], i: int) -> tuple[str | None, int]:
    """The one-line form of the reference mapping that starts below ``lines[i]`` (``key:``), if it is one."""
    if not lines[i].endswith(":") or i + 1 >= len(lines):
        return None, 0
    indent = len(lines[i + 1]) - len(lines[i + 1].lstrip(" "))
    if indent <= len(lines[i]) - len(lines[i].lstrip(" -")):
        return None, 0
    body: list[str] = []
    for line in lines[i + 1 :]:
        depth = len(line) - len(line.lstrip(" "))
        if depth < indent:
            break
        if depth > indent:
            return None, 0
        body.append(line.strip())
    keys = [b.split(":", 1)[0] for b in body]
    # only names (never a default): a name is always safe as a plain scalar inside {...}
    if keys in (["secret"], ["env"]):
        return "{" + ", ".join(body) + "}", len(body)
    return None, 0
