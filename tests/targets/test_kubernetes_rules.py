"""Rules of issue 20: localhost addresses on every target, Kubernetes Secrets, kork's k8s engine."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import make_project
from tests.secrets.util import ECS_BASE, found, messages, run
from tests.targets.test_kubernetes import project_files

runner = CliRunner()


def with_files(tmp_path: Path, files: dict[str, str], **extra: str) -> Path:
    return make_project(tmp_path, {**files, **extra})


def test_peers_at_localhost_are_a_warning_off_any_target(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"overlays/general.yml": "timezone: Europe/Paris\n"})
    p, _ = run(root)
    assert found(p, "localhost-address")[0][2] == "warning"
    text = " ".join(messages(p, "localhost-address"))
    assert "clouddriver" in text and "localhost" in text


def test_a_peer_at_localhost_is_an_error_on_kubernetes(tmp_path: Path) -> None:
    files = project_files()
    files["overlays/orca.yml"] = "services:\n  orca:\n    baseUrl: http://localhost:8083\n"
    p, _ = run(make_project(tmp_path, files))
    assert found(p, "kubernetes-localhost") == [("overlays/orca.yml", 3, "error")]
    assert "gate" in messages(p, "kubernetes-localhost")[0]
    assert found(p, "localhost-address") == []


def test_a_store_at_localhost_is_an_error_on_kubernetes_and_render_writes_nothing(tmp_path: Path) -> None:
    files = project_files()
    del files["overlays/redis.yml"]
    root = make_project(tmp_path, files)
    p, _ = run(root)
    errors = messages(p, "kubernetes-localhost")
    assert any("clouddriver would use redis at redis://localhost:6379" in m for m in errors)
    result = runner.invoke(app, ["render", str(root)])
    assert result.exit_code == 1
    assert "[kubernetes-localhost]" in result.output
    assert not (root / "out").exists()


def test_kubernetes_peer_addresses_come_from_the_namespace(tmp_path: Path) -> None:
    p, rendered = run(make_project(tmp_path, project_files("  namespace: team-spin\n")))
    assert rendered is not None
    shared = yaml.safe_load(rendered.files["services/gate/spinnaker.yml"])["services"]
    assert shared["orca"]["baseUrl"] == "http://orca.team-spin:8083"
    assert shared["clouddriverRw"]["baseUrl"] == "http://clouddriver-rw.team-spin:7002"
    assert shared["echoWorker"]["baseUrl"] == "http://echo-worker.team-spin:8089"
    assert found(p, "localhost-address") == found(p, "kubernetes-localhost") == []


def test_namespace_must_be_a_kubernetes_name(tmp_path: Path) -> None:
    p, _ = run(make_project(tmp_path, project_files("  namespace: Spin_Naker\n")))
    assert found(p, "kubernetes-namespace") == [("overlays/kubernetes.yml", 2, "error")]


def test_kubernetes_secret_declarations(tmp_path: Path) -> None:
    files = project_files()
    files["overlays/slack.yml"] = files["overlays/slack.yml"].replace("key: slack-token", "env: SLACK_TOKEN")
    p, _ = run(make_project(tmp_path / "nokey", files))
    assert found(p, "secret-key") == [("overlays/slack.yml", 7, "error")]
    assert "say which with key:" in messages(p, "secret-key")[0]

    files = project_files()
    files["overlays/slack.yml"] = files["overlays/slack.yml"].replace("spin-secrets", "Spin_Secrets")
    p, _ = run(make_project(tmp_path / "badname", files))
    assert found(p, "secret-kubernetes-name") == [("overlays/slack.yml", 8, "error")]
    assert found(p, "secret-source") == []


def test_a_kubernetes_secret_on_the_ecs_target_is_an_error(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "overlays/base.yml": ECS_BASE
            + "notifications:\n  slack: {enabled: true, botName: s, token: {secret: slack}}\n"
            + "secrets:\n  slack:\n    kubernetesSecret: spin-secrets\n    key: slack\n",
        },
    )
    p, _ = run(root)
    assert [f[2] for f in found(p, "secret-kubernetes-on-ecs")] == ["error"]


def test_an_aws_secret_on_kubernetes_is_a_warning(tmp_path: Path) -> None:
    files = project_files()
    files["overlays/slack.yml"] = files["overlays/slack.yml"].replace(
        "kubernetesSecret: spin-secrets\n                key: slack-token",
        "ssm: /spinnaker/slack-token",
    )
    p, _ = run(make_project(tmp_path, files))
    assert [f[2] for f in found(p, "kubernetes-secret-unsupplied")] == ["warning"]


def test_kork_form_where_the_release_has_the_engine(tmp_path: Path) -> None:
    files = project_files("  secrets: kork\n")
    files["overlays/kayenta.yml"] = """\
        services:
          kayenta: {enabled: true}
        profiles:
          kayenta: {db: {password: {secret: db}}}
          orca: {db: {password: {secret: db}}}
        secrets:
          db: {kubernetesSecret: spin-db, key: password}
        """
    p, rendered = run(make_project(tmp_path / "new", files))
    assert rendered is not None
    kayenta = yaml.safe_load(rendered.files["services/kayenta/kayenta.yml"])
    assert kayenta["db"]["password"] == "encrypted:k8s!n:spin-db!k:password"
    assert kayenta["spinnaker"]["secrets"]["kubernetes"]["enabled"] is True
    orca = yaml.safe_load(rendered.files["services/orca/orca.yml"])
    assert orca["db"]["password"] == "${SPINCONF_SECRET_DB}"  # orca has no k8s engine: a secretKeyRef
    assert "kubernetes/patches/orca.yml" in rendered.files
    assert "kubernetes/patches/kayenta.yml" not in rendered.files
    assert any("orca" in m for m in messages(p, "kubernetes-kork-engine"))

    files["versions.txt"] = "2025.2.0\n"  # before kork-secrets-k8s
    _, rendered = run(make_project(tmp_path / "old", files))
    assert rendered is not None
    kayenta = yaml.safe_load(rendered.files["services/kayenta/kayenta.yml"])
    assert kayenta["db"]["password"] == "${SPINCONF_SECRET_DB}"
    assert "kubernetes/patches/kayenta.yml" in rendered.files


def test_an_encrypted_k8s_string_is_checked(tmp_path: Path) -> None:
    files = project_files()
    files["overlays/profiles.yml"] = """\
        profiles:
          echo: {a: "encrypted:k8s!n:spin-secrets"}
          orca: {b: "encrypted:k8s!n:spin-secrets!k:b"}
        """
    p, _ = run(make_project(tmp_path, files))
    assert [m for m in messages(p, "kork-k8s-reference") if m.startswith("echo")]
    assert any(m.startswith("orca") for m in messages(p, "kubernetes-kork-engine"))


def test_deck_reaching_gate_inside_the_cluster_is_a_warning(tmp_path: Path) -> None:
    p, _ = run(make_project(tmp_path / "internal", project_files()))
    assert [f[2] for f in found(p, "kubernetes-gate-url-internal")] == ["warning"]
    assert "http://gate.spin:8084" in messages(p, "kubernetes-gate-url-internal")[0]
    files = project_files()
    files["overlays/api.yml"] = "security:\n  apiSecurity:\n    overrideBaseUrl: https://spinnaker-api.example.com\n"
    p, rendered = run(make_project(tmp_path / "public", files))
    assert found(p, "kubernetes-gate-url-internal") == []
    assert rendered is not None and b"https://spinnaker-api.example.com" in rendered.files["kubernetes/settings.js"]


def test_a_file_in_a_kubernetes_secret_needs_the_kubernetes_target(tmp_path: Path) -> None:
    files = project_files()
    del files["overlays/kubernetes.yml"]
    files["overlays/providers.yml"] = files["overlays/providers.yml"].replace(
        "serviceAccount: true", "kubeconfigFile: {secret: prod-kubeconfig}"
    )
    files["overlays/kubeconfig.yml"] = "secrets:\n  prod-kubeconfig: {kubernetesSecret: kubeconfigs, key: prod}\n"
    p, _ = run(make_project(tmp_path, files))
    assert found(p, "file-secret-unsupported") == [("overlays/providers.yml", 7, "error")]
    assert "only the Kubernetes target" in messages(p, "file-secret-unsupported")[0]


def test_an_image_the_release_does_not_name_is_a_warning_and_is_left_to_the_base(tmp_path: Path) -> None:
    files = project_files()
    files["versions.txt"] = "master-latest-unvalidated\n"
    p, rendered = run(make_project(tmp_path, files))
    assert found(p, "kubernetes-image-unknown") == [("versions.txt", 1, "warning")]
    assert rendered is not None
    assert "images" not in yaml.safe_load(rendered.files["kubernetes/kustomization.yml"])


def test_ecs_and_kubernetes_together_are_an_error(tmp_path: Path) -> None:
    # both targets at once rendered ECS's Cloud Map addresses into the kustomize component
    files = project_files()
    files["overlays/ecs.yml"] = (
        "ecs:\n  region: eu-west-1\n  imageRepository: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/s\n"
    )
    p, _ = run(make_project(tmp_path, files))
    assert found(p, "target-conflict") == [("overlays/kubernetes.yml", 1, "error")]
    assert not p.valid


PLUGINS = """\
spinnaker:
  extensibility:
    downloadAtBuild: true
    repositories:
      examples: {url: 'https://example.com/plugins.json'}
    plugins:
      Armory.RandomWait:
        enabled: true
        version: 1.1.17
