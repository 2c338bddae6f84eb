"""What an operator is told when a project cannot run on Fargate: the error, its code and where."""

from __future__ import annotations

from pathlib import Path

from spinconf.diagnostics import Diagnostic
from spinconf.loader import load_project
from spinconf.render import render_project
from tests.helpers import make_project
from tests.targets.projects import ECS, fargate


def errors(root: Path, render: bool = False) -> list[Diagnostic]:
    project = load_project(root)
    if render and project.valid:
        render_project(project)
    return [d for d in project.diagnostics.sorted() if d.is_error]


def by_code(diags: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diags if d.code == code]


def test_invalid_cpu_memory_pair_names_the_nearest_valid_one(tmp_path: Path) -> None:
    overlay = "services:\n  orca:\n    ecs:\n      cpu: 1024\n      memory: 1024\n"
    root = make_project(tmp_path, fargate(extra={"overlays/size.yml": overlay}))
    (found,) = by_code(errors(root), "ecs-task-size-invalid")
    assert (found.file, found.line) == ("overlays/size.yml", 5)
    assert "orca: cpu 1024 / memory 1024" in found.message
    assert "nearest valid: cpu 1024, memory 2048" in found.message


def test_peer_urls_on_localhost_from_the_template(tmp_path: Path) -> None:
    ecs = ECS.replace("http://{service}.spinnaker.internal:{port}", "http://localhost:{port}")
    ecs += "  discovery: {mode: serviceConnect}\n"
    root = make_project(tmp_path, {**fargate(), "overlays/ecs.yml": ecs})
    found = by_code(errors(root), "ecs-localhost")
    clouddriver = [d for d in found if "reach clouddriver at http://localhost:7002" in d.message]
    assert clouddriver and "set ecs.serviceUrl or services.clouddriver.baseUrl" in clouddriver[0].message
    # at the setting that made the URL (ecs.serviceUrl), not at the ecs: section
    assert (clouddriver[0].file, clouddriver[0].line) == ("overlays/ecs.yml", 7)


def test_redis_falling_back_to_localhost(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate())
    stores = (root / "overlays/stores.yml").read_text()
    (root / "overlays/stores.yml").write_text(
        stores.replace("  rosco:\n    redis: {url: 'redis://gate-redis.internal:6379'}\n", "")
    )
    found = by_code(errors(root, render=True), "ecs-localhost")
    assert [d.message for d in found] == [
        "rosco would use redis at redis://localhost:6379 on Fargate: set services.rosco.redis.url"
    ]


def test_deck_gate_url_a_browser_cannot_reach(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate())
    stores = (root / "overlays/stores.yml").read_text()
    (root / "overlays/stores.yml").write_text(
        stores.replace("overrideBaseUrl: https://api.spinnaker.example.com", "{}")
    )
    (found,) = by_code(errors(root), "ecs-gate-url-unreachable")
    assert "http://gate.spinnaker.internal:8084" in found.message
    assert "security.apiSecurity.overrideBaseUrl" in found.message


def test_unknown_release_lists_releases_near_it(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate(version="1.30.9"))
    (found,) = by_code(errors(root), "ecs-image-unknown")
    assert "1.30.9 is not a known Spinnaker release (known near it: 1.30.4, 1.30.5, 1.30.6)" in found.message


def test_a_non_release_needs_every_image_explicitly(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate(version="master-latest-unvalidated"))
    found = by_code(errors(root), "ecs-image-unknown")
    assert any("set services.orca.image" in d.message for d in found)
    assert len(found) >= 7  # one per enabled service


def test_arm64_needs_a_release_with_arm64_images(tmp_path: Path) -> None:
    ok = make_project(
        tmp_path / "new", fargate(version="1.29.0", extra={"overlays/arch.yml": "ecs: {cpuArchitecture: ARM64}\n"})
    )
    assert not by_code(errors(ok), "ecs-arm64-unavailable")
    old = make_project(
        tmp_path / "old", fargate(version="1.28.0", extra={"overlays/arch.yml": "ecs: {cpuArchitecture: ARM64}\n"})
    )
    (found,) = by_code(errors(old), "ecs-arm64-unavailable")
    assert (found.file, found.line) == ("overlays/arch.yml", 1)
    assert "amd64 only" in found.message


def test_missing_service_file_is_an_error_at_its_line(tmp_path: Path) -> None:
    overlay = """\
    services:
      gate:
        files:
          - source: certs/missing.jks
            target: /opt/spinnaker/certs/missing.jks
    """
    root = make_project(tmp_path, {"overlays/files.yml": overlay})
    (found,) = by_code(errors(root), "service-file-missing")
    assert (found.file, found.line, found.message) == (
        "overlays/files.yml",
        4,
        "certs/missing.jks does not exist in the project",
    )


def kubeconfig_secret(source: str) -> str:
    """A kubernetes account whose kubeconfig is a file secret stored at ``source``."""
    return (
        "providers:\n  kubernetes:\n    enabled: true\n    accounts:\n      - name: prod\n"
        "        kubeconfigFile: {secret: kubeconfig}\n"
        f"secrets:\n  kubeconfig: {source}\n"
    )


def test_file_secret_from_ssm_is_an_error(tmp_path: Path) -> None:
    overlay = kubeconfig_secret("{ssm: /spinnaker/kubeconfig}")
    root = make_project(tmp_path, fargate(extra={"overlays/k8s.yml": overlay}))
    (found,) = by_code(errors(root), "file-secret-unsupported")
    assert found.file == "overlays/k8s.yml" and found.line == 6
    assert "SSM parameter" in found.message and "/spinnaker/kubeconfig" not in found.message


def test_missing_region_is_an_error_at_the_ecs_section(tmp_path: Path) -> None:
    ecs = ECS.replace("  region: eu-west-1\n", "")
    root = make_project(tmp_path, {**fargate(), "overlays/ecs.yml": ecs})
    found = by_code(errors(root), "ecs-setting-missing")
    assert [(d.file, d.line) for d in found] == [("overlays/ecs.yml", 2)]
    assert "ecs.region is required" in found[0].message


def test_service_not_in_the_release_is_an_error_at_its_enabled_flag(tmp_path: Path) -> None:
    overlay = "services:\n  keel:\n    enabled: true\n"
    root = make_project(tmp_path, fargate(version="1.18.0", extra={"overlays/keel.yml": overlay}))
    (found,) = by_code(errors(root), "ecs-service-not-in-release")
    assert (found.file, found.line, found.message) == ("overlays/keel.yml", 3, "keel is not part of Spinnaker 1.18.0")


def test_relative_file_target_is_an_error(tmp_path: Path) -> None:
    overlay = """
    services:
      clouddriver:
        files:
          - source: certs/ca.pem
            target: certs/ca.pem
    """
    root = make_project(tmp_path, fargate(extra={"overlays/files.yml": overlay, "certs/ca.pem": "pem\n"}))
    (found,) = by_code(errors(root), "service-file-target")
    assert (found.file, found.line) == ("overlays/files.yml", 6)
