"""Every release cut-over, rendered at the last release before it and the first release after it.

The expected cut-overs are written here from their sources, not read from spinconf/releases.py:
the releases are the spinnaker.io changelogs' (spinnaker/spinnaker.io content/en/changelogs/,
the last patch of each line), and each cut-over names the change that made it. A cut-over moved
by one release in releases.py fails here on one side of the edge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from spinconf.diagnostics import Diagnostic
from spinconf.loader import load_project
from spinconf.render import render_project
from tests.helpers import absent, make_project, render_ok, service_doc
from tests.targets.projects import fargate

GAR = "us-docker.pkg.dev/spinnaker-community/docker"
GHCR = "ghcr.io/spinnaker"

# (release, the image orca's Dockerfile starts FROM, or None when images carry only per-service tags)
IMAGE_EDGES = [
    # release tags `spinnaker-<release>` start with 1.21.0 (README "Upstream images"); 1.20.8 is 1.20's last
    ("1.20.8", None),
    ("1.21.0", f"{GAR}/orca:spinnaker-1.21.0"),
    # the monorepo (2025.0.0) tags every image with the bare release version
    # (spinnaker/spinnaker .github/actions/publish-docker/action.yml); 1.38.0 is the last 1.x release
    ("1.38.0", f"{GAR}/orca:spinnaker-1.38.0"),
    ("2025.0.0", f"{GAR}/orca:2025.0.0"),
    # spinnaker.io changelog 2026.1.0: "GHCR is now the default location for all images";
    # 2026.0.x (last 2026.0.4) still published to the community Artifact Registry
    ("2026.0.4", f"{GAR}/orca:2026.0.4"),
    ("2026.1.0", f"{GHCR}/orca:2026.1.0"),
]


@pytest.mark.parametrize(("version", "image"), IMAGE_EDGES)
def test_dockerfile_image_at_each_registry_and_tag_edge(version: str, image: str | None, tmp_path: Path) -> None:
    files = render_ok(make_project(tmp_path, {"versions.txt": version + "\n"}))[1].files
    assert "services/orca/orca.yml" in files  # the release renders either way
    if image is None:
        assert not any(p.endswith("Dockerfile") for p in files)
        return
    froms = [ln for ln in files["services/orca/Dockerfile"].decode().splitlines() if ln.startswith("FROM ")]
    assert froms == [f"FROM {image}"]


def _errors(root: Path) -> list[Diagnostic]:
    project = load_project(root)
    if project.valid:
        render_project(project)
    return [d for d in project.diagnostics.sorted() if d.is_error]


@pytest.mark.parametrize(("version", "image"), IMAGE_EDGES)
def test_ecs_target_at_each_tag_edge(version: str, image: str | None, tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate(version=version))
    errors = _errors(root)
    if image is None:
        # before release tags the operator must name each image: an error at `version`, per service
        images = [d for d in errors if d.code == "ecs-image-unknown"]
        assert images and all("tagged by service version, not by release" in d.message for d in images)
        assert {d.file for d in images} == {"versions.txt"}
        return
    assert errors == []


# (release before, release after, cpuArchitecture ARM64 allowed after): spinnaker.io changelog
# 1.29.0 "Adapt Dockerfiles to build for arm64"; 1.28.10 is 1.28's last patch
@pytest.mark.parametrize(("version", "allowed"), [("1.28.10", False), ("1.29.0", True)])
def test_arm64_edge(version: str, allowed: bool, tmp_path: Path) -> None:
    root = make_project(
        tmp_path, fargate(version=version, extra={"overlays/arch.yml": "ecs: {cpuArchitecture: ARM64}\n"})
    )
    codes = [d.code for d in _errors(root)]
    if allowed:
        assert codes == []
        _, rendered = render_ok(root)
        taskdef = yaml.safe_load(rendered.files["ecs/orca.taskdef.json"])
        assert taskdef["runtimePlatform"]["cpuArchitecture"] == "ARM64"
    else:
        assert codes == ["ecs-arm64-unavailable"]


# before release tags every service needs its image named; keel is switched on
_ALL_IMAGES = (
    "services:\n"
    + "".join(
        f"  {svc}:\n    image: registry.example.com/{svc}:1\n"
        for svc in ("clouddriver", "deck", "echo", "front50", "gate", "orca", "rosco")
    )
    + "  keel:\n    enabled: true\n    image: registry.example.com/keel:1\n"
)


# keel's first release is 1.19.0 (its first BOM entry); 1.18.12 is 1.18's last patch
@pytest.mark.parametrize(("version", "exists"), [("1.18.12", False), ("1.19.0", True)])
def test_keel_exists_from_its_first_release(version: str, exists: bool, tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate(version=version, extra={"overlays/images.yml": _ALL_IMAGES}))
    errors = [d for d in _errors(root) if d.code == "ecs-service-not-in-release"]
    if exists:
        assert errors == []
        assert "ecs/keel.taskdef.json" in render_ok(root)[1].files
    else:
        assert [d.message for d in errors] == [f"keel is not part of Spinnaker {version}"]


# ------------------------------------------------------------------ property shapes

SQL = """
services:
  {svc}:
    sql:
      jdbcUrl: jdbc:mysql://db.internal:3306/{svc}
      user: {svc}_service
      password: {{secret: db}}
