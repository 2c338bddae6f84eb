"""What ``spinconf fix`` rewrites: Halyard's forms, unique misspellings, keys renamed since.

Each rule takes one overlay document's root mapping and changes it in place, returning
a note per change. The mappings may be ruamel.yaml's round-trip ``CommentedMap`` (``spinconf
fix``) or plain dicts: the edits go through :func:`rename` and :func:`delete`, which carry a
key's comments along (a deleted key's comments move before the next key), so no comment is lost.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

Note = str
Rule = Callable[[MutableMapping[Any, Any]], list[Note]]

# Halyard's spelling -> spinconf's, within the same mapping (dotted path of the mapping, old, new)
RENAMES: tuple[tuple[str, str, str], ...] = (
    ("notifications", "github-status", "githubStatus"),
    ("notifications", "githubstatus", "githubStatus"),
    ("metricStores.datadog", "apiKey", "api_key"),
    ("metricStores.datadog", "appKey", "app_key"),
    ("metricStores.newrelic", "insertKey", "insert_key"),
    ("metricStores.prometheus", "pushGateway", "push_gateway"),
    ("metricStores.stackdriver", "credentialsPath", "credentials_path"),
    # Halyard's Canary.defaultStorageAccount is kleat's storageAccountName (deck's canary.storageAccountName)
    ("canary", "defaultStorageAccount", "storageAccountName"),
    # Halyard's Saml.metadataRemote: SamlConfig wrote it as saml.metadataUrl
    ("security.authn.saml", "metadataRemote", "metadataUrl"),
    # Halyard's deprecated oraclebmcs sections, merged into oracle (OracleProvider.mergeOracleBMCSProvider)
    ("providers", "oraclebmcs", "oracle"),
    ("persistentStorage", "oraclebmcs", "oracle"),
)
# keys with no effect on the releases spinconf renders (dotted path of the mapping, key, why)
REMOVALS: tuple[tuple[str, str, str], ...] = (
    ("", "name", "the Halyard deployment name is not part of the config"),
    ("features", "artifacts", "artifacts are always on since Spinnaker 1.20"),
    ("features", "artifactsRewrite", "the artifacts rewrite is always on since Spinnaker 1.20"),
)
# persistentStoreType values that name a store section of kleat's model
STORES = ("s3", "gcs", "azs", "oracle")

# dotted key patterns (`*` for list items and map keys) whose Halyard form `fix` rewrites
FIXABLE: frozenset[str] = frozenset(
    {
        "persistentStorage.persistentStoreType",
        "canary.serviceIntegrations",
        "providers.*.accounts.*.providerVersion",
        *(f"providers.kubernetes.accounts.*.{old}" for old in ("oauthScopes", "oauthServiceAccount")),
        *(f"{path}.{old}".lstrip(".") for path, old, _ in RENAMES),
        *(f"{path}.{key}".lstrip(".") for path, key, _ in REMOVALS),
    }
)


def _comment_lines(token: Any) -> list[str]:
    texts: list[str] = []
    for part in token if isinstance(token, list) else [token]:
        value = getattr(part, "value", None)
        if isinstance(value, str):
            texts += [line.strip()[1:].strip() for line in value.splitlines() if line.strip().startswith("#")]
    return texts


def delete(mapping: MutableMapping[Any, Any], key: Any) -> None:
    """Remove ``key``; its comments (end of line and the lines after it) go before the next key."""
    keys = list(mapping)
    at = keys.index(key)
    ca = getattr(mapping, "ca", None)
    tokens = ca.items.pop(key, None) if ca is not None else None
    del mapping[key]
    texts = [t for slot in tokens or [] if slot is not None for t in _comment_lines(slot)]
    if not texts:
        return
    rest = keys[at + 1 :]
    column = getattr(getattr(mapping, "lc", None), "col", 0) or 0
    if rest:
        mapping.yaml_set_comment_before_after_key(rest[0], before="\n".join(texts), indent=column)  # type: ignore[attr-defined]
    elif at > 0:
        mapping.yaml_set_comment_before_after_key(keys[at - 1], after="\n".join(texts), after_indent=column)  # type: ignore[attr-defined]


def rename(mapping: MutableMapping[Any, Any], old: Any, new: Any) -> None:
    """``old`` becomes ``new`` at the same place, with its comments."""
    keys = list(mapping)
    at = keys.index(old)
    value = mapping[old]
    ca = getattr(mapping, "ca", None)
    tokens = ca.items.pop(old, None) if ca is not None else None
    del mapping[old]
    if hasattr(mapping, "insert"):
        mapping.insert(at, new, value)
    else:  # a plain dict: rebuild to keep the order
        items = list(mapping.items())
        items.insert(at, (new, value))
        mapping.clear()
        mapping.update(items)
    if tokens is not None and ca is not None:
        ca.items[new] = tokens


def put_first(mapping: MutableMapping[Any, Any], key: Any, value: Any) -> None:
    if hasattr(mapping, "insert"):
        mapping.insert(0, key, value)
    else:
        items = [(key, value), *mapping.items()]
        mapping.clear()
        mapping.update(items)


def _at(root: MutableMapping[Any, Any], dotted: str) -> MutableMapping[Any, Any] | None:
    node: Any = root
    for part in dotted.split(".") if dotted else []:
        node = node.get(part) if isinstance(node, MutableMapping) else None
    return node if isinstance(node, MutableMapping) else None


def store_type(root: MutableMapping[Any, Any]) -> list[Note]:
    storage = _at(root, "persistentStorage")
    if storage is None or "persistentStoreType" not in storage:
        return []
    kind = storage["persistentStoreType"]
    if kind not in STORES or not (storage.get(kind) is None or isinstance(storage.get(kind), MutableMapping)):
        return []  # redis or sql: no store section of the same name; the diagnostic stays
    store = storage.get(kind)
    delete(storage, "persistentStoreType")
    if store is None:
        storage[kind] = type(storage)()
        store = storage[kind]
    if store.get("enabled") is not True:
        if "enabled" in store:
            store["enabled"] = True
        else:
            put_first(store, "enabled", True)
    return [f"persistentStorage.persistentStoreType: {kind} -> persistentStorage.{kind}.enabled: true"]


def canary_list(root: MutableMapping[Any, Any]) -> list[Note]:
    canary = _at(root, "canary")
    items = canary.get("serviceIntegrations") if canary is not None else None
    if canary is None or not isinstance(items, list):
        return []
    if not all(isinstance(i, MutableMapping) and isinstance(i.get("name"), str) for i in items):
        return []  # an item without a name: the diagnostic stays
    by_name = type(canary)()
    for item in items:
        name = item["name"]
        delete(item, "name")
        by_name[name] = item
    canary["serviceIntegrations"] = by_name
    return ["canary.serviceIntegrations: list -> mapping by name"]


def provider_version(root: MutableMapping[Any, Any]) -> list[Note]:
    """Halyard wrote providerVersion into every account; only the V2 (manifest) kubernetes provider
    exists since 1.21, and no other provider reads it. A kubernetes V1 account stays (an error)."""
    providers = _at(root, "providers")
    notes: list[Note] = []
    for name, provider in (providers or {}).items():
        accounts = provider.get("accounts") if isinstance(provider, MutableMapping) else None
        for i, account in enumerate(accounts if isinstance(accounts, list) else []):
            if not isinstance(account, MutableMapping) or "providerVersion" not in account:
                continue
            if name == "kubernetes" and str(account["providerVersion"]).upper() == "V1":
                continue
            delete(account, "providerVersion")
            notes.append(f"providers.{name}.accounts[{i}].providerVersion removed")
    return notes


# Halyard's second spelling (read, and before Halyard 1.22 also written) -> the one kleat reads
# (halyard-config KubernetesAccount.java: setOauthScopes/setOauthServiceAccount, "whichever came
# last in the file would end up taking precedence")
KUBERNETES_TWICE: tuple[tuple[str, str], ...] = (
    ("oauthScopes", "oAuthScopes"),
    ("oauthServiceAccount", "oAuthServiceAccount"),
)


def kubernetes_twice(root: MutableMapping[Any, Any]) -> list[Note]:
    kubernetes = _at(root, "providers.kubernetes")
    accounts = kubernetes.get("accounts") if kubernetes is not None else None
    notes: list[Note] = []
    for i, account in enumerate(accounts if isinstance(accounts, list) else []):
        if not isinstance(account, MutableMapping):
            continue
        for old, new in KUBERNETES_TWICE:
            if old not in account:
                continue
            if new not in account:
                rename(account, old, new)
            else:  # both: the later one is the value Halyard read, kept where the first was
                keys = list(account)
                if keys.index(old) > keys.index(new):
                    account[new] = account[old]
                delete(account, old)
            notes.append(f"providers.kubernetes.accounts[{i}].{old} -> {new}")
    return notes


def renames(root: MutableMapping[Any, Any]) -> list[Note]:
    notes: list[Note] = []
    for path, old, new in RENAMES:
        mapping = _at(root, path)
        if mapping is not None and old in mapping and new not in mapping:
            rename(mapping, old, new)
            notes.append(f"{path}.{old} -> {path}.{new}")
    for path, key, why in REMOVALS:
        mapping = _at(root, path)
        if mapping is not None and key in mapping:
            delete(mapping, key)
            notes.append(f"{(path + '.' if path else '')}{key} removed: {why}")
    return notes


def oauth2_provider(root: MutableMapping[Any, Any]) -> list[Note]:
    """``provider: google`` (hal's CLI spelling) -> ``GOOGLE`` (what Halyard saved)."""
    oauth2 = _at(root, "security.authn.oauth2")
    value = oauth2.get("provider") if oauth2 is not None else None
    if oauth2 is None or not isinstance(value, str) or value == value.upper():
        return []
    if value.upper() not in ("GOOGLE", "GITHUB", "ORACLE", "AZURE", "OTHER"):
        return []
    oauth2["provider"] = value.upper()
    return [f"security.authn.oauth2.provider: {value} -> {value.upper()}"]


def typos(root: MutableMapping[Any, Any]) -> list[Note]:
    """Unknown keys with exactly one close known key (and that key not written too) are renamed."""
    from spinconf.model.config import complete_config
    from spinconf.model.errors import field_names, model_at
    from spinconf.suggest import unique_match

    config = complete_config()
    notes: list[Note] = []

    def walk(node: Any, path: tuple[Any, ...], users_keys: bool) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, (*path, i), False)
            return
        model = model_at(config, path) if isinstance(node, MutableMapping) else None
        if model is None:
            return
        names = field_names(model)
        for key in list(node):
            if users_keys:  # plugin ids, account names, ...: the user's own
                walk(node[key], (*path, key), False)
                continue
            if isinstance(key, str) and key not in names:
                if _known_form((*path, key)):
                    continue  # a Halyard form: its own rule rewrites it, or it stays with its hint
                match = unique_match(key, names)
                if match is None or match in node:
                    continue
                rename(node, key, match)
                notes.append(f"{_spell((*path, key))} -> {match}")
                key = match
            field = next((f for n, f in model.model_fields.items() if key in (n, f.alias)), None)
            walk(node[key], (*path, key), field is not None and _is_map(field.annotation))

    walk(root, (), False)
    return notes


