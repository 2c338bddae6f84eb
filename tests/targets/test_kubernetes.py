"""The Kubernetes target: spinconf's files in kleat's place, built with ``kubectl kustomize`` (issue 20)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from spinconf.render import write_output
from tests.helpers import make_project, render_ok
from tests.targets.kustomize import build, container, data, deployments, find, needs_kubectl

JAVA = ("clouddriver", "echo", "fiat", "front50", "gate", "igor", "kayenta", "keel", "orca", "rosco")
ENABLED = ("clouddriver", "echo", "front50", "gate", "orca", "rosco")


def project_files(kubernetes: str = "  namespace: spin\n", version: str = "2026.1.0") -> dict[str, str]:
    return {
        "versions.txt": f"{version}\n",
        "overlays/kubernetes.yml": "kubernetes:\n" + kubernetes,
        "overlays/providers.yml": """\
            providers:
              kubernetes:
                enabled: true
                primaryAccount: k8s
                accounts:
                  - name: k8s
                    serviceAccount: true
            """,
        "overlays/storage.yml": """\
            persistentStorage:
              s3:
                enabled: true
                bucket: spin-bucket
                rootFolder: front50
            """,
        "overlays/redis.yml": """\
            services:
              clouddriver: {redis: {url: "redis://redis.spin:6379"}}
              gate: {redis: {url: "redis://redis.spin:6379"}}
              orca: {redis: {url: "redis://redis.spin:6379"}}
              rosco: {redis: {url: "redis://redis.spin:6379"}}
            """,
        "overlays/slack.yml": """\
            notifications:
              slack:
                enabled: true
                botName: spinnaker
                token: {secret: slack-token}
            secrets:
              slack-token:
                kubernetesSecret: spin-secrets
                key: slack-token
            """,
    }


def rendered_out(tmp_path: Path, files: dict[str, str]) -> tuple[Path, dict[str, bytes]]:
    root = make_project(tmp_path / "project", files)
    project, rendered = render_ok(root)
    out = write_output(project, rendered.files)
    return out, rendered.files


def parsed(text: str | bytes) -> Any:
    return yaml.safe_load(text)


def env_names(deployment: dict[str, Any]) -> set[str]:
    return {e["name"] for e in container(deployment).get("env") or []}


@needs_kubectl
def test_kustomization_base_builds_with_spinconfs_files_in_kleats_place(tmp_path: Path) -> None:
    out, files = rendered_out(tmp_path, project_files())
    objects = build(tmp_path / "install", "kustomization-base", out / "kubernetes", namespace="spin")

    for svc in JAVA:
        secret = data(find(objects, "Secret", f"{svc}-config"))
        if svc in ENABLED:
            assert parsed(secret[f"{svc}.yml"]) == parsed(files[f"services/{svc}/{svc}.yml"])
        else:  # the base runs it (or holds its config Secret); the project does not: {} replaces kleat's file
            assert parsed(secret[f"{svc}.yml"]) == {}
        shared = parsed(secret["spinnaker.yml"])["services"]
        assert shared["clouddriver"]["baseUrl"] == "http://clouddriver-rw.spin:7002"
        assert shared["clouddriverRoDeck"]["baseUrl"] == "http://clouddriver-ro-deck.spin:7002"
        assert shared["clouddriverCaching"]["baseUrl"] == "http://clouddriver-caching.spin:7002"
        assert shared["echo"]["baseUrl"] == "http://echo-worker.spin:8089"
        assert shared["echoScheduler"]["baseUrl"] == "http://echo-scheduler.spin:8089"
        assert shared["front50"]["baseUrl"] == "http://front50.spin:8080"
        assert "localhost" not in secret["spinnaker.yml"]
    assert (
        parsed(data(find(objects, "Secret", "clouddriver-config"))["clouddriver.yml"])["kubernetes"]["accounts"][0][
            "name"
        ]
        == "k8s"
    )
    assert data(find(objects, "Secret", "deck-config"))["settings.js"] == files["services/deck/settings.js"].decode()
    find(objects, "ConfigMap", "deck-env")
    assert "spinnaker-monitoring.yml" in data(find(objects, "Secret", "spinnaker-monitoring-config"))

    running = deployments(objects)
    assert {"clouddriver-rw", "clouddriver-ro-deck", "echo-worker", "echo-scheduler", "igor"} <= set(running)
    for name, deployment in running.items():
        svc = container(deployment)["name"]
        assert container(deployment)["image"] == f"ghcr.io/spinnaker/{svc}:2026.1.0", name
    # the secret reaches exactly the Deployments whose files use it
    wired = {name for name, d in running.items() if "SPINCONF_SECRET_SLACK_TOKEN" in env_names(d)}
    assert wired == {"echo-worker", "echo-scheduler"}
    env = next(e for e in container(running["echo-worker"])["env"] if e["name"] == "SPINCONF_SECRET_SLACK_TOKEN")
    assert env["valueFrom"] == {"secretKeyRef": {"name": "spin-secrets", "key": "slack-token"}}
    echo = parsed(data(find(objects, "Secret", "echo-config"))["echo.yml"])
    assert echo["slack"]["token"] == "${SPINCONF_SECRET_SLACK_TOKEN}"


@needs_kubectl
def test_spinnaker_kustomize_builds_and_keeps_spring_config_import(tmp_path: Path) -> None:
    files = project_files("  namespace: spin\n  base: spinnaker-kustomize\n")
    out, rendered = rendered_out(tmp_path, files)
    objects = build(tmp_path / "install", "spinnaker-kustomize", out / "kubernetes", namespace="spin")

    shared = parsed(data(find(objects, "ConfigMap", "spinnaker"))["spinnaker.yml"])
    assert shared["spring"]["config"]["import"] == "optional:file:/opt/spinnaker/config/*/"
    assert shared["services"]["clouddriver"]["baseUrl"] == "http://clouddriver.spin:7002"
    assert shared["services"]["echo"]["baseUrl"] == "http://echo.spin:8089"
    assert "clouddriverRw" not in shared["services"]  # this base runs one clouddriver
    for svc in JAVA:
        own = parsed(data(find(objects, "ConfigMap", svc))[f"{svc}.yml"])
        assert own == (parsed(rendered[f"services/{svc}/{svc}.yml"]) if svc in ENABLED else {})
    assert data(find(objects, "ConfigMap", "deck"))["settings.js"] == rendered["services/deck/settings.js"].decode()
    running = deployments(objects)
    assert {n for n, d in running.items() if "SPINCONF_SECRET_SLACK_TOKEN" in env_names(d)} == {"echo"}


def test_no_dockerfiles_on_the_kubernetes_target_unless_asked(tmp_path: Path) -> None:
    files = render_ok(make_project(tmp_path / "a", project_files()))[1].files
    assert not [p for p in files if p.endswith("Dockerfile")]
    assert "kubernetes/kustomization.yml" in files
    _, rendered = render_ok(make_project(tmp_path / "b", project_files("  dockerfiles: true\n")))
    assert "services/gate/Dockerfile" in rendered.files


def test_component_lists_kleats_files_with_merge_generators(tmp_path: Path) -> None:
    _, rendered = render_ok(make_project(tmp_path / "p", project_files()))
    doc = parsed(rendered.files["kubernetes/kustomization.yml"])
    assert doc["kind"] == "Component"
    by_name = {g["name"]: g for g in doc["secretGenerator"]}
    for svc in JAVA:
        assert by_name[f"{svc}-config"] == {
            "behavior": "merge",
            "name": f"{svc}-config",
            "files": [f"{svc}.yml", "spinnaker.yml"],
        }
    assert by_name["deck-config"]["files"] == ["settings.js"]
    assert doc["configMapGenerator"] == [{"behavior": "merge", "name": "deck-env", "envs": ["deck.env"]}]
    images = {i["name"].rsplit("/", 1)[-1]: i for i in doc["images"]}
    assert images["gate"] == {
        "name": "us-docker.pkg.dev/spinnaker-community/docker/gate",
        "newName": "ghcr.io/spinnaker/gate",
        "newTag": "2026.1.0",
    }
    for name in ("clouddriver.yml", "settings.js", "deck.env", "spinnaker-monitoring.yml", "igor.yml"):
        assert f"kubernetes/{name}" in rendered.files


@needs_kubectl
def test_a_file_kept_in_a_kubernetes_secret_is_mounted_where_its_path_is_used(tmp_path: Path) -> None:
    files = project_files()
    files["overlays/providers.yml"] = files["overlays/providers.yml"].replace(
        "serviceAccount: true", "kubeconfigFile: {secret: prod-kubeconfig}"
    )
    files["overlays/kubeconfig.yml"] = "secrets:\n  prod-kubeconfig: {kubernetesSecret: kubeconfigs, key: prod}\n"
    out, rendered = rendered_out(tmp_path, files)
    clouddriver = parsed(rendered["kubernetes/clouddriver.yml"])
    assert clouddriver["kubernetes"]["accounts"][0]["kubeconfigFile"] == "/var/spinconf/secrets/kubeconfigs/prod"
    objects = build(tmp_path / "install", "kustomization-base", out / "kubernetes", namespace="spin")
    running = deployments(objects)
    mounted = {
        name
        for name, d in running.items()
        if {"secret": {"secretName": "kubeconfigs"}, "name": "spinconf-kubeconfigs"}
        in d["spec"]["template"]["spec"]["volumes"]
    }
    assert mounted == {"clouddriver-caching", "clouddriver-ro", "clouddriver-ro-deck", "clouddriver-rw"}
    mount = container(running["clouddriver-rw"])["volumeMounts"]
    assert {"name": "spinconf-kubeconfigs", "mountPath": "/var/spinconf/secrets/kubeconfigs", "readOnly": True} in mount


@needs_kubectl
def test_deck_env_carries_decks_tls_files_and_its_passphrase_comes_from_the_secret(tmp_path: Path) -> None:
    files = project_files()
    files["overlays/ui.yml"] = """\
        security:
          uiSecurity:
            ssl:
              enabled: true
              sslCertificateFile: {secret: deck-cert}
              sslCertificateKeyFile: {secret: deck-key}
              sslCertificatePassphrase: {secret: deck-passphrase}
        secrets:
          deck-cert: {kubernetesSecret: deck-tls, key: tls.crt}
          deck-key: {kubernetesSecret: deck-tls, key: tls.key}
          deck-passphrase: {kubernetesSecret: deck-tls, key: passphrase}
        """
    out, rendered = rendered_out(tmp_path, files)
    objects = build(tmp_path / "install", "kustomization-base", out / "kubernetes", namespace="spin")
    assert data(find(objects, "ConfigMap", "deck-env")) == {
        "DECK_CERT": "/var/spinconf/secrets/deck-tls/tls.crt",
        "DECK_KEY": "/var/spinconf/secrets/deck-tls/tls.key",
    }
    deck = deployments(objects)["deck"]
    assert {
        "name": "PASSPHRASE",
        "valueFrom": {"secretKeyRef": {"name": "deck-tls", "key": "passphrase"}},
    } in container(deck)["env"]
    assert {"name": "spinconf-deck-tls", "secret": {"secretName": "deck-tls"}} in deck["spec"]["template"]["spec"][
        "volumes"
    ]
    assert b"passphrase" not in rendered["kubernetes/deck.env"]
