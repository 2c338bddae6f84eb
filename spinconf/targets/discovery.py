"""How ECS services find each other: the one decision behind peer URLs and published names.

Every Spring file calls a peer at ``services.<svc>.baseUrl`` (spinnaker.yml); on ECS something
must publish that name. ``ecs.discovery.mode`` says what, and this module derives both sides
from the same setting so they cannot disagree:

- ``cloudMap`` (default): a private DNS namespace (``ecs.discovery.namespace``, default
  ``spinnaker.internal``) with one service registration per Spinnaker service; awsvpc tasks
  register A records, so the URL's port must be the task's own. Any task in the VPC resolves it.
- ``serviceConnect``: a client alias per service whose ``dnsName`` and ``port`` are the URL's
  host and port (the alias may be a full name such as ``orca.spinnaker.internal``). Only tasks
  with Service Connect that started after the server resolve it.
- ``loadBalancer``: a target group per service on an internal ALB, routed by host header.

``ecs.serviceUrl`` (a template with ``{service}`` and ``{port}``), when given, is the setting:
the published names are derived from its host. Without it the URL is
``http://<svc>.<namespace>:<port>``. This module is imported by services/context.py at start:
keep it free of heavy imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from spinconf.model.ecs import Ecs

DEFAULT_NAMESPACE = "spinnaker.internal"
_SCHEME_PORT = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Discovery:
    mode: str
    namespace: str
    template: str
    source: str  # the setting that decides: "ecs.serviceUrl" or "ecs.discovery"
    problem: str | None  # why the mode cannot publish the template's host (reported at ecs.serviceUrl)

    def url(self, svc: str, port: int) -> str:
        return self.template.replace("{service}", svc).replace("{port}", str(port))

    def host(self, svc: str, port: int) -> str:
        return urlsplit(self.url(svc, port)).hostname or svc

    def port(self, svc: str, port: int) -> int:
        """The port peers call (the client alias port, the load balancer listener's)."""
        parts = urlsplit(self.url(svc, port))
        return parts.port or _SCHEME_PORT.get(parts.scheme, 80)

    def registry_name(self, svc: str, port: int) -> str:
        """The Cloud Map service name: the host without the namespace."""
        host = self.host(svc, port)
        suffix = "." + self.namespace
        return host[: -len(suffix)] if host.endswith(suffix) else host.split(".", 1)[0]


def decide(ecs: Ecs | None) -> Discovery:
    settings = ecs.discovery if ecs is not None else None
    mode = settings.mode if settings is not None else "cloudMap"
    given = settings.namespace if settings is not None and isinstance(settings.namespace, str) else None
    template = ecs.serviceUrl if ecs is not None and isinstance(ecs.serviceUrl, str) else None
    if template is None:
        namespace = given or DEFAULT_NAMESPACE
        return Discovery(mode, namespace, f"http://{{service}}.{namespace}:{{port}}", "ecs.discovery", None)
    host, port = _host_and_port(template)
    domain = host.split(".", 1)[1] if "." in host else ""
    namespace = given or (domain if domain and "{" not in domain else DEFAULT_NAMESPACE)
    problem = _template_problem(template) or _problem(mode, host, port, namespace, given)
    return Discovery(mode, namespace, template, "ecs.serviceUrl", problem)


def _template_problem(template: str) -> str | None:
    # the services call peers with OkHttp (Retrofit clients) or Spring's WebClient, which speak
    # http and https only; a URL without either fails at start-up ("Expected URL scheme")
    scheme = template.split("://", 1)[0].lower() if "://" in template else ""
    if scheme not in _SCHEME_PORT:
        return "Spinnaker's services call their peers over http or https: start the URL with http:// or https://"
    unknown = sorted(set(re.findall(r"\{[^{}]*\}", template)) - {"{service}", "{port}"})
    if unknown:
        return f"only {{service}} and {{port}} are filled in: {', '.join(unknown)} would stay in the URL as written"
    return None


def _host_and_port(template: str) -> tuple[str, str]:
    """The template's host and port text, placeholders kept (``{service}.ns``, ``{port}``)."""
    rest = template.split("://", 1)[1] if "://" in template else template
    authority = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = authority.partition(":") if not authority.startswith("[") else (authority, "", "")
    return host.lower(), port


def _problem(mode: str, host: str, port: str, namespace: str, given: str | None) -> str | None:
    if mode == "cloudMap":
        first, _, domain = host.partition(".")
        if "{service}" not in first or not domain or "{" in domain:
            return (
                f"Cloud Map publishes <name>.<namespace>: the host {host!r} needs {{service}} in its first label "
                f"and a namespace after it (e.g. {{service}}.{namespace})"
            )
        if given is not None and domain != given.lower():
            return f"the host {host!r} is not in ecs.discovery.namespace {given!r}, where Cloud Map registers"
        if port != "{port}":
            # awsvpc tasks register A records: the name leads to the task, which listens on its own port
            return "Cloud Map A records lead to the task itself: the URL's port must be {port}"
    elif mode == "serviceConnect":
        if "{service}" not in host and "{port}" not in port:
            return "each Service Connect client alias (name and port) is unique: put {service} in the host"
    elif "{service}" not in host:
        return "an internal load balancer routes peers by host name: put {service} in the host"
    return None
