"""`spinconf explain` on keys inside lists and where the lookalike search must not win: the line is the key's own."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import make_project

runner = CliRunner()

FILES = {
    "overlays/k8s.yml": """\
        providers:
          kubernetes:
            enabled: true
            accounts:
              - name: prod
                context: prod-ctx
        """,
    "overlays/profiles.yml": """\
        profiles:
          orca:
            tasks:
              - name: first
                timeout: 30
              - name: second
                timeout: 45
            hosts:
              - a.example.com
              - b.example.com
        """,
}


def _explain(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["explain", *args, str(root)])
    return result.exit_code, result.output


def test_a_profile_key_inside_a_list_names_its_own_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "orca", "tasks.1.timeout")
    assert code == 0
    assert out == "orca.yml tasks.1.timeout = 45\n  from overlays/profiles.yml:7 (profiles.orca)\n"


def test_a_profile_list_item_names_its_own_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "orca", "hosts.1")
    assert code == 0
    assert out == "orca.yml hosts.1 = b.example.com\n  from overlays/profiles.yml:10 (profiles.orca)\n"


def test_a_list_item_of_the_config_names_its_own_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "clouddriver", "kubernetes.accounts.0.context")
    assert code == 0
    assert "= prod-ctx\n" in out
    assert "from overlays/k8s.yml:6 (providers.kubernetes.accounts.0.context)" in out


def test_an_unknown_key_says_so_and_exits_1(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "orca", "tasks.7.timeout")
    assert code == 1
    assert "tasks.7.timeout is not set in orca.yml" in out
    code, out = _explain(root, "nosuch", "a")
    assert code == 1 and "'nosuch' is not rendered for this project" in out


def test_an_index_just_past_the_end_is_not_set(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "orca", "tasks.2.timeout")
    assert code == 1 and "tasks.2.timeout is not set in orca.yml" in out


def test_the_unknown_service_message_lists_what_is_rendered(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    _, out = _explain(root, "nosuch", "a")
    assert "(rendered: clouddriver, deck, echo, front50, gate, orca, rosco)" in out


def test_a_project_without_profiles(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"overlays/k8s.yml": FILES["overlays/k8s.yml"]})
    code, out = _explain(root, "clouddriver", "kubernetes.accounts.0.context")
    assert code == 0 and "from overlays/k8s.yml:6 (providers.kubernetes.accounts.0.context)" in out


def test_a_one_part_key_set_in_the_config_names_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, {**FILES, "overlays/version.yml": "version: 2025.2.0\n"})
    code, out = _explain(root, "deck", "version")
    assert (code, out) == (0, 'settings.js version = "2025.2.0"\n  from overlays/version.yml:1 (version)\n')


def test_a_flag_names_the_flag_it_came_from(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "clouddriver", "kubernetes.enabled")
    assert (code, out) == (
        0,
        "clouddriver.yml kubernetes.enabled = true\n  from overlays/k8s.yml:3 (providers.kubernetes.enabled)\n",
    )


def test_another_services_profile_is_no_source(tmp_path: Path) -> None:
    copied = "profiles:\n  orca:\n    kubernetes:\n      accounts:\n        - context: prod-ctx\n"
    root = make_project(tmp_path, {"overlays/a-copied.yml": copied, "overlays/k8s.yml": FILES["overlays/k8s.yml"]})
    code, out = _explain(root, "clouddriver", "kubernetes.accounts.0.context")
    assert code == 0 and "from overlays/k8s.yml:6 (providers.kubernetes.accounts.0.context)" in out


def test_derived_values_name_their_rules_module(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "deck", "feature.pipelines")
    assert (code, out) == (
        0,
        "settings.js feature.pipelines = true\n  from derived by spinconf's deck rules (spinconf/services/deck.py)\n",
    )
    code, out = _explain(root, "spinnaker", "services.gate")
    assert (code, out) == (
        0,
        'spinnaker.yml services.gate = baseUrl: http://localhost:8084\nenabled: true\nhost: "0.0.0.0"\n'
        "port: 8084\n  from derived by spinconf's spinnaker rules (spinconf/services/spinnaker.py)\n",
    )


def test_a_whole_document_and_a_default_base_url(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "orca", "hosts")
    assert (code, out) == (
        0,
        "orca.yml hosts = - a.example.com\n- b.example.com\n  from overlays/profiles.yml:8 (profiles.orca)\n",
    )
    code, out = _explain(root, "spinnaker", "services.gate.baseUrl")
    assert (code, out) == (
        0,
        "spinnaker.yml services.gate.baseUrl = http://localhost:8084\n  from default: http://localhost:<port>\n",
    )


def test_lookalikes_need_a_common_key_name(tmp_path: Path) -> None:
    files = {
        **FILES,
        "overlays/general.yml": "timezone: Europe/Paris\ndeck:\n  settings:\n    other:\n      pipelines: true\n",
    }
    root = make_project(tmp_path, files)
    # the same value under another name is no source: deck's rules derive defaultTimeZone from timezone
    code, out = _explain(root, "deck", "defaultTimeZone")
    assert (code, out) == (
        0,
        "settings.js defaultTimeZone = Europe/Paris\n"
        "  from derived by spinconf's deck rules (spinconf/services/deck.py)\n",
    )
    # one common key name of two says nothing either
    code, out = _explain(root, "deck", "feature.pipelines")
    assert out.endswith("from derived by spinconf's deck rules (spinconf/services/deck.py)\n")
    # a one-part key with no lookalike at all
    code, out = _explain(root, "deck", "version")
    assert (code, out) == (
        0,
        'settings.js version = "2025.2.0"\n  from derived by spinconf\'s deck rules (spinconf/services/deck.py)\n',
    )


def test_an_empty_key_shows_the_whole_file_and_values_keep_their_last_letters(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"overlays/p.yml": "profiles:\n  orca:\n    codes: [AX, BX]\n"})
    code, out = _explain(root, "orca", "codes")
    assert (code, out) == (0, "orca.yml codes = - AX\n- BX\n  from overlays/p.yml:3 (profiles.orca)\n")
    code, out = _explain(root, "orca", "")
    assert code == 0 and out.startswith("orca.yml  = ") and "codes:\n- AX\n- BX" in out


def test_a_reference_names_the_line_that_wrote_it(tmp_path: Path) -> None:
    notify = (
        "notifications:\n  slack:\n    enabled: true\n    botName: spinbot\n    token: {secret: slack-token}\n"
        "secrets:\n  slack-token: {ssm: /spinnaker/slack}\n"
    )
    jenkins = (
        "ci:\n  jenkins:\n    enabled: true\n    masters:\n      - name: main\n        address: https://ci.example.com\n"
        "        username: spinnaker\n        password: {env: JENKINS_PASSWORD}\n"
    )
    root = make_project(tmp_path, {**FILES, "overlays/notify.yml": notify, "overlays/jenkins.yml": jenkins})
    code, out = _explain(root, "echo", "slack.token")
    assert (code, out) == (
        0,
        'echo.yml slack.token = "${SPINCONF_SECRET_SLACK_TOKEN}"\n'
        "  from overlays/notify.yml:5 (notifications.slack.token)\n",
    )
    code, out = _explain(root, "igor", "jenkins.masters.0.password")
    assert code == 0
    assert out.endswith("from overlays/jenkins.yml:8 (ci.jenkins.masters.0.password)\n")


def test_a_file_secret_and_numbers_beside_references(tmp_path: Path) -> None:
    from tests.targets.projects import fargate

    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/kube-QwErTy"
    kube = (
        "providers:\n  kubernetes:\n    enabled: true\n    accounts:\n      - name: prod\n"
        f"        kubeconfigFile: {{secret: kube}}\nsecrets:\n  kube: {{secretsManager: '{arn}'}}\n"
    )
    root = make_project(tmp_path, fargate(extra={"overlays/kube.yml": kube}))
    code, out = _explain(root, "clouddriver", "kubernetes.accounts.0.kubeconfigFile")
    assert code == 0 and '= "encryptedFile:secrets-manager!r:eu-west-1!s:' in out
    assert out.endswith("from overlays/kube.yml:6 (providers.kubernetes.accounts.0.kubeconfigFile)\n")
    # a number is compared with every leaf, references among them
    code, out = _explain(root, "spinnaker", "services.gate.port")
    assert (code, out) == (
        0,
        "spinnaker.yml services.gate.port = 8084\n"
        "  from derived by spinconf's spinnaker rules (spinconf/services/spinnaker.py)\n",
    )


def test_an_empty_key_of_a_service_without_a_profile_shows_the_whole_file(tmp_path: Path) -> None:
    # was an internal error (KeyError on profiles.orca): the whole file is derived, not a profile's
    root = make_project(tmp_path, {"overlays/p.yml": "profiles:\n  clouddriver:\n    a: 1\n"})
    code, out = _explain(root, "orca", "")
    assert code == 0, out
    assert out.startswith("orca.yml  = ") and "\n  from derived by spinconf's orca rules" in out
    code, out = _explain(make_project(tmp_path / "bare", {"overlays/p.yml": "version: 2025.2.0\n"}), "orca", "")
    assert code == 0 and "\n  from derived by spinconf's orca rules" in out, out


def test_a_value_nobody_wrote_names_the_setting_and_where_to_write_it(tmp_path: Path) -> None:
    # a derived value whose setting is unset: the nearest section the user wrote, or "default"
    root = make_project(tmp_path, {"overlays/p.yml": "version: 2025.2.0\n"})
    code, out = _explain(root, "echo", "spinnaker.baseUrl")
    assert (code, out) == (
        0,
        "echo.yml spinnaker.baseUrl = http://localhost:9000\n"
        "  from default (set services.deck.baseUrl)\n"
        "  by deck's base URL for links in notifications (spinconf/services/context.py topology)\n",
    )
    root = make_project(
        tmp_path / "oauth2",
        {
            "overlays/p.yml": """\
                security:
                  authn:
                    oauth2:
                      enabled: true
                      client: {clientId: x, clientSecret: {secret: oauth}, accessTokenUri: https://a/t,
                               userAuthorizationUri: https://a/a, scope: openid}
                      resource: {userInfoUri: https://a/u}
                      userInfoMapping:
                        email: email
                secrets:
                  oauth: {ssm: /oauth}
                """
        },
    )
    key = "spring.security.oauth2.client.provider.other.user-name-attribute"
    code, out = _explain(root, "gate", key)
    assert (code, out) == (
        0,
        f"gate.yml {key} = email\n"
        "  from overlays/p.yml:8 (set security.authn.oauth2.userInfoMapping.username there)\n"
        "  by Spring Security 5's client registration from security.authn.oauth2 (spinconf/services/gate.py "
        "spring_oauth2)\n",
    )


def test_a_profile_that_sets_false_or_zero_is_named(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"overlays/p.yml": "profiles:\n  orca:\n    flag: false\n    count: 0\n"})
    assert _explain(root, "orca", "flag") == (0, "orca.yml flag = false\n  from overlays/p.yml:3 (profiles.orca)\n")
    assert _explain(root, "orca", "count") == (0, "orca.yml count = 0\n  from overlays/p.yml:4 (profiles.orca)\n")
