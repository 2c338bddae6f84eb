"""References rendered: ${ENV} in the files that use them, and each service's secrets exactly those."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinconf.model.services import JAVA_SERVICES
from spinconf.refs import default_env_name
from spinconf.render import Rendered, secret_env_name
from tests.helpers import make_project, render_ok, service_doc

EVERY_KIND = {
    "overlays/secrets.yml": """\
secrets:
  db:
    secretsManager: arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/db-AbCdEf
    key: password
  slack-token:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/slack-token
  oauth:
    ssm: /spinnaker/oauth-client-secret
    env: OAUTH_CLIENT_SECRET
  orca-db:
    ssm: /spinnaker/orca-db
  shared-token:
    secretsManager: arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/shared-XyZ123
""",
    "overlays/notifications.yml": """\
notifications:
  slack:
    enabled: true
    botName: spinnakerbot
    token: {secret: slack-token}
  twilio:
    enabled: false
    token: 'encrypted:secrets-manager!r:eu-west-1!s:twilio'
""",
    "overlays/security.yml": """\
security:
  authn:
    enabled: true
    oauth2:
      enabled: true
      client:
        clientId: spinnaker
        clientSecret: {secret: oauth}
""",
    "overlays/orca.yml": """\
services:
  orca:
    sql:
      jdbcUrl: jdbc:mysql://orca-db.internal:3306/orca
      user: orca_service
      password: {secret: orca-db}
      migration:
        user: orca_migrate
        password: {secret: orca-db}
""",
    "overlays/profiles.yml": """\
profiles:
  clouddriver:
    db:
      password: {secret: db}
      host: {env: DB_HOST, default: localhost}
      region: {env: DEPLOY_REGION}
  spinnaker:
    shared:
      token: {secret: shared-token}
""",
}


def files_of(rendered: Rendered, svc: str) -> str:
    return "".join(
        data.decode() for path, data in rendered.files.items() if re.fullmatch(rf"services/{svc}/[^/]+\.yml", path)
    )


def assert_uses_match_files(rendered: Rendered, env_of: dict[str, str]) -> None:
    """A service's secrets are exactly those whose ${ENV} its rendered files hold."""
    for svc, uses in rendered.uses.items():
        text = files_of(rendered, svc)
        want = {name for name, env in env_of.items() if "${" + env + "}" in text}
        assert uses.secrets == want, svc


def test_every_kind_of_reference_renders(tmp_path: Path) -> None:
    project, rendered = render_ok(make_project(tmp_path, EVERY_KIND))
    declared = yaml.safe_load(EVERY_KIND["overlays/secrets.yml"])["secrets"]
    env_of = {name: secret_env_name(project, name) for name in declared}
    assert env_of["oauth"] == "OAUTH_CLIENT_SECRET" and env_of["db"] == "SPINCONF_SECRET_DB"
    assert_uses_match_files(rendered, env_of)

    doc = service_doc(rendered, "clouddriver")
    assert doc["db"] == {
        "password": "${SPINCONF_SECRET_DB}",
        "host": "${DB_HOST:localhost}",
        "region": "${DEPLOY_REGION}",
    }
    assert rendered.uses["clouddriver"].env == {"DEPLOY_REGION"}
    assert rendered.uses["clouddriver"].env_with_default == {"DB_HOST"}
    for svc, uses in rendered.uses.items():
        assert ("db" in uses.secrets) == (svc == "clouddriver")
        assert "shared-token" in uses.secrets  # spinnaker.yml goes to every service
        assert service_doc(rendered, svc, "spinnaker.yml")["shared"]["token"] == "${SPINCONF_SECRET_SHARED_TOKEN}"
    assert "slack-token" in rendered.uses["echo"].secrets
    assert "oauth" in rendered.uses["gate"].secrets
    assert "orca-db" in rendered.uses["orca"].secrets
    others = set(rendered.uses) - {"echo", "gate", "orca"}
    assert not any({"slack-token", "oauth", "orca-db"} & rendered.uses[svc].secrets for svc in others)
    # where a secret lives is the task definition's business: no ARN in a Spring file
    everything = b"".join(rendered.files.values())
    assert b"spinnaker/db-AbCdEf" not in everything


secret_names = st.lists(
    st.from_regex(r"[a-z][a-z0-9]{0,6}([._-][a-z0-9]{1,4})?", fullmatch=True),
    min_size=1,
    max_size=4,
    unique_by=default_env_name,
)
TARGETS = (*JAVA_SERVICES, "spinnaker")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), names=secret_names)
def test_each_service_gets_exactly_the_secrets_its_files_use(data: st.DataObject, names: list[str]) -> None:
    used_by = {name: data.draw(st.sets(st.sampled_from(TARGETS), max_size=4), label=name) for name in names}
    profiles: dict[str, dict[str, object]] = {}
    for i, (name, targets) in enumerate(used_by.items()):
        for target in targets:
            profiles.setdefault(target, {})[f"key{i}"] = {"secret": name}
    overlay = {"secrets": {name: {"ssm": f"/spinnaker/s{i}"} for i, name in enumerate(names)}}
    if profiles:
        overlay["profiles"] = profiles
    with tempfile.TemporaryDirectory() as tmp:
        project, rendered = render_ok(make_project(Path(tmp), {"overlays/p.yml": yaml.safe_dump(overlay)}))
    assert set(rendered.uses) <= set(JAVA_SERVICES)
    assert {"clouddriver", "orca", "gate", "echo", "front50", "rosco"} <= set(rendered.uses)
    for svc, uses in rendered.uses.items():
        want = {name for name, targets in used_by.items() if svc in targets or "spinnaker" in targets}
        assert uses.secrets == want, svc
    assert_uses_match_files(rendered, {name: secret_env_name(project, name) for name in names})
