"""secrets.<name>: sources, ARN shapes, names, env names, collisions, relaxed binding."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinconf.refs import bound_property, default_env_name, property_binding_form
from tests.helpers import make_project, service_doc
from tests.secrets.util import found, messages, run

SM = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/oauth-AbCdEf"
SSM = "arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/slack-token"
DECLARATION_CODES = ("secret-source", "secret-key", "secret-arn", "secret-name", "secret-env-name")


def project(tmp_path: Path, secrets: str, extra: str = "") -> Path:
    return make_project(tmp_path, {"overlays/secrets.yml": "secrets:\n" + secrets + extra})


def test_well_formed_declarations_pass(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        f"""\
  oauth:
    secretsManager: {SM}
    key: clientSecret
    env: OAUTH_CLIENT_SECRET
    kmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
  slack:
    ssm: {SSM}
  plain-path:
    ssm: /spinnaker/db/password
  cn:
    ssm: arn:aws-cn:ssm:cn-north-1:123456789012:parameter/x
  gov:
    secretsManager: arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:a_b.c@d-Zz09Yy
""",
    )
    p, _ = run(root)
    assert [d.text() for d in p.diagnostics.sorted() if d.code in DECLARATION_CODES] == []


@pytest.mark.parametrize(
    ("body", "line", "says"),
    [
        (f"  db:\n    ssm: {SSM}\n    secretsManager: {SM}\n", 2, "both ssm and secretsManager"),
        ("  db:\n    env: DB_PASSWORD\n", 2, "needs ssm, secretsManager or kubernetesSecret"),
    ],
)
def test_exactly_one_source(tmp_path: Path, body: str, line: int, says: str) -> None:
    p, _ = run(project(tmp_path, body))
    assert found(p, "secret-source") == [("overlays/secrets.yml", line, "error")]
    assert says in messages(p, "secret-source")[0]


def test_key_only_with_secrets_manager(tmp_path: Path) -> None:
    p, _ = run(project(tmp_path, f"  db:\n    ssm: {SSM}\n    key: password\n"))
    assert found(p, "secret-key") == [("overlays/secrets.yml", 4, "error")]
    p, _ = run(project(tmp_path / "ok", f"  db:\n    secretsManager: {SM}\n    key: password\n"))
    assert found(p, "secret-key") == []
    assert [d.text() for d in p.diagnostics.sorted() if d.is_error] == []  # the declaration is accepted whole


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("ssm", "arn:aws-eu:ssm:eu-west-1:123456789012:parameter/x", "partition"),
        ("ssm", "arn:aws:ssm:eu-west-1:12345678901:parameter/x", "12 digits"),
        ("ssm", "arn:aws:ssm:westeurope:123456789012:parameter/x", "region"),
        ("ssm", "arn:aws-cn:ssm:eu-west-1:123456789012:parameter/x", "not in partition aws-cn"),
        ("ssm", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf", "not a ssm ARN"),
        ("ssm", "arn:aws:ssm:eu-west-1:123456789012:document/x", "must name a parameter"),
        ("ssm", "spinnaker/slack-token", "not an ARN"),
        ("ssm", "/spinnaker//slack", "not an SSM parameter path"),
        ("secretsManager", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/oauth", "6-character"),
        ("secretsManager", f"'{SM}:clientSecret::'", "write a JSON key as key:"),
        ("secretsManager", "arn:aws:secretsmanager:eu-west-1:123456789012:parameter:x-AbCdEf", "must name a secret"),
        ("kmsKeyArn", "arn:aws:kms:eu-west-1:123456789012:thing/x", "key or an alias"),
    ],
)
def test_arn_shapes(tmp_path: Path, field: str, value: str, says: str) -> None:
    source = f"    secretsManager: {SM}\n" if field == "kmsKeyArn" else ""
    p, _ = run(project(tmp_path, f"  db:\n{source}    {field}: {value}\n"))
    line = 4 if source else 3
    assert found(p, "secret-arn") == [("overlays/secrets.yml", line, "error")]
    assert says in messages(p, "secret-arn")[0]


@pytest.mark.parametrize(("name", "ok"), [("db-password", True), ("db.pw_2", True), ("-db", False), ("db pw", False)])
def test_secret_names(tmp_path: Path, name: str, ok: bool) -> None:
    p, _ = run(project(tmp_path, f"  '{name}':\n    ssm: /x\n"))
    assert found(p, "secret-name") == ([] if ok else [("overlays/secrets.yml", 2, "error")])


@pytest.mark.parametrize(("env", "ok"), [("DB_PASSWORD", True), ("_db2", True), ("2DB", False), ("DB-PASSWORD", False)])
def test_env_names(tmp_path: Path, env: str, ok: bool) -> None:
    p, _ = run(project(tmp_path, f"  db:\n    ssm: /x\n    env: {env}\n"))
    assert found(p, "secret-env-name") == ([] if ok else [("overlays/secrets.yml", 4, "error")])


def test_default_env_name() -> None:
    assert default_env_name("oauth-client.secret") == "SPINCONF_SECRET_OAUTH_CLIENT_SECRET"


def test_colliding_env_names_name_both_secrets(tmp_path: Path) -> None:
    p, _ = run(project(tmp_path, "  a-b:\n    ssm: /x\n  a_b:\n    ssm: /y\n"))
    assert found(p, "secret-env-collision") == [("overlays/secrets.yml", 4, "error")]
    message = messages(p, "secret-env-collision")[0]
    assert "'a-b'" in message and "'a_b'" in message and "SPINCONF_SECRET_A_B" in message


def test_chosen_env_colliding_with_a_default(tmp_path: Path) -> None:
    p, _ = run(project(tmp_path, "  db:\n    ssm: /x\n  other:\n    ssm: /y\n    env: SPINCONF_SECRET_DB\n"))
    assert found(p, "secret-env-collision") == [("overlays/secrets.yml", 6, "error")]
    p, _ = run(project(tmp_path / "ok", "  db:\n    ssm: /x\n  other:\n    ssm: /y\n    env: OTHER\n"))
    assert found(p, "secret-env-collision") == []
    assert [d.text() for d in p.diagnostics.sorted() if d.is_error] == []


@pytest.mark.parametrize(
    ("env", "prop"),
    [
        ("SERVICES_CLOUDDRIVER_BASEURL", "services.clouddriver.baseUrl"),
        ("SERVER_PORT", "server.port"),
        ("spring_profiles_active", "spring.profiles.active"),
        ("REDIS_PASSWORD", "redis.password"),
    ],
)
def test_env_on_a_well_known_property_is_rejected(tmp_path: Path, env: str, prop: str) -> None:
    p, _ = run(project(tmp_path, f"  db:\n    ssm: /x\n    env: {env}\n"))
    assert found(p, "secret-env-shadows-property") == [("overlays/secrets.yml", 4, "error")]
    assert prop in messages(p, "secret-env-shadows-property")[0]


def test_env_on_a_rendered_property_is_rejected(tmp_path: Path) -> None:
    uses = "profiles:\n  orca:\n    db: {secret: db}\n    tasks:\n      execution-timeout: 5\n"
    p, _ = run(project(tmp_path, "  db:\n    ssm: /x\n    env: TASKS_EXECUTIONTIMEOUT\n", uses))
    assert found(p, "secret-env-shadows-property") == [("overlays/secrets.yml", 4, "error")]
    message = messages(p, "secret-env-shadows-property")[0]
    assert "tasks.execution-timeout" in message and "orca.yml" in message
    p, rendered = run(project(tmp_path / "ok", "  db:\n    ssm: /x\n    env: ORCA_DB_PASSWORD\n", uses))
    assert found(p, "secret-env-shadows-property") == []
    assert rendered is not None  # the chosen variable is the one orca's profile reads
    assert service_doc(rendered, "orca")["db"] == "${ORCA_DB_PASSWORD}"


def test_relaxed_binding_forms() -> None:
    assert property_binding_form(["ok-http-client", "connect-timeout"]) == "okhttpclient_connecttimeout"
    assert property_binding_form(["services.clouddriver.baseUrl"]) == "services_clouddriver_baseurl"
    assert property_binding_form(["accounts[0]", "name"]) == "accounts_0_name"
    assert bound_property("SERVICES_GATE_BASEURL") == "services.gate.baseUrl"
    assert bound_property("MY_THING") == "my.thing"
