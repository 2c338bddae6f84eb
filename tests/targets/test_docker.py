"""Build contexts: the Dockerfile of each release era, the operator's files, image tags that follow content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinconf.releases import is_known_release, releases_near
from tests.helpers import make_project, render_ok
from tests.targets.ecs_validation import assert_hadolint_clean
from tests.targets.projects import fargate


@pytest.mark.parametrize(
    ("version", "image"),
    [
        ("1.22.0", "us-docker.pkg.dev/spinnaker-community/docker/clouddriver:spinnaker-1.22.0"),
        ("1.30.1", "us-docker.pkg.dev/spinnaker-community/docker/clouddriver:spinnaker-1.30.1"),
        ("2025.2.0", "us-docker.pkg.dev/spinnaker-community/docker/clouddriver:2025.2.0"),
        ("2026.1.0", "ghcr.io/spinnaker/clouddriver:2026.1.0"),
    ],
)
def test_dockerfile_starts_from_the_release_image(tmp_path: Path, version: str, image: str) -> None:
    root = make_project(tmp_path, {"versions.txt": version + "\n"})  # no ecs: Dockerfiles all the same
    files = render_ok(root)[1].files
    dockerfile = files["services/clouddriver/Dockerfile"].decode()
    assert f"\nFROM {image}\n" in dockerfile
    assert 'COPY ["clouddriver.yml", "spinnaker.yml", "/opt/spinnaker/config/"]' in dockerfile
    assert not any(p.startswith("ecs/") for p in files)


def test_every_dockerfile_is_hadolint_clean_and_deck_ships_its_settings(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate())
    files = render_ok(root)[1].files
    dockerfiles = {p: d.decode() for p, d in files.items() if p.endswith("/Dockerfile")}
    assert len(dockerfiles) >= 7
    for text in dockerfiles.values():
        assert_hadolint_clean(text)
    deck = dockerfiles["services/deck/Dockerfile"]
    assert "FROM us-docker.pkg.dev/spinnaker-community/docker/deck:spinnaker-1.30.1" in deck
    assert '"settings.js"' in deck and '"/opt/spinnaker/config/"' in deck


def test_overrides_of_registry_and_image(tmp_path: Path) -> None:
    overlay = """
    ecs:
      upstreamRegistry: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror
    services:
      orca:
        image: registry.example.com/spinnaker/orca:2.30.0-patched
    """
    root = make_project(tmp_path, fargate(extra={"overlays/images.yml": overlay}))
    files = render_ok(root)[1].files
    assert (
        b"\nFROM 123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/echo:spinnaker-1.30.1\n"
        in files["services/echo/Dockerfile"]
    )
    assert b"\nFROM registry.example.com/spinnaker/orca:2.30.0-patched\n" in files["services/orca/Dockerfile"]


def test_releases_without_release_tags_render_no_dockerfile_off_ecs(tmp_path: Path) -> None:
    files = render_ok(make_project(tmp_path, {"versions.txt": "1.20.0\n"}))[1].files
    assert not any(p.endswith("Dockerfile") for p in files)
    assert "services/orca/orca.yml" in files


def test_service_files_are_copied_into_the_build_context(tmp_path: Path) -> None:
    overlay = """
    services:
      clouddriver:
        files:
          - {source: certs/truststore.jks, target: /opt/spinnaker/certs/truststore.jks}
    """
    root = make_project(tmp_path, fargate(extra={"overlays/files.yml": overlay}))
    (root / "certs").mkdir()
    (root / "certs" / "truststore.jks").write_bytes(b"\xfe\xed\xfe\xed binary")
    files = render_ok(root)[1].files
    assert files["services/clouddriver/files/opt/spinnaker/certs/truststore.jks"] == b"\xfe\xed\xfe\xed binary"
    dockerfile = files["services/clouddriver/Dockerfile"].decode()
    assert 'COPY ["files/opt/spinnaker/certs/truststore.jks", "/opt/spinnaker/certs/truststore.jks"]' in dockerfile
    assert_hadolint_clean(dockerfile)
    assert not any("truststore" in p for p in files if not p.startswith("services/clouddriver/"))


def _tags(root: Path) -> dict[str, str]:
    files = render_ok(root)[1].files
    return {
        p.split("/")[1].split(".")[0]: json.loads(d)["containerDefinitions"][0]["image"].rsplit(":", 1)[1]
        for p, d in files.items()
        if p.endswith(".taskdef.json")
    }


def test_only_the_tags_of_changed_build_contexts_move(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, fargate(extra={"overlays/profiles.yml": "profiles:\n  orca: {tasks: {daysOfExecutionHistory: 30}}\n"})
    )
    before = _tags(root)
    assert _tags(root) == before  # same config, same tags
    (root / "overlays/profiles.yml").write_text("profiles:\n  orca: {tasks: {daysOfExecutionHistory: 14}}\n")
    after = _tags(root)
    moved = sorted(svc for svc in before if before[svc] != after[svc])
    assert moved == ["orca"]
    assert all(tag.startswith("1.30.1-") for tag in after.values())


def test_known_releases() -> None:
    assert is_known_release("1.30.1") and is_known_release("2025.2.0")
    assert not is_known_release("1.30.9") and not is_known_release("1.2.0") and not is_known_release("master-latest")
    assert releases_near("1.30.9") == ["1.30.4", "1.30.5", "1.30.6"]
