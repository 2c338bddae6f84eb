"""gate behind its load balancers: managed redis, x509 on a port of its own, TLS on 8084, redis DB index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from spinconf.loader import load_project
from spinconf.render import Rendered
from spinconf.targets import gate_ports
from tests.helpers import make_project, render_ok, service_doc
from tests.targets.projects import fargate

runner = CliRunner()
RELEASES = ("1.22.1", "1.30.1", "2025.2.0")

KEYSTORE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/gate-keystore-AbC123"
CA_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/gate-ca-DeF456"
PASSWORD = "encrypted:secrets-manager!r:eu-west-1!s:spinnaker/gate-keystore-password"
X509 = f"""\
# browsers through the ALB (TLS ended there), build machines with certificates through an NLB
security:
  apiSecurity:
    ssl:
      enabled: true
      keyStore: {{secret: gate-keystore}}
      keyStorePassword: '{PASSWORD}'
      trustStore: {{secret: gate-ca}}
      trustStorePassword: '{PASSWORD}'
  authn:
    x509:
      enabled: true
secrets:
  gate-keystore: {{secretsManager: '{KEYSTORE_ARN}'}}
  gate-ca: {{secretsManager: '{CA_ARN}'}}
"""


def render(tmp_path: Path, version: str = "1.30.1", **extra: str) -> tuple[Any, Rendered]:
    return render_ok(make_project(tmp_path, fargate(version, extra=extra)))


def gate_container(rendered: Rendered) -> dict[str, Any]:
    (container,) = json.loads(rendered.files["ecs/gate.containers.json"])
    assert isinstance(container, dict)
    return container


def diagnostics(root: Path, code: str) -> list[Any]:
    return [d for d in load_project(root).diagnostics.sorted() if d.code == code]


# --- redis.configuration.secure --------------------------------------------------------


@pytest.mark.parametrize("version", RELEASES)
def test_gate_on_ecs_never_sends_config_to_its_redis(tmp_path: Path, version: str) -> None:
    _, rendered = render(tmp_path, version)
    assert service_doc(rendered, "gate")["redis"]["configuration"] == {"secure": True}
    # only gate runs Spring Session's CONFIG action
    assert "configuration" not in service_doc(rendered, "orca").get("redis", {})


@pytest.mark.parametrize(
    ("url", "secure"),
    [
        ("redis://spinnaker.x1y2z3.0001.usw2.cache.amazonaws.com:6379", True),
        ("rediss://:pw@clustercfg.spinnaker.x1y2z3.memorydb.us-west-2.amazonaws.com:6379", True),
        ("redis://redis.internal:6379", False),
    ],
)
def test_off_ecs_a_managed_redis_gets_secure(tmp_path: Path, url: str, secure: bool) -> None:
    root = make_project(tmp_path, {"overlays/gate.yml": f"services:\n  gate:\n    redis:\n      url: '{url}'\n"})
    _, rendered = render_ok(root) if "pw@" not in url else _render_warn(root)
    doc = service_doc(rendered, "gate")
    assert doc["redis"].get("configuration") == ({"secure": True} if secure else None)


def _render_warn(root: Path) -> tuple[Any, Rendered]:
    (root / "spinconf.yml").write_text("plaintextSecrets: warn\n")
    return render_ok(root)


def test_a_profile_may_switch_secure_off_again(tmp_path: Path) -> None:
    profile = "profiles:\n  gate:\n    redis:\n      configuration:\n        secure: false\n"
    _, rendered = render(tmp_path, **{"overlays/profiles.yml": profile})
    assert service_doc(rendered, "gate")["redis"]["configuration"] == {"secure": False}


def test_explain_says_why_secure_is_there(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate())
    result = runner.invoke(app, ["explain", "gate", "redis.configuration.secure", str(root)])
    assert result.exit_code == 0, result.output
    assert "= true" in result.output
    assert "overlays/stores.yml:" in result.output and "(services.gate.redis.url)" in result.output
    assert "must not send CONFIG" in result.output


# --- x509 on a port of its own, TLS on 8084 -------------------------------------------


@pytest.mark.parametrize("version", RELEASES)
def test_x509_renders_kork_second_connector_and_maps_it(tmp_path: Path, version: str) -> None:
    _, rendered = render(tmp_path, version, **{"overlays/x509.yml": X509})
    gate = service_doc(rendered, "gate")
    assert gate["default"] == {"apiPort": 8085}
    ssl = gate["server"]["ssl"]
    assert ssl["enabled"] is True
    assert ssl["keyStore"] == f"encryptedFile:secrets-manager!r:eu-west-1!s:{KEYSTORE_ARN}"
    assert ssl["trustStore"] == f"encryptedFile:secrets-manager!r:eu-west-1!s:{CA_ARN}"
    container = gate_container(rendered)
    # both ports speak TLS: no appProtocol, so Service Connect's proxy passes TCP through
    assert container["portMappings"] == [
        {"name": "gate", "containerPort": 8084, "hostPort": 8084, "protocol": "tcp"},
        {"name": "gate-x509", "containerPort": 8085, "hostPort": 8085, "protocol": "tcp"},
    ]
    command = container["healthCheck"]["command"][1]
    assert "https://127.0.0.1:8084/health" in command and "--no-check-certificate" in command


def test_the_x509_port_follows_default_api_port(tmp_path: Path) -> None:
    profile = "profiles:\n  gate:\n    default:\n      apiPort: 8443\n"
    _, rendered = render(tmp_path, **{"overlays/x509.yml": X509, "overlays/profiles.yml": profile})
    assert service_doc(rendered, "gate")["default"] == {"apiPort": 8443}
    ports = [(m["name"], m["containerPort"]) for m in gate_container(rendered)["portMappings"]]
    assert ports == [("gate", 8084), ("gate-x509", 8443)]


def test_gate_without_tls_speaks_http_on_8084(tmp_path: Path) -> None:
    _, rendered = render(tmp_path)
    container = gate_container(rendered)
    assert container["portMappings"] == [
        {"name": "gate", "containerPort": 8084, "hostPort": 8084, "protocol": "tcp", "appProtocol": "http"}
    ]
    assert "http://127.0.0.1:8084/health" in container["healthCheck"]["command"][1]
    assert "default" not in service_doc(rendered, "gate")


def test_helpers_for_the_load_balancers(tmp_path: Path) -> None:
    project, _ = render(tmp_path, **{"overlays/x509.yml": X509})
    config = project.config
    assert gate_ports.speaks_https(config)
    assert gate_ports.x509_port(config, 8084) == 8085
    plain, _ = render(tmp_path / "plain")
    assert not gate_ports.speaks_https(plain.config) and gate_ports.x509_port(plain.config) is None


def test_x509_without_tls_in_gate_is_an_error_saying_what_to_add(tmp_path: Path) -> None:
    overlay = "security:\n  authn:\n    x509:\n      enabled: true\n"
    root = make_project(tmp_path, fargate(extra={"overlays/x509.yml": overlay}))
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "[x509-unusable]" in x)
    assert line.startswith("overlays/x509.yml:4:")
    assert "add security.apiSecurity.ssl with enabled: true, keyStore" in line


def test_x509_on_gate_own_port_is_an_error_at_the_profile(tmp_path: Path) -> None:
    profile = "profiles:\n  gate:\n    default:\n      apiPort: 8084\n"
    root = make_project(tmp_path, fargate(extra={"overlays/x509.yml": X509, "overlays/profiles.yml": profile}))
    (found,) = diagnostics(root, "x509-unusable")
    assert (found.file, found.line) == ("overlays/profiles.yml", 4)
    assert "default.apiPort 8084 is gate's own port 8084" in found.message


def test_tls_without_keystore_is_an_error_at_the_ssl_section(tmp_path: Path) -> None:
    overlay = "security:\n  apiSecurity:\n    ssl:\n      enabled: true\n  authn:\n    x509: {enabled: true}\n"
    root = make_project(tmp_path, fargate(extra={"overlays/x509.yml": overlay}))
    (found,) = diagnostics(root, "x509-unusable")
    assert (found.file, found.line) == ("overlays/x509.yml", 4)
    assert "add security.apiSecurity.ssl.keyStore" in found.message


# --- gate's redis database index --------------------------------------------------------


def test_a_redis_database_for_gate_is_a_warning_naming_what_it_does_not_separate(tmp_path: Path) -> None:
    files = fargate()
    files["overlays/stores.yml"] = files["overlays/stores.yml"].replace(
        "redis://gate-redis.internal:6379'", "redis://gate-redis.internal:6379/2'"
    )
    root = make_project(tmp_path, files)
    (found,) = diagnostics(root, "gate-redis-database")
    assert found.severity == "warning"
    assert (found.file, found.line) == ("overlays/stores.yml", 13)
    assert "gate keeps its sessions in database 0" in found.message and "rate limiter uses database 2" in found.message
    assert not diagnostics(make_project(tmp_path / "zero", fargate()), "gate-redis-database")


def test_gate_on_the_x509_default_port_is_told_to_move_the_x509_port(tmp_path: Path) -> None:
    port = "services:\n  gate:\n    port: 8085\n"
    root = make_project(tmp_path, fargate(extra={"overlays/x509.yml": X509, "overlays/port.yml": port}))
    (found,) = diagnostics(root, "x509-unusable")
    assert (found.file, found.line) == ("overlays/port.yml", 3)
    assert "set profiles.gate.default.apiPort to another port" in found.message


def test_explain_names_the_parameter_group_setting(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate())
    result = runner.invoke(app, ["explain", "gate", "redis.configuration.secure", str(root)])
    assert "notify-keyspace-events gxE" in result.output


def test_a_headless_spinnaker_without_a_security_section(tmp_path: Path) -> None:
    # no deck, so no browser needs gate's public URL, and no security: at all: gate speaks HTTP
    files = fargate(extra={"overlays/deck.yml": "services:\n  deck:\n    enabled: false\n"})
    # the stores without their security: section
    files["overlays/stores.yml"] = "services:" + files["overlays/stores.yml"].split("services:", 1)[1]
    project, rendered = render_ok(make_project(tmp_path, files))
    assert project.config is not None and project.config.security is None
    assert not gate_ports.speaks_https(project.config) and gate_ports.x509_port(project.config) is None
    assert gate_container(rendered)["portMappings"][0]["appProtocol"] == "http"
