"""Issue 13, point 4: secrets have no side door (browser files, plain fields, env names, explain)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import KUBERNETES, load, make_project, render_ok, run_settings_js

runner = CliRunner()

WARN = "plaintextSecrets: warn\n"
TOKEN = "xoxb-1234567890-SeCrEt"
PASSWORD = "hunter2-Pa55"


def _project(tmp_path: Path, extra: str, settings: str | None = WARN) -> Path:
    return make_project(
        tmp_path / "p",
        {"overlays/k8s.yml": KUBERNETES, "overlays/extra.yml": extra, "versions.txt": "2025.2.0\n"},
        settings=settings,
    )


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_a_diagnostic_quoting_a_store_url_never_prints_its_password(tmp_path: Path) -> None:
    # the localhost rules quote the store's URL: with plaintextSecrets: warn it may carry a password
    root = _project(
        tmp_path,
        f"""\
        services:
          gate:
            redis: {{url: 'redis://:{PASSWORD}@localhost:6379/2'}}
        """,
    )
    for fmt in ("text", "json", "github", "sarif"):
        result = runner.invoke(app, ["validate", str(root), "--format", fmt])
        assert "localhost:6379/2" in result.output, result.output  # the rule did quote the URL
        assert PASSWORD not in result.output, (fmt, result.output)


def test_explain_masks_what_diff_masks_in_a_profile(tmp_path: Path) -> None:
    # a profile key named like a credential is not a secret-bearing field, but diff masks it (and
    # plaintext-credential warns): explain must not print it either, alone or inside its parent
    root = _project(
        tmp_path,
        f"""\
        profiles:
          gate:
            foo:
              password: {PASSWORD}
              url: https://u:{PASSWORD}x@host/x
        """,
    )
    for key in ("foo.password", "foo.url", "foo"):
        code, output = _invoke("explain", "gate", key, str(root))
        assert code == 0, output
        assert PASSWORD not in output, (key, output)
        assert "********" in output, (key, output)


def test_explain_masks_a_plain_text_secret(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        f"""\
        notifications:
          slack:
            enabled: true
            botName: spinnaker
            token: {TOKEN}
        security:
          apiSecurity:
            overrideBaseUrl: https://admin:{PASSWORD}@gate.example.com
        """,
    )
    code, output = _invoke("explain", "echo", "slack.token", str(root))
    assert code == 0, output
    assert TOKEN not in output and "slack.token = ********" in output
    code, output = _invoke("explain", "spinnaker", "services.gate.baseUrl", str(root))
    assert code == 0, output
    assert PASSWORD not in output and "admin:********@gate.example.com" in output


@pytest.mark.parametrize(
    "extra",
    [
        f"""\
        security:
          apiSecurity:
            overrideBaseUrl: https://admin:{PASSWORD}@gate.example.com
        """,
        f"""\
        notifications:
          slack:
            enabled: true
            botName: spinnaker
            baseUrl: https://bot:{PASSWORD}@slack.example.com/api
        """,
        f"""\
        deck:
          settings:
            feedbackUrl: https://user:{PASSWORD}@feedback.example.com/x
        """,
    ],
)
def test_a_url_password_never_reaches_settings_js(tmp_path: Path, extra: str) -> None:
    root = _project(tmp_path, extra)
    project, rendered = render_ok(root)
    assert any(d.code == "plaintext-secret" and not d.is_error for d in project.diagnostics)
    settings = rendered.files["services/deck/settings.js"].decode()
    assert PASSWORD not in settings and "admin:" not in settings and "bot:" not in settings
    window = run_settings_js(settings)
    assert "example.com" in str(window)  # the URL stays, without its credentials
    # the default (no plaintextSecrets: warn) refuses it
    assert load(_project(tmp_path / "strict", extra, settings=None)).diagnostics.has_errors


def test_a_url_password_in_settings_local_js_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path, "deck:\n  settingsLocalFile: local.js\n")
    (root / "local.js").write_text(f"window.spinnakerSettings.x = 'https://u:{PASSWORD}@host.example.com';\n")
    code, output = _invoke("render", str(root))
    assert code == 1, output
    assert "deck.settingsLocalFile holds a URL with a user and password" in output and PASSWORD not in output
    assert not (root / "out").exists()


def test_a_secret_variable_in_a_plain_field_is_an_error(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        """\
        secrets:
          slack_bot_token:
            ssm: /spinnaker/slack
        notifications:
          slack:
            enabled: true
            botName: "${SPINCONF_SECRET_SLACK_BOT_TOKEN}"
            token: {secret: slack_bot_token}
        """,
    )
    code, output = _invoke("validate", str(root))
    assert code == 1, output
    assert "overlays/extra.yml:7:5: error: notifications.slack.botName contains ${SPINCONF_SECRET_SLACK_BOT_TOKEN}" in (
        output
    )
    assert "[secret-placeholder-exposed]" in output


def test_a_secret_variable_is_fine_where_a_secret_belongs(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        """\
        secrets:
          db:
            ssm: /spinnaker/db
        profiles:
          clouddriver:
            sql:
              connectionPools:
                default:
                  password: "${SPINCONF_SECRET_DB}"
        """,
    )
    _code, output = _invoke("validate", str(root))
    assert "secret-placeholder-exposed" not in output and "plaintext-credential" not in output


def test_a_placeholder_in_deck_settings_is_an_error(tmp_path: Path) -> None:
    root = _project(tmp_path, 'deck:\n  settings:\n    feedbackUrl: "https://${HOST}/x"\n')
    code, output = _invoke("validate", str(root))
    assert code == 1, output
    assert "overlays/extra.yml:3:5: error: deck.settings.feedbackUrl contains ${...}" in output
    assert "[deck-settings-reference]" in output


@pytest.mark.parametrize("env", ["PATH", "JAVA_OPTS", "JAVA_TOOL_OPTIONS", "LD_PRELOAD", "AWS_REGION", "ECS_X", "HOME"])
def test_a_secret_cannot_replace_a_variable_the_container_relies_on(tmp_path: Path, env: str) -> None:
    root = _project(
        tmp_path,
        f"""\
        secrets:
          db:
            ssm: /spinnaker/db
            env: {env}
        notifications:
          slack:
            enabled: true
            token: {{secret: db}}
        """,
    )
    code, output = _invoke("validate", str(root))
    assert code == 1, output
    assert f"overlays/extra.yml:4:5: error: secret 'db': env {env} is a variable the container" in output
    assert "[secret-env-reserved]" in output


ECS = """\
ecs:
  cluster: spinnaker
  region: us-east-1
  executionRoleArn: arn:aws:iam::123456789012:role/exec
  taskRoleArn: arn:aws:iam::123456789012:role/task
  network:
    subnets: [subnet-1]
    securityGroups: [sg-1]
