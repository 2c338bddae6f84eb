"""${...} in the rendered Spring files: parsed as Spring does, and each one resolved by something."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinconf.refs import placeholders
from tests.helpers import make_project, service_doc
from tests.secrets.util import ECS_BASE, found, messages, run


def test_parser_nested_defaults_and_literals() -> None:
    (p,) = placeholders("jdbc:${DB_URL:${FALLBACK:jdbc:mysql://db:3306/x}}")
    assert (p.key, p.default) == ("DB_URL", "${FALLBACK:jdbc:mysql://db:3306/x}")
    (inner,) = p.in_default
    assert (inner.key, inner.default) == ("FALLBACK", "jdbc:mysql://db:3306/x")
    assert [q.key for q in placeholders("${a}-${b.c}")] == ["a", "b.c"]
    assert placeholders("${never closed") == []
    assert placeholders(r"\${escaped}") == []
    assert placeholders("costs $5 {x}") == []
    (braces,) = placeholders("${a:{x}}")
    assert braces.default == "{x}"


def _project(tmp_path: Path, value: str, ecs: bool = True, extra: str = "") -> Path:
    files = {"overlays/p.yml": f"profiles:\n  orca:\n    thing: '{value}'\n" + extra}
    if ecs:
        files["overlays/base.yml"] = ECS_BASE
    return make_project(tmp_path, files)


@pytest.mark.parametrize(
    "value",
    [
        "${NOPE}",
        "x-${a.b:${NOPE}}",
        "${SPINCONF_SECRET_DB}",  # a secret's variable, but orca's files use no secret
        "${${NOPE}}",
    ],
)
def test_unresolved_on_ecs_is_an_error(tmp_path: Path, value: str) -> None:
    p, _ = run(_project(tmp_path, value))
    assert found(p, "unresolved-placeholder") == [("overlays/p.yml", 3, "error")]
    assert "orca" in messages(p, "unresolved-placeholder")[0]


SHARED_DEFINES = "  spinnaker:\n    services:\n      things:\n        baseUrl: http://things:1\n"
USES_SECRET = "    db: {secret: db}\nsecrets:\n  db:\n    ssm: /db\n"


@pytest.mark.parametrize(
    ("value", "extra"),
    [
        ("${NOPE:fallback}", ""),
        ("${SHARED}", ""),  # ecs.environment
        ("${a:${SHARED}}", ""),
        ("${services.things.baseUrl}", SHARED_DEFINES),  # defined in spinnaker.yml
        ("${services.things.base-url}", SHARED_DEFINES),
        ("${SPINCONF_SECRET_DB}", USES_SECRET),
        ("${random.uuid}-${HOSTNAME}", ""),
        ("not a placeholder: ${", ""),
    ],
)
def test_resolved_placeholders_pass(tmp_path: Path, value: str, extra: str) -> None:
    p, rendered = run(_project(tmp_path, value, extra=extra))
    assert found(p, "unresolved-placeholder") == []
    assert rendered is not None  # passed through to orca as written
    assert service_doc(rendered, "orca")["thing"] == value


def test_service_environment_counts_for_that_service_only(tmp_path: Path) -> None:
    env = "services:\n  orca:\n    ecs:\n      environment: {ORCA_ONLY: x}\n"
    files = {
        "overlays/base.yml": ECS_BASE,
        "overlays/p.yml": "profiles:\n  orca:\n    a: '${ORCA_ONLY}'\n  echo:\n    a: '${ORCA_ONLY}'\n",
        "overlays/z.yml": env,
    }
    p, _ = run(make_project(tmp_path, files))
    assert found(p, "unresolved-placeholder") == [("overlays/p.yml", 5, "error")]
    assert "echo" in messages(p, "unresolved-placeholder")[0]


def test_unresolved_off_ecs_is_a_warning(tmp_path: Path) -> None:
    p, _ = run(_project(tmp_path, "${NOPE}", ecs=False))
    assert found(p, "unresolved-placeholder") == [("overlays/p.yml", 3, "warning")]


def test_a_placeholder_in_a_halyard_field_is_reported_where_it_was_written(tmp_path: Path) -> None:
    # echo's slack.botName is no profile entry and carries no derivation: the rule finds the line
    # that wrote the text (checks/placeholders._written_at)
    slack = "notifications:\n  slack:\n    enabled: true\n    botName: 'bot-${NOPE}'\n    token: {secret: t}\n"
    files = {"overlays/base.yml": ECS_BASE, "overlays/slack.yml": slack + "secrets:\n  t: {ssm: /t}\n"}
    p, _ = run(make_project(tmp_path, files))
    assert found(p, "unresolved-placeholder") == [("overlays/slack.yml", 4, "error")]
    assert messages(p, "unresolved-placeholder")[0].startswith("${NOPE} in echo.yml (slack.botName) of echo:")


def test_the_shared_profile_and_a_service_profile_are_each_reported_at_their_line(tmp_path: Path) -> None:
    # one text in spinnaker.yml (every Java service reads it) and in orca.yml under another key:
    # each line names its own file and key, and only the services that read that file
    profiles = "profiles:\n  spinnaker:\n    a: '${NOPE}'\n  orca:\n    b: 'x-${NOPE}'\n"
    p, _ = run(make_project(tmp_path, {"overlays/base.yml": ECS_BASE, "overlays/p.yml": profiles}))
    assert found(p, "unresolved-placeholder") == [("overlays/p.yml", 3, "error"), ("overlays/p.yml", 5, "error")]
    shared, orca = messages(p, "unresolved-placeholder")
    assert shared.startswith("${NOPE} in spinnaker.yml (a) of clouddriver, echo, front50, gate, orca, rosco:")
    assert orca.startswith("${NOPE} in orca.yml (b) of orca:")


DATADOG = """\
secrets:
  dd: {secretsManager: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dd-AbCdEf'}
observability:
  datadog:
    apiKey: {secret: dd}
    tracer: {version: 1.48.0, sha256: '5555555555555555555555555555555555555555555555555555555555555555'}
profiles:
  orca:
    tags: '${DD_SERVICE}/${DD_VERSION}/${DD_ENV}'
"""


def test_the_tracers_variables_resolve_in_a_traced_services_files(tmp_path: Path) -> None:
    # DD_ENV comes from the environment rendered (no datadog.env given): only with --env prod is it set
    root = make_project(tmp_path, {"overlays/base.yml": ECS_BASE, "overlays/dd.yml": DATADOG})
    (root / "environments" / "prod").mkdir(parents=True)
    (root / "environments" / "prod" / "prod.yml").write_text("ecs:\n  environment:\n    STAGE: prod\n")
    p, rendered = run(root, env="prod")
    assert found(p, "unresolved-placeholder") == []
    assert rendered is not None and service_doc(rendered, "orca")["tags"] == "${DD_SERVICE}/${DD_VERSION}/${DD_ENV}"
    # without a DD_ENV value (no environment, no datadog.env) that one placeholder is unresolved
    (root / "environments" / "prod" / "prod.yml").unlink()
    (root / "environments" / "prod").rmdir()
    p, _ = run(root)
    assert found(p, "unresolved-placeholder") == [("overlays/dd.yml", 9, "error")]
    assert messages(p, "unresolved-placeholder")[0].startswith("${DD_ENV} in orca.yml (tags) of orca:")
