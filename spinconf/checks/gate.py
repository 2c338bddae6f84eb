"""Rules: gate as it runs behind its load balancers (x509 on a port of its own, its redis).

What gate's ports are is decided in one place, spinconf/targets/gate_ports.py (kork's second
Tomcat connector, gate's TLS); these rules say what to add when that place finds no port.
"""

from __future__ import annotations

import re

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, report, text
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.provenance import written_origin
from spinconf.services.context import service, topology
from spinconf.targets import gate_ports

X509_UNUSABLE = rule(
    "x509-unusable",
    Severity.ERROR,
    "on the ECS target, enabled x509 has a port of its own: gate terminates TLS with a keystore "
    "(security.apiSecurity.ssl) and default.apiPort is a port other than gate's own",
    applies_to=("security.authn.x509.enabled", "security.apiSecurity.ssl", "profiles.gate.default.apiPort"),
)
GATE_REDIS_DATABASE = rule(
    "gate-redis-database",
    Severity.WARNING,
    "gate's redis URL names database 0: gate's session store ignores the database index",
    applies_to=("services.gate.redis.url",),
)

_DATABASE = re.compile(r"^rediss?://[^/]*/(\d+)/?$")


def _x509_at(project: Project) -> tuple[str, ...]:
    path = ("security", "authn", "x509", "enabled")
    return path if written_origin(project.tree, path) is not None else path[:-1]


def _ssl_at(project: Project) -> tuple[str, ...]:
    path = ("security", "apiSecurity", "ssl", "enabled")
    return path if written_origin(project.tree, path) is not None else ("security", "apiSecurity", "ssl")


@check
def x509_port(project: Project) -> None:
    """x509 behind a network load balancer needs gate's own TLS and kork's second connector.

    kork/kork-tomcat TomcatConfiguration (spinnaker/spinnaker release-2025.4.x; kork-web before):
    the connector exists only with ``server.ssl.enabled`` and ``default.apiPort > 0``, and it copies
    the main connector's keystore. Off the ECS target the authn-incomplete warning covers TLS.
    """
    config = config_of(project)
    if config.ecs is None or not gate_ports.x509_enabled(config):
        return
    if not topology(config).is_enabled("gate"):
        return
    ssl = config.security.apiSecurity.ssl if config.security and config.security.apiSecurity else None
    if not gate_ports.speaks_https(config):
        report(
            project,
            X509_UNUSABLE,
            _x509_at(project),
            "x509 needs TLS in gate itself (a load balancer that ends TLS drops the client certificate): "
            "add security.apiSecurity.ssl with enabled: true, keyStore, keyStorePassword, trustStore and "
            "trustStorePassword; kork then opens the x509 port (default.apiPort) beside gate's own",
        )
        return
    if ssl is not None and ssl.enabled is True and ssl.keyStore is None:
        report(
            project,
            X509_UNUSABLE,
            _ssl_at(project),
            "gate's TLS has no keyStore: add security.apiSecurity.ssl.keyStore (and keyStorePassword); "
            "Tomcat does not start without one",
        )
    main = topology(config).ports["gate"]
    port = gate_ports.configured_x509_port(config)
    own = ("profiles", "gate", "default", "apiPort")
    if written_origin(project.tree, own) is None and port == main:
        report(
            project,
            X509_UNUSABLE,
            ("services", "gate", "port"),
            f"gate's own port is {main}, the x509 port's default: set profiles.gate.default.apiPort to another port",
        )
    elif port <= 0 or port == main:
        why = "opens no x509 port" if port <= 0 else f"is gate's own port {main}"
        report(
            project,
            X509_UNUSABLE,
            own,
            f"default.apiPort {port} {why}: remove it (x509 then gets {gate_ports.X509_PORT}) or give another port",
        )


@check
def gate_redis_database(project: Project) -> None:
    """gate's session store (gate-web PostConnectionConfiguringJedisConnectionFactory: host, port,
    password and TLS from ``redis.connection``, no database; spinnaker/gate release-1.22.x and
    release-1.30.x, spinnaker/spinnaker release-2025.4.x) always uses database 0. Only its rate
    limiter (a JedisPool on the whole URI, GateConfig / RedisConfig) honours the index."""
    config = config_of(project)
    redis = service(config, "gate").redis
    url = text(redis.url) if redis is not None else None
    found = _DATABASE.match(url) if url is not None else None
    if found is None or int(found.group(1)) == 0:
        return
    index = found.group(1)
    report(
        project,
        GATE_REDIS_DATABASE,
        ("services", "gate", "redis", "url"),
        f"gate keeps its sessions in database 0 whatever the URL says (its session store ignores /{index}); "
        f"only its rate limiter uses database {index}: /{index} does not separate gate's sessions from "
        "another service on database 0. Give gate a redis of its own, or write /0 to say what happens",
    )