"""


def test_a_secret_and_ecs_environment_cannot_set_one_variable(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        ECS
        + """\
  environment:
    SLACK_TOKEN: plain
secrets:
  slack:
    ssm: /spinnaker/slack
    env: SLACK_TOKEN
notifications:
  slack:
    enabled: true
    token: {secret: slack}
""",
    )
    code, output = _invoke("validate", str(root))
    assert code == 1, output
    assert "error: secret 'slack': env SLACK_TOKEN is also set by ecs.environment (overlays/extra.yml:10)" in output


@pytest.mark.parametrize(("name", "line"), [('""', 10), ('"A=B"', 10), ('"A\\nB"', 10), ("1ABC", 10)])
def test_ecs_environment_names_are_variable_names(tmp_path: Path, name: str, line: int) -> None:
    root = _project(tmp_path, ECS + f"  environment:\n    {name}: x\n")
    code, output = _invoke("validate", str(root))
    assert code == 1, output
    assert f"overlays/extra.yml:{line}:5: error:" in output and "[ecs-environment-name]" in output


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        # beside a value that is no credential by name or by shape (LOG_LEVEL), which is not reported
        (ECS + "  environment:\n    LOG_LEVEL: info\n    DB_PASSWORD: hunter2-x\n", "ecs.environment.DB_PASSWORD"),
        (ECS + "  environment:\n    LOG_LEVEL: info\n    KEYS: AKIAABCDEFGHIJKLMNOP\n", "ecs.environment.KEYS"),
        ("profiles:\n  echo:\n    hooks:\n    - name: a\n      token: plain-token\n", "profiles.echo.hooks.0.token"),
        ("profiles:\n  echo:\n    github:\n      token: ghp-plain-text\n", "profiles.echo.github.token"),
        ("profiles:\n  gate:\n    oauth2.client.clientSecret: abc\n", "profiles.gate.oauth2.client.clientSecret"),
    ],
)
def test_a_credential_looking_plain_value_is_a_warning(tmp_path: Path, extra: str, key: str) -> None:
    root = _project(tmp_path, extra, settings=None)
    project = load(root)
    found = [d for d in project.diagnostics if d.code == "plaintext-credential"]
    assert [d.key for d in found] == [key]
    assert "hunter2" not in found[0].message and "AKIA" not in found[0].message


def test_a_type_error_never_shows_a_urls_password(tmp_path: Path) -> None:
    root = _project(tmp_path, f"services:\n  gate:\n    port: https://u:{PASSWORD}@h.example.com\n")
    code, output = _invoke("validate", str(root))
    assert code == 1 and "services.gate.port: expected a whole number" in output
    assert PASSWORD not in output and '"https://***@h.example.com"' in output


def test_explain_masks_a_plain_secret_wherever_it_is_repeated(tmp_path: Path) -> None:
    # the Slack token is written again under a key no mask knows by name, and a JDBC URL carries a
    # password as a parameter: explain shows neither
    root = _project(
        tmp_path,
        f"""\
        notifications:
          slack:
            enabled: true
            botName: spinnaker
            token: {TOKEN}
        profiles:
          echo:
            note: 'copied {TOKEN} here'
          orca:
            db: 'jdbc:mysql://db:3306/orca?user=orca&password={PASSWORD}'
        """,
    )
    code, output = _invoke("explain", "echo", "note", str(root))
    assert code == 0, output
    assert TOKEN not in output and "copied ******** here" in output
    code, output = _invoke("explain", "orca", "db", str(root))
    assert code == 0, output
    assert PASSWORD not in output and "user=orca&password=********" in output


SLACK_BOT = """\
secrets:
  slack_bot_token:
    ssm: /spinnaker/slack
    env: SLACK_BOT
