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
