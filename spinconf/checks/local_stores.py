"""Where a rendered service would reach a store or a peer at ``localhost``: shared by the ECS rule
(ecs-localhost, checks/ecs.py) and the cluster rules (localhost-address, checks/cluster.py).

Each service's bundled <svc>.yml reads ``redis.connection: ${services.redis.baseUrl:redis://localhost:6379}``
and ``${services.<svc>.baseUrl:http://localhost:<port>}``: a service nobody points elsewhere talks
to its own host, which is only right when everything shares one.
"""

from __future__ import annotations

from typing import Any

from spinconf.checks._util import iter_strings

# Services that keep state in redis unless SQL replaces it (True: SQL replaces it; their bundled
# <svc>.yml reads redis.connection: ${services.redis.baseUrl:redis://localhost:6379}).
REDIS_USERS = {"clouddriver": True, "orca": True, "fiat": True, "gate": False, "igor": False, "rosco": False}
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
# the keys an address sits under (services/stores.py, a peer's baseUrl)
ADDRESS_KEYS = ("jdbcUrl", "connection", "baseUrl", "url")


def is_local(url: str) -> bool:
    return any(f"//{host}" in url or f"@{host}" in url for host in LOCAL_HOSTS)


def key_text(path: tuple[Any, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def local_addresses(
    doc: Any, keys: tuple[str, ...], roots: tuple[str, ...] | None = None
) -> list[tuple[tuple[Any, ...], str]]:
    """The local addresses in a service's own document under ``keys``: the whole document, or only
    under ``roots`` (the cluster rule looks at the stores alone, so 5,000 accounts are not walked)."""
    if not isinstance(doc, dict):
        return []
    parts = [((), doc)] if roots is None else [((root,), doc.get(root)) for root in roots]
    found = [
        ((*at, *path), value)
        for at, part in parts
        if isinstance(part, dict | list)
        for path, value in iter_strings(part, is_local)  # paths are built for local addresses only
        if str(path[-1]) in keys
    ]
    return sorted(found, key=lambda hit: key_text(hit[0]))


def has_redis(docs: dict[str, Any], svc: str) -> bool:
    """Whether ``svc``'s files give it a redis (or turn it off), its own or the shared ``services.redis``."""
    own = docs.get(f"{svc}.yml", {})
    redis = own.get("redis") if isinstance(own, dict) else None
    if isinstance(redis, dict) and (redis.get("enabled") is False or isinstance(redis.get("connection"), str)):
        return True
    for doc in docs.values():
        services = doc.get("services") if isinstance(doc, dict) else None
        shared = services.get("redis") if isinstance(services, dict) else None
        if isinstance(shared, dict) and isinstance(shared.get("baseUrl"), str):
            return True
    return False


def redis_on_localhost(docs: dict[str, Any], svc: str) -> bool:
    """Whether ``svc`` would fall back to ``redis://localhost:6379``: it keeps state in redis (and SQL
    does not replace it) and nothing gives it one."""
    if svc not in REDIS_USERS:
        return False
    own = docs.get(f"{svc}.yml", {})
    uses_sql = isinstance(own.get("sql") if isinstance(own, dict) else None, dict)
    return not (REDIS_USERS[svc] and uses_sql) and not has_redis(docs, svc)
