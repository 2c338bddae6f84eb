"""Rules: on ECS every peer a service calls is published under the name it is called at.

The decision is targets/discovery.py's (one setting for the URL and the published name); these
rules judge the whole deployment: a template the chosen mode cannot publish, a peer that nothing
publishes (loadBalancer mode without its target group), a load balancer attachment that ECS would
reject (a port the task does not map, a load balancer nobody declared).
"""

from __future__ import annotations

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, report
from spinconf.checks.services import NEEDS
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.model.services import SERVICE_NAMES
from spinconf.services.context import service, topology

ERROR = Severity.ERROR
UNPUBLISHABLE = rule(
    "ecs-service-url-unpublishable",
    ERROR,
    "ecs.serviceUrl is an http(s) URL whose host is a name the chosen discovery (ecs.discovery.mode) can publish",
    ("ecs.serviceUrl", "ecs.discovery"),
)
UNREACHABLE = rule(
    "ecs-peer-unreachable",
    ERROR,
    "every peer an enabled service calls is published by the chosen discovery",
    ("ecs.discovery", "services.*.ecs.loadBalancers"),
)
LB_UNKNOWN = rule(
    "ecs-load-balancer-unknown",
    ERROR,
    "services.<svc>.ecs.loadBalancers[] names a load balancer in ecs.loadBalancers, or gives a targetGroupArn",
    ("services.*.ecs.loadBalancers", "ecs.loadBalancers"),
)
LB_PORT = rule(
    "ecs-load-balancer-port-unmapped",
    ERROR,
    "a load balancer's containerPort is a port the service's task maps",
    ("services.*.ecs.loadBalancers",),
)


@check
def peers_published(project: Project) -> None:
    config = config_of(project)
    if config.ecs is None:
        return
    from spinconf.targets.discovery import decide
    from spinconf.targets.load_balancers import targets

    peers = decide(config.ecs)
    topo = topology(config)
    if peers.problem is not None:
        report(project, UNPUBLISHABLE, ("ecs", "serviceUrl"), f"ecs.serviceUrl {peers.template}: {peers.problem}")
        return
    if peers.mode != "loadBalancer":
        return  # every enabled service gets its registration or client alias, named from the same setting
    for peer in SERVICE_NAMES:
        if not topo.is_enabled(peer) or topo.url_rules.get(peer) != peers.source:
            continue  # a base URL the operator set (services.<svc>.baseUrl, overrideBaseUrl) is theirs
        callers = sorted(c for c, needs in NEEDS.items() if topo.is_enabled(c) and peer in dict(needs))
        port = topo.ports[peer]
        internal = [
            t
            for t in targets(config, peer, port)
            if t.container_port == port and (t.arn is not None or (t.role is not None and t.role.internal is True))
        ]
        if callers and not internal:
            verb = "calls" if len(callers) == 1 else "call"
            report(
                project,
                UNREACHABLE,
                ("services", peer, "ecs", "loadBalancers"),
                f"{', '.join(callers)} {verb} {peer} at {topo.base_urls[peer]}, which nothing publishes with "
                f"ecs.discovery.mode loadBalancer: attach {peer} to the internal load balancer "
                f"(services.{peer}.ecs.loadBalancers: [{{loadBalancer: <an internal one in ecs.loadBalancers>, "
                f"containerPort: {port}}}] or a targetGroupArn), or use mode cloudMap",
            )


@check
def load_balancer_attachments(project: Project) -> None:
    config = config_of(project)
    if config.ecs is None:
        return
    from spinconf.render import context_of  # the render context (release, topology) of a valid project
    from spinconf.targets.ecs import port_mappings

    ctx = context_of(project)
    declared = config.ecs.loadBalancers or {}
    for svc in SERVICE_NAMES:
        own = service(config, svc).ecs
        if not ctx.topology.is_enabled(svc) or own is None:
            continue
        mapped = [m["containerPort"] for m in port_mappings(ctx, svc)]
        for index, entry in enumerate(own.loadBalancers or []):
            at = ("services", svc, "ecs", "loadBalancers", index)
            name = entry.loadBalancer
            if isinstance(name, str) and name not in declared:
                known = ", ".join(sorted(declared)) or "none declared"
                report(project, LB_UNKNOWN, (*at, "loadBalancer"), f"{name!r} is not in ecs.loadBalancers ({known})")
            elif name is None and entry.targetGroupArn is None:
                report(project, LB_UNKNOWN, at, "give loadBalancer (a name in ecs.loadBalancers) or targetGroupArn")
            port = entry.containerPort
            if isinstance(port, int) and port not in mapped:
                ports = ", ".join(str(p) for p in mapped)
                report(
                    project,
                    LB_PORT,
                    (*at, "containerPort"),
                    f"{svc}'s task maps {ports}, not {port}: ECS rejects a load balancer on an unmapped port",
                )