"""


def test_what_is_baked_into_images_needs_images_on_kubernetes(tmp_path: Path) -> None:
    # without kubernetes.dockerfiles no image is built: plugins fetched at build and baked files
    # were dropped without a word (and the services lost their plugin repositories)
    files = project_files()
    files["overlays/plugins.yml"] = PLUGINS
    files["overlays/files.yml"] = "services:\n  gate:\n    files: [{source: ca.pem, target: /opt/ca.pem}]\n"
    files["ca.pem"] = "not a real certificate\n"
    p, _ = run(make_project(tmp_path / "bare", files))
    assert found(p, "baked-without-image") == [
        ("overlays/files.yml", 3, "error"),
        ("overlays/plugins.yml", 3, "error"),
    ]
    # with images, the same project renders: the plugins are fetched while gate's image is built
    images = project_files(kubernetes="  namespace: spin\n  dockerfiles: true\n")
    images["overlays/plugins.yml"] = PLUGINS
    p, rendered = run(make_project(tmp_path / "images", images))
    assert found(p, "baked-without-image") == [] and rendered is not None
    assert "FROM " in rendered.files["services/orca/Dockerfile"].decode()
    orca = yaml.safe_load(rendered.files["kubernetes/orca.yml"])
    assert "repositories" not in orca["spinnaker"]["extensibility"]