def _known_form(path: tuple[Any, ...]) -> bool:
    from spinconf.model.halyard_only import dropped_reason
    from spinconf.model.legacy import halyard_hint

    return fixable(path) or halyard_hint(path) is not None or dropped_reason(path) is not None


def _is_map(annotation: Any) -> bool:
    """A ``dict[str, X]`` field (or an optional one): its keys are the user's, not the model's."""
    import typing

    if typing.get_origin(annotation) is dict:
        return True
    return any(typing.get_origin(a) is dict for a in typing.get_args(annotation))


def _spell(path: tuple[Any, ...]) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


RULES: tuple[Rule, ...] = (
    typos,
    store_type,
    canary_list,
    provider_version,
    kubernetes_twice,
    renames,
    oauth2_provider,
    typos,
)


def apply(root: Any) -> list[Note]:
    if not isinstance(root, MutableMapping):
        return []
    notes: list[Note] = []
    for rule in RULES:
        notes += rule(root)
    return notes


def fixable(path: tuple[Any, ...], value: Any = None) -> bool:
    """Whether ``spinconf fix`` rewrites the key at ``path`` (holding ``value``, when known)."""
    if path[:2] == ("providers", "kubernetes") and path[-1:] == ("providerVersion",):
        return str(value).upper() != "V1"  # a V1 account stays: it cannot run since 1.21 (an error)
    pattern = ".".join("*" if isinstance(p, int) else str(p) for p in path)
    if pattern in FIXABLE:
        return True
    parts = pattern.split(".")
    return any(".".join([*parts[:i], "*", *parts[i + 1 :]]) in FIXABLE for i in range(len(parts)))