notifications:
  slack:
    enabled: true
    botName: "{bot}"
    token: {{secret: slack_bot_token}}
"""


@pytest.mark.parametrize(
    ("bot", "variable"),
    [
        ("${SLACK_BOT}", "${SLACK_BOT}"),  # the secret's own variable name (env:)
        ("${slack.bot}", "${slack.bot}"),  # the same variable in Spring's relaxed form
        ("bot-${SPINCONF_SECRET_OTHER}", "${SPINCONF_SECRET_OTHER}"),  # spinconf's secret prefix, declared or not
    ],
)
def test_a_secret_variable_by_any_name_in_a_plain_field_is_an_error(tmp_path: Path, bot: str, variable: str) -> None:
    root = _project(tmp_path, SLACK_BOT.format(bot=bot))
    project = load(root)
    (found,) = [d for d in project.diagnostics if d.code == "secret-placeholder-exposed"]
    assert (found.file, found.line, found.key) == ("overlays/extra.yml", 8, "notifications.slack.botName")
    assert found.message == (
        f"notifications.slack.botName contains {variable}, a secret's environment variable, and is not a "
        "secret-bearing field: Spring would write the secret into it; use the secret only where a secret belongs"
    )


def test_every_plain_field_naming_a_secret_variable_is_reported(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        SLACK_BOT.format(bot="${SLACK_BOT}")
        + '    baseUrl: "https://slack.example.com/${SLACK_BOT}"\n'
        + 'profiles:\n  gate:\n    banner: "${SLACK_BOT}"\n',
    )
    project = load(root)
    keys = sorted(d.key for d in project.diagnostics if d.code == "secret-placeholder-exposed")
    assert keys == ["notifications.slack.baseUrl", "notifications.slack.botName", "profiles.gate.banner"]


@pytest.mark.parametrize(
    "extra",
    [
        # the secret's variable where a secret belongs: a Halyard secret field, a profile key named password
        SLACK_BOT.format(bot="spinnaker").replace("{secret: slack_bot_token}", '"${SLACK_BOT}"'),
        SLACK_BOT.format(bot="spinnaker") + 'profiles:\n  gate:\n    password: "${SLACK_BOT}"\n',
    ],
)
def test_a_secret_variable_where_a_secret_belongs_is_no_exposure(tmp_path: Path, extra: str) -> None:
    project = load(_project(tmp_path, extra))
    assert not [d for d in project.diagnostics if d.code in ("secret-placeholder-exposed", "plaintext-secret")]
    assert [d.key for d in project.diagnostics if d.code == "spring-placeholder"]  # the rule did look at it


@pytest.mark.parametrize(
    ("secrets", "note", "shown"),
    [
        # one secret inside another (and after it in sorted order): the longer is masked whole, no
        # head or tail of it left
        (("secret-1", "my-secret-1-more"), "x my-secret-1-more y", "x ******** y"),
        # a secret YAML must quote: masked in the quoted form explain prints
        (("'quoted'-secret", "zzz"), {"a": "'quoted'-secret"}, "a: ********"),
        (("!tagged-secret", "zzz"), {"a": "!tagged-secret"}, "a: ********"),  # its quoted form sorts after it
        # a secret percent-encoded into a URL's query
        (
            ("p@ss/word", "zzz"),
            "https://hooks.example.com/?auth=p%40ss%2Fword",
            '"https://hooks.example.com/?auth=********"',
        ),
    ],
)
def test_explain_masks_every_form_of_a_plain_secret(
    tmp_path: Path, secrets: tuple[str, str], note: object, shown: str
) -> None:
    import json

    root = _project(
        tmp_path,
        f"""\
        notifications:
          slack:
            enabled: true
            botName: spinnaker
            token: {json.dumps(secrets[0])}
          githubStatus:
            enabled: true
            token: {json.dumps(secrets[1])}
        profiles:
          echo:
            note: {json.dumps(note)}
        """,
    )
    code, output = _invoke("explain", "echo", "note", str(root))
    assert code == 0, output
    assert output.startswith(f"echo.yml note = {shown}\n"), output
    for secret in secrets:
        assert secret not in output


def test_explain_masks_each_item_of_a_list_under_a_secret_looking_key(tmp_path: Path) -> None:
    hooks = "profiles:\n  echo:\n    hooks:\n      token: [first-token, second-token]\n      name: x\n"
    root = _project(tmp_path, hooks)
    code, output = _invoke("explain", "echo", "hooks", str(root))
    assert code == 0, output
    assert output.startswith('echo.yml hooks = token:\n- "********"\n- "********"\nname: x\n'), output