secrets:
  db: {{ssm: /spinnaker/db}}
"""


def _doc(tmp_path: Path, version: str, overlay: str, svc: str) -> tuple[Any, list[str]]:
    root = make_project(tmp_path, {"overlays/main.yml": f"version: {version}\n{overlay}"})
    project, rendered = render_ok(root)
    warnings = [d.code for d in project.diagnostics.sorted() if not d.is_error]
    return service_doc(rendered, svc), warnings


# First release whose image runs each service on SQL; the last release before it (changelogs).
# orca: orca-web.gradle compiles orca-sql from release-1.10.x; echo: kork-sql's quartz store
# from release-1.13.x; clouddriver: clouddriver-sql joins the build for 1.14; front50: front50-sql
# from release-1.15.x (spinconf/releases.py SQL_SINCE cites the commits).
SQL_EDGES = [("orca", "1.9.5", "1.10.0"), ("echo", "1.12.14", "1.13.0")]
SQL_EDGES += [("clouddriver", "1.13.12", "1.14.0"), ("front50", "1.14.15", "1.15.0")]


@pytest.mark.parametrize(("svc", "before", "after"), SQL_EDGES)
def test_sql_support_edge(svc: str, before: str, after: str, tmp_path: Path) -> None:
    overlay = SQL.format(svc=svc)
    doc, warnings = _doc(tmp_path / "before", before, overlay, svc)
    assert absent(doc, "sql.enabled") and "sql-unsupported" in warnings
    doc, warnings = _doc(tmp_path / "after", after, overlay, svc)
    assert doc["sql"]["enabled"] is True and "sql-unsupported" not in warnings


# kork v3.7.0's named pools (spinnaker/kork#233) first ship in 1.13.0; 1.12.14 is 1.12's last
def test_named_connection_pools_edge(tmp_path: Path) -> None:
    overlay = SQL.format(svc="orca")
    before, _ = _doc(tmp_path / "before", "1.12.14", overlay, "orca")
    after, _ = _doc(tmp_path / "after", "1.13.0", overlay, "orca")
    assert before["sql"]["connectionPool"]["jdbcUrl"] == "jdbc:mysql://db.internal:3306/orca"
    assert absent(before, "sql.connectionPools")
    assert after["sql"]["connectionPools"]["default"]["jdbcUrl"] == "jdbc:mysql://db.internal:3306/orca"
    assert absent(after, "sql.connectionPool")


# orca's SQL queue (spinnaker/orca#3134, #3035) from release-1.17.x; redis optional
# (spinnaker/orca#3541) from release-1.20.x
@pytest.mark.parametrize(
    ("version", "queue", "redis_off"),
    [("1.16.7", False, False), ("1.17.0", True, False), ("1.19.14", True, False), ("1.20.0", True, True)],
)
def test_orca_sql_queue_and_redis_edges(version: str, queue: bool, redis_off: bool, tmp_path: Path) -> None:
    doc, _ = _doc(tmp_path, version, SQL.format(svc="orca"), "orca")
    assert doc["sql"]["enabled"] is True
    assert (not absent(doc, "keiko.queue.sql.enabled")) is queue
    if queue:
        assert doc["keiko"]["queue"]["sql"]["enabled"] is True
    assert (doc.get("redis", {}).get("enabled") is False) is redis_off


# Spring Boot 2.2 (kork#591) from 1.19.0: forward-headers-strategy; 1.18.12 is 1.18's last
@pytest.mark.parametrize(
    ("version", "key", "value"),
    [("1.18.12", "use-forward-headers", True), ("1.19.0", "forward-headers-strategy", "native")],
)
def test_forwarded_headers_edge(version: str, key: str, value: Any, tmp_path: Path) -> None:
    overlay = "security:\n  apiSecurity:\n    overrideBaseUrl: https://api.example.com\n"
    doc, _ = _doc(tmp_path, version, overlay, "gate")
    assert doc["server"][key] == value
    other = {"use-forward-headers", "forward-headers-strategy"} - {key}
    assert absent(doc, "server." + other.pop())


OAUTH2 = """
security:
  apiSecurity:
    overrideBaseUrl: https://api.example.com
  authn:
    oauth2:
      enabled: true
      client:
        clientId: my-client
        clientSecret: {secret: oauth}
        accessTokenUri: https://www.googleapis.com/oauth2/v4/token
        userAuthorizationUri: https://accounts.google.com/o/oauth2/v2/auth
      resource:
        userInfoUri: https://www.googleapis.com/oauth2/v3/userinfo
secrets:
  oauth: {ssm: /spinnaker/oauth}
