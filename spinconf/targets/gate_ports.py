"""gate's listening ports as the load balancers in front of it must see them.

One place decides, so that gate.yml, the task definition (port mappings, container health
check) and the Terraform module's target groups cannot disagree:

- ``speaks_https``: gate's main port (8084) terminates TLS itself when
  ``security.apiSecurity.ssl.enabled`` (or a profile's ``server.ssl.enabled``) is true; its target
  group, health check and Service Connect port then speak HTTPS, not HTTP.
- ``x509_port``: the second connector for client certificates. kork's Tomcat customizer adds it
  only when gate terminates TLS (``@ConditionalOnExpression("${server.ssl.enabled:false}")``) and
  ``default.apiPort > 0``, copying the main connector's keystore and truststore with client
  authentication required (kork/kork-tomcat/.../kork/tomcat/TomcatConfiguration.java and
  TomcatConfigurationProperties.java on spinnaker/spinnaker release-2025.4.x; kork-web's
  TomcatConfiguration before the monorepo, 1.22 and 1.30 alike). Halyard's docs put the port at 8085.

The target groups (targets/load_balancers.py) ask ``speaks_https`` too; a network load balancer in
front of the x509 port passes TCP through (a TLS listener would end TLS at the load balancer and
drop the client certificate) and checks health over TCP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spinconf.model.config import Config

X509_PORT = 8085  # Halyard's and Spinnaker's docs: default.apiPort for x509 clients


def _profile(config: Config, *path: str) -> Any:
    node: Any = (config.profiles or {}).get("gate")
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def speaks_https(config: Config) -> bool:
    """Whether gate's main port terminates TLS (a profile's ``server.ssl.enabled`` wins: it merges last)."""
    own = _profile(config, "server", "ssl", "enabled")
    if isinstance(own, bool):
        return own
    sec = config.security
    ssl = sec.apiSecurity.ssl if sec is not None and sec.apiSecurity is not None else None
    return ssl is not None and ssl.enabled is True


def x509_enabled(config: Config) -> bool:
    sec = config.security
    x509 = sec.authn.x509 if sec is not None and sec.authn is not None else None
    return x509 is not None and x509.enabled is True


def configured_x509_port(config: Config) -> int:
    """``default.apiPort`` as the project sets it (a gate profile), else 8085."""
    own = _profile(config, "default", "apiPort")
    return own if isinstance(own, int) and not isinstance(own, bool) else X509_PORT


def x509_port(config: Config, main_port: int | None = None) -> int | None:
    """The port gate accepts client certificates on, or None when kork would open none.

    None without x509, without TLS in gate, with a port of 0 or less, or with the main port
    (``main_port``) itself: checks/gate.py says what to add for each.
    """
    if not x509_enabled(config) or not speaks_https(config):
        return None
    port = configured_x509_port(config)
    if port <= 0 or port == main_port:
        return None
    return port
