"""ECS discovery: the names the Spring files call are the names published, in every mode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from spinconf.diagnostics import Diagnostic
from spinconf.loader import load_project
from spinconf.render import Rendered
from tests.helpers import REPO, make_project, render_ok, service_doc
from tests.targets.projects import ECS, GATE_TLS, fargate

TARGET_GROUP = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/{svc}/0123456789abcdef"
CALLED = ("clouddriver", "echo", "front50", "orca", "rosco")  # the peers the fixture's services call


def errors(root: Path) -> list[Diagnostic]:
    return [d for d in load_project(root).diagnostics.sorted() if d.is_error]


def called_urls(rendered: Rendered) -> dict[str, str]:
    """Every peer base URL the Spring files call (spinnaker.yml of each Java service), by peer."""
    urls: dict[str, str] = {}
    for path in rendered.files:
        if path.endswith("/spinnaker.yml"):
            doc = service_doc(rendered, path.split("/")[1], "spinnaker.yml")
            for peer, entry in doc.get("services", {}).items():
                if isinstance(entry, dict) and isinstance(entry.get("baseUrl"), str):
                    assert urls.setdefault(peer, entry["baseUrl"]) == entry["baseUrl"]
    return urls


def discovered_urls(rendered: Rendered) -> dict[str, str]:
    """The peer URLs ECS discovery must publish (not the public ones from security.*.overrideBaseUrl)."""
    assert rendered.context is not None
    rules = rendered.context.topology.url_rules
    return {peer: url for peer, url in called_urls(rendered).items() if rules[peer].startswith("ecs.")}


def service_json(rendered: Rendered, svc: str) -> dict[str, Any] | None:
    data = rendered.files.get(f"ecs/{svc}.service.json")
    return json.loads(data) if data is not None else None


def test_default_project_writes_no_service_definition_that_publishes_nothing() -> None:
    # every service.json rendered for spinconf's own project once lacked serviceRegistries,
    # serviceConnectConfiguration and loadBalancers: peers would fail DNS
    _, rendered = render_ok(REPO)
    written = [p for p in rendered.files if p.endswith(".service.json")]
    for path in written:
        doc = json.loads(rendered.files[path])
        assert {"serviceRegistries", "serviceConnectConfiguration", "loadBalancers"} & set(doc), path
    assert "terraform/discovery.tf.json" in rendered.files or written


# a URL without a port is called on its scheme's (RFC 3986 section 3.2.3; urllib leaves it None)
_SCHEME_PORTS = {"http": 80, "https": 443}


@pytest.mark.parametrize(
    ("overlay", "orca", "namespace"),
    [
        ("ecs:\n  discovery: {mode: serviceConnect}\n", "http://orca.spinnaker.internal:8083", "spinnaker.internal"),
        (
            "ecs:\n  discovery: {mode: serviceConnect, namespace: spin.local}\n",
            "http://orca.spin.local:8083",
            "spin.local",
        ),
        # a template without a port: peers call port 80, which the alias must listen on
        (
            "ecs:\n  discovery: {mode: serviceConnect}\n  serviceUrl: 'http://{service}.spin.local'\n",
            "http://orca.spin.local",
            "spin.local",
        ),
        (
            "ecs:\n  discovery: {mode: serviceConnect}\n  serviceUrl: 'https://{service}.spin.local'\n",
            "https://orca.spin.local",
            "spin.local",
        ),
    ],
)
def test_service_connect_aliases_are_the_names_the_spring_files_call(
    tmp_path: Path, overlay: str, orca: str, namespace: str
) -> None:
    # a registryArn is a Cloud Map registration: Service Connect publishes the names itself
    registry = "arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-1"
    files = fargate(extra={"overlays/registry.yml": f"services:\n  orca:\n    ecs:\n      registryArn: {registry}\n"})
    # the template (or its absence) is the case's own
    files["overlays/ecs.yml"] = files["overlays/ecs.yml"].replace(
        "  serviceUrl: http://{service}.spinnaker.internal:{port}\n", ""
    )
    files["overlays/discovery.yml"] = overlay
    _, rendered = render_ok(make_project(tmp_path, files))
    urls = called_urls(rendered)
    assert urls["orca"] == orca
    for peer in CALLED:
        config = service_json(rendered, peer)
        assert config is not None
        assert "serviceRegistries" not in config
        (server,) = config["serviceConnectConfiguration"]["services"]
        (alias,) = server["clientAliases"]
        called = urlsplit(urls[peer])
        assert (alias["dnsName"], alias["port"]) == (called.hostname, called.port or _SCHEME_PORTS[called.scheme])
        assert config["serviceConnectConfiguration"]["namespace"] == namespace
    aliases = [
        (a["dnsName"], a["port"])
        for svc in ("clouddriver", "deck", "echo", "front50", "gate", "orca", "rosco")
        for s in (service_json(rendered, svc) or {})["serviceConnectConfiguration"]["services"]
        for a in s["clientAliases"]
    ]
    assert len(aliases) == len(set(aliases))  # each name and port pair is unique in the namespace


def test_without_a_url_template_peers_are_called_at_their_cloud_map_names(tmp_path: Path) -> None:
    ecs = ECS.replace("  serviceUrl: http://{service}.spinnaker.internal:{port}\n", "")
    _, rendered = render_ok(make_project(tmp_path, {**fargate(), "overlays/ecs.yml": ecs}))
    urls = called_urls(rendered)
    assert {peer: urls[peer] for peer in ("clouddriver", "orca")} == {
        "clouddriver": "http://clouddriver.spinnaker.internal:7002",
        "orca": "http://orca.spinnaker.internal:8083",
    }
    # Cloud Map without registry ARNs: Terraform registers the services, so no service.json
    assert service_json(rendered, "orca") is None


def test_the_namespace_setting_moves_the_urls_and_the_registrations(tmp_path: Path) -> None:
    ecs = ECS.replace("  serviceUrl: http://{service}.spinnaker.internal:{port}\n", "")
    overlay = "ecs:\n  discovery: {namespace: spin.corp.internal}\n"
    root = make_project(tmp_path, {**fargate(extra={"overlays/discovery.yml": overlay}), "overlays/ecs.yml": ecs})
    _, rendered = render_ok(root)
    assert called_urls(rendered)["front50"] == "http://front50.spin.corp.internal:8080"


@pytest.mark.parametrize(
    ("mode", "template", "expected"),
    [
        ("cloudMap", "http://{service}:{port}", "needs {service} in its first label and a namespace after it"),
        ("cloudMap", "http://{service}.spinnaker.internal:80", "the URL's port must be {port}"),
        ("loadBalancer", "http://spinnaker.internal:{port}", "routes peers by host name"),
        ("cloudMap", "ftp://{service}.spinnaker.internal:{port}", "call their peers over http or https"),
    ],
)
def test_a_url_template_the_mode_cannot_publish_is_an_error_at_its_line(
    tmp_path: Path, mode: str, template: str, expected: str
) -> None:
    ecs = ECS.replace("http://{service}.spinnaker.internal:{port}", template)
    overlay = f"ecs:\n  discovery: {{mode: {mode}}}\n"
    root = make_project(tmp_path, {**fargate(extra={"overlays/discovery.yml": overlay}), "overlays/ecs.yml": ecs})
    (found,) = [d for d in errors(root) if d.code == "ecs-service-url-unpublishable"]
    assert (found.file, found.line) == ("overlays/ecs.yml", 7)
    assert expected in found.message and template in found.message


LB_MODE = """
ecs:
  discovery: {mode: loadBalancer}
  loadBalancers:
    internal: {type: application, internal: true}