"""


# spinnaker/spinnaker#7052 (changelog 2025.2.0 "Spring Security 5 Oauth2 Migration");
# 2025.1.6 is 2025.1's last patch
def test_gate_oauth2_shape_edge(tmp_path: Path) -> None:
    before, _ = _doc(tmp_path / "before", "2025.1.6", OAUTH2, "gate")
    after, _ = _doc(tmp_path / "after", "2025.2.0", OAUTH2, "gate")
    assert before["security"]["oauth2"]["client"]["clientId"] == "my-client"
    assert absent(before, "spring.security.oauth2")
    registrations = after["spring"]["security"]["oauth2"]["client"]["registration"]
    assert [r["client-id"] for r in registrations.values()] == ["my-client"]
    assert absent(after, "security.oauth2")


# ------------------------------------------------------------------ versions an operator writes


@pytest.mark.parametrize(
    ("version", "near"),
    [
        ("1.30.9", "1.30.4, 1.30.5, 1.30.6"),  # a patch that was never published: the line's last three
        ("1.39.0", "1.38.0, 2025.0.0"),  # no such line: the releases on either side
        ("2026.9.0", "2026.2.3"),  # newer than any release: the newest
        ("0.9.0", "1.0.0"),
    ],
)
def test_an_unknown_release_names_the_known_ones_near_it(version: str, near: str, tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate(version=version))
    (found,) = [d for d in _errors(root) if d.code == "ecs-image-unknown"]
    assert found.message == f"{version} is not a known Spinnaker release (known near it: {near})"
    assert (found.file, found.line) == ("versions.txt", 1)


def test_versions_compare_as_numbers_and_parse_strictly() -> None:
    from spinconf.releases import Release, Version

    assert Version.parse(" 1.30.1\n") == Version(1, 30, 1)
    assert [Version.parse(t) for t in ("1.30", "v1.30.1", "1.30.1-rc1", "")] == [None, None, None, None]
    assert Version(1, 10, 0) > Version(1, 9, 5) and Version(2025, 0, 0) > Version(1, 38, 0)
    assert Version(1, 30, 1) < Version(1, 30, 2) and not Version(1, 30, 2) < Version(1, 30, 2)
    assert str(Version(2025, 2, 0)) == "2025.2.0"
    default = Release.of(None)
    assert (default.text, str(default.version), default.is_release) == ("2025.2.0", "2025.2.0", True)
    branch = Release.of("master-latest-unvalidated")
    assert (branch.text, str(branch.version), branch.is_release) == ("master-latest-unvalidated", "1.38.0", False)


def test_a_branch_build_renders_the_last_1x_shapes_and_needs_images(tmp_path: Path) -> None:
    doc, _ = _doc(tmp_path / "p", "master-latest-unvalidated", SQL.format(svc="orca"), "orca")
    assert doc["sql"]["connectionPools"]["default"]["jdbcUrl"] == "jdbc:mysql://db.internal:3306/orca"
    assert doc["redis"]["enabled"] is False  # 1.x's last shapes: orca runs on SQL alone
    root = make_project(tmp_path / "ecs", fargate(version="master-latest-unvalidated"))
    images = [d for d in _errors(root) if d.code == "ecs-image-unknown"]
    assert images and all("is not a release: set services." in d.message for d in images)


# ------------------------------------------------------------------ images the operator names


def test_an_image_that_is_no_reference_is_an_error_at_the_image(tmp_path: Path) -> None:
    overlay = "services:\n  orca:\n    image: 'not an image!'\n"
    root = make_project(tmp_path, fargate(extra={"overlays/image.yml": overlay}))
    found = [d for d in _errors(root) if d.code == "ecs-image-unknown"]
    assert [(d.file, d.line, d.message) for d in found] == [
        ("overlays/image.yml", 3, "services.orca.image is not an image reference (registry/name:tag)")
    ]


@pytest.mark.parametrize(
    ("mirror", "image"),
    [
        ("registry.example.com/mirror/", "registry.example.com/mirror/orca:2025.2.0"),
        ("registry.example.com:5000/a/b", "registry.example.com:5000/a/b/orca:2025.2.0"),
    ],
)
def test_a_mirror_replaces_the_registry(mirror: str, image: str, tmp_path: Path) -> None:
    root = make_project(
        tmp_path, fargate("2025.2.0", {"overlays/mirror.yml": f"ecs:\n  upstreamRegistry: '{mirror}'\n"})
    )
    files = render_ok(root)[1].files
    assert f"\nFROM {image}\n" in files["services/orca/Dockerfile"].decode()


def test_a_mirror_that_is_no_registry_is_an_error_at_the_mirror(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, fargate(extra={"overlays/mirror.yml": "ecs:\n  upstreamRegistry: 'Not A Registry'\n"})
    )
    found = {(d.file, d.line, d.message) for d in _errors(root) if d.code == "ecs-image-unknown"}
    assert found == {("overlays/mirror.yml", 2, "ecs.upstreamRegistry is not a registry (host[/path])")}