services:
"""


def test_load_balancer_mode_without_a_target_group_names_the_callers_and_what_to_set(tmp_path: Path) -> None:
    attached = "".join(
        f"  {svc}:\n    ecs:\n      loadBalancers: [{{loadBalancer: internal}}]\n"
        for svc in ("clouddriver", "echo", "front50", "orca")
    )
    root = make_project(tmp_path, fargate(extra={"overlays/discovery.yml": LB_MODE + attached}))
    found = [d for d in errors(root) if d.code == "ecs-peer-unreachable"]
    assert [d.message.split(" at ")[0] for d in found] == ["orca calls rosco"]
    assert "http://rosco.spinnaker.internal:8087" in found[0].message
    assert "services.rosco.ecs.loadBalancers: [{loadBalancer:" in found[0].message
    assert "containerPort: 8087" in found[0].message
    # rosco has a section in overlays/stores.yml: the error is where its load balancers would go
    assert (found[0].file, found[0].line) == ("overlays/stores.yml", 14)


def test_load_balancer_mode_with_every_peer_attached_is_valid(tmp_path: Path) -> None:
    attached = "".join(
        f"  {svc}:\n    ecs:\n      loadBalancers: [{{targetGroupArn: '{TARGET_GROUP.format(svc=svc)}'}}]\n"
        for svc in CALLED
    )
    _, rendered = render_ok(make_project(tmp_path, fargate(extra={"overlays/discovery.yml": LB_MODE + attached})))
    orca = service_json(rendered, "orca")
    assert orca is not None
    assert orca["loadBalancers"] == [
        {"targetGroupArn": TARGET_GROUP.format(svc="orca"), "containerName": "orca", "containerPort": 8083}
    ]


def test_a_load_balancer_on_a_port_the_task_does_not_map_is_an_error_at_its_line(tmp_path: Path) -> None:
    overlay = """\
    ecs:
      loadBalancers:
        public: {type: application}
    services:
      gate:
        ecs:
          loadBalancers:
            - loadBalancer: public
              containerPort: 8089
            - loadBalancer: nowhere
    """
    root = make_project(tmp_path, fargate(extra={"overlays/lb.yml": overlay}))
    found = {d.code: d for d in errors(root)}
    port = found["ecs-load-balancer-port-unmapped"]
    assert (port.file, port.line) == ("overlays/lb.yml", 9)
    assert port.message == "gate's task maps 8084, not 8089: ECS rejects a load balancer on an unmapped port"
    unknown = found["ecs-load-balancer-unknown"]
    assert (unknown.file, unknown.line) == ("overlays/lb.yml", 10)
    assert "'nowhere' is not in ecs.loadBalancers (public)" in unknown.message


def test_gate_x509_port_can_be_a_target_of_its_own(tmp_path: Path) -> None:
    overlay = (
        "security:\n  authn:\n    x509: {enabled: true}\n"
        + GATE_TLS
        + "ecs:\n  loadBalancers:\n    x509: {type: network}\n"
        + "services:\n  gate:\n    ecs:\n      loadBalancers: [{loadBalancer: x509, containerPort: 8085}]\n"
    )
    _, rendered = render_ok(make_project(tmp_path, fargate(extra={"overlays/lb.yml": overlay})))
    groups = json.loads(rendered.files["terraform/locals.tf.json"])["locals"]["target_groups"]
    x509 = groups["gate.x509.8085"]
    assert (x509["port"], x509["protocol"], x509["health_check"]["protocol"]) == (8085, "TCP", "TCP")


def test_networking_from_terraform_validates_and_renders_task_definitions_only(tmp_path: Path) -> None:
    ecs = ECS.split("  network:")[0] + "  environment:\n    TZ: UTC\n"
    root = make_project(tmp_path, {**fargate(), "overlays/ecs.yml": ecs})
    run = subprocess.run(
        [sys.executable, "-m", "spinconf", "validate", str(root)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    _, rendered = render_ok(root)
    assert "ecs/orca.taskdef.json" in rendered.files
    assert not [p for p in rendered.files if p.endswith(".service.json")]


def test_deck_gate_url_on_a_discovery_name_is_still_unreachable_for_browsers(tmp_path: Path) -> None:
    ecs = ECS.replace("  serviceUrl: http://{service}.spinnaker.internal:{port}\n", "")
    root = make_project(tmp_path, {**fargate(), "overlays/ecs.yml": ecs})
    stores = (root / "overlays/stores.yml").read_text()
    (root / "overlays/stores.yml").write_text(
        stores.replace("overrideBaseUrl: https://api.spinnaker.example.com", "{}")
    )
    (found,) = [d for d in errors(root) if d.code == "ecs-gate-url-unreachable"]
    assert "deck's gateUrl would be http://gate.spinnaker.internal:8084" in found.message


def test_a_service_on_a_declared_load_balancer_is_left_to_terraform(tmp_path: Path) -> None:
    # its target group is the module's: a service.json without it would register deck nowhere
    overlay = """\
    ecs:
      discovery: {mode: serviceConnect}
      loadBalancers:
        public: {type: application}
    services:
      deck:
        ecs:
          loadBalancers: [{loadBalancer: public}]
    """
    _, rendered = render_ok(make_project(tmp_path, fargate(extra={"overlays/discovery.yml": overlay})))
    assert service_json(rendered, "deck") is None
    assert service_json(rendered, "orca") is not None  # the others are usable as written
    module = json.loads(rendered.files["terraform/locals.tf.json"])["locals"]["services"]
    assert module["deck"]["target_groups"] == [{"key": "deck.public.9000", "port": 9000}]


@pytest.mark.parametrize(
    ("template", "mode", "namespace", "expected_namespace", "problem"),
    [
        # a path (one segment or more), a user part, a "://" later in the URL: the host is the authority's
        ("http://{service}.spinnaker.internal:{port}/api/v1", "cloudMap", None, "spinnaker.internal", None),
        ("http://user:pass@{service}.spinnaker.internal:{port}", "cloudMap", None, "spinnaker.internal", None),
        ("http://{service}.spinnaker.internal:{port}/x?to=http://a", "cloudMap", None, "spinnaker.internal", None),
        # a scheme no Spinnaker client speaks, or none
        (
            "{service}.spin.local:{port}",
            "cloudMap",
            None,
            "spin.local",
            "Spinnaker's services call their peers over http or https: start the URL with http:// or https://",
        ),
        (
            "grpc://{service}.spin.local:{port}",
            "serviceConnect",
            None,
            "spin.local",
            "Spinnaker's services call their peers over http or https: start the URL with http:// or https://",
        ),
        # the host in the namespace given, whatever its case
        ("http://{service}.spinnaker.internal:{port}", "cloudMap", "spinnaker.internal", "spinnaker.internal", None),
        ("http://{service}.Spinnaker.Internal:{port}", "cloudMap", "spinnaker.internal", "spinnaker.internal", None),
        (
            "http://{service}.{svc}.internal:{port}",
            "cloudMap",
            None,
            "spinnaker.internal",
            "only {service} and {port} are filled in: {svc} would stay in the URL as written",
        ),
        (
            "http://{service}.{port}.internal:{port}",
            "cloudMap",
            None,
            "spinnaker.internal",
            "Cloud Map publishes <name>.<namespace>: the host '{service}.{port}.internal' needs {service} in its "
            "first label and a namespace after it (e.g. {service}.spinnaker.internal)",
        ),
        (
            "http://{service}:{port}",
            "cloudMap",
            None,
            "spinnaker.internal",
            "Cloud Map publishes <name>.<namespace>: the host '{service}' needs {service} in its "
            "first label and a namespace after it (e.g. {service}.spinnaker.internal)",
        ),
        (
            "http://{service}.other.internal:{port}",
            "cloudMap",
            "spinnaker.internal",
            "spinnaker.internal",
            "the host '{service}.other.internal' is not in ecs.discovery.namespace 'spinnaker.internal', where Cloud "
            "Map registers",
        ),
        (
            "http://{service}.spinnaker.internal:8080",
            "cloudMap",
            None,
            "spinnaker.internal",
            "Cloud Map A records lead to the task itself: the URL's port must be {port}",
        ),
        # Service Connect: one name with a port per service is as unique as a name per service
        ("http://spinnaker.internal:{port}", "serviceConnect", None, "internal", None),
        # a bare name, or a domain that is itself a template: the default namespace
        ("http://{service}:{port}", "serviceConnect", None, "spinnaker.internal", None),
        (
            "http://{service}.{region}.internal:{port}",
            "serviceConnect",
            None,
            "spinnaker.internal",
            "only {service} and {port} are filled in: {region} would stay in the URL as written",
        ),
        (
            "http://{service}.{region}.{env}.internal:{port}",
            "serviceConnect",
            None,
            "spinnaker.internal",
            "only {service} and {port} are filled in: {env}, {region} would stay in the URL as written",
        ),
        (
            "http://spinnaker.internal:8080",
            "serviceConnect",
            None,
            "internal",
            "each Service Connect client alias (name and port) is unique: put {service} in the host",
        ),
        (
            "http://spinnaker.internal:{port}",
            "loadBalancer",
            None,
            "internal",
            "an internal load balancer routes peers by host name: put {service} in the host",
        ),
    ],
)
def test_what_a_url_template_publishes_in_each_mode(
    template: str, mode: str, namespace: str | None, expected_namespace: str, problem: str | None
) -> None:
    from spinconf.model.ecs import Ecs
    from spinconf.targets.discovery import decide

    discovery: dict[str, str] = {"mode": mode} | ({"namespace": namespace} if namespace else {})
    found = decide(Ecs.model_validate({"serviceUrl": template, "discovery": discovery}))
    assert (found.mode, found.namespace, found.problem) == (mode, expected_namespace, problem)


def test_a_target_group_takes_the_protocol_and_health_check_the_operator_gave(tmp_path: Path) -> None:
    # the role's protocol (a TLS-speaking target behind an ALB), the attachment's own health check,
    # and an HTTP check asked for on a network load balancer (its default is TCP)
    overlay = """\
    ecs:
      loadBalancers:
        public: {type: application, protocol: HTTPS}
        x509: {type: network}
    services:
      deck:
        ecs:
          loadBalancers:
            - {loadBalancer: public, host: deck.example.org, priority: 5,
               healthCheck: {path: /ping, protocol: HTTPS, port: 9001}}
      gate:
        ecs:
          loadBalancers:
            - {loadBalancer: public, path: /api/*}
            - {loadBalancer: x509, healthCheck: {protocol: HTTP}}
      rosco:
        ecs:
          loadBalancers: [{loadBalancer: x509, healthCheck: {path: /ignored}}]  # a TCP check has no path
    """
    _, rendered = render_ok(make_project(tmp_path, fargate(extra={"overlays/lb.yml": overlay})))
    groups = json.loads(rendered.files["terraform/locals.tf.json"])["locals"]["target_groups"]
    deck, gate, gate_x509 = groups["deck.public.9000"], groups["gate.public.8084"], groups["gate.x509.8084"]
    # the listener rules: the attachment's host or path, and its priority where given
    assert (deck["hosts"], deck["paths"], deck["priority"]) == (["deck.example.org"], [], 5)
    assert (gate["hosts"], gate["paths"]) == ([], ["/api/*"])
    assert groups["rosco.x509.8087"]["health_check"] == {"protocol": "TCP", "port": "traffic-port"}
    assert (deck["protocol"], deck["health_check"]) == (
        "HTTPS",
        {"protocol": "HTTPS", "port": "9001", "path": "/ping", "matcher": "200"},
    )
    assert (gate["protocol"], gate["health_check"]) == (
        "HTTPS",
        {"protocol": "HTTP", "port": "traffic-port", "path": "/health", "matcher": "200"},
    )
    assert (gate_x509["protocol"], gate_x509["health_check"]) == (
        "TCP",
        {"protocol": "HTTP", "port": "traffic-port", "path": "/health", "matcher": "200"},
    )
