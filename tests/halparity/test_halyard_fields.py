"""Halyard fields kleat lacks, rendered where the services read them."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import make_project, render_ok, run_settings_js, service_doc

OVERLAY = """\
providers:
  kubernetes:
    enabled: true
    accounts:
      - name: eks
        context: eks-prod
        cacheIntervalSeconds: 60
        namingStrategy: kubernetesAnnotations
        rawResourcesEndpointConfig:
          kindExpressions: [deployment, "configmap"]
          omitKindExpressions: [secret]
repository:
  nexus:
    enabled: true
    searches:
      - name: nexus-releases
        baseUrl: https://nexus.example.com/repository/maven-releases
        repo: maven-releases
        nodeId: nexus-node
        username: igor
        password: {secret: nexus}
stats:
  enabled: true
  connectionTimeoutMillis: 3000
  readTimeoutMillis: 5000
features:
  infrastructureStages: true
  travis: false
  wercker: true
secrets:
  nexus:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/nexus
"""


def test_fields_reach_the_services_that_read_them(tmp_path: Path) -> None:
    _, rendered = render_ok(make_project(tmp_path / "p", {"overlays/main.yml": OVERLAY}))
    account = service_doc(rendered, "clouddriver")["kubernetes"]["accounts"][0]
    assert account["rawResourcesEndpointConfig"] == {
        "kindExpressions": ["deployment", "configmap"],
        "omitKindExpressions": ["secret"],
    }
    assert account["cacheIntervalSeconds"] == 60 and account["namingStrategy"] == "kubernetesAnnotations"
    igor = service_doc(rendered, "igor")  # nexus alone starts igor (igor-monitor-nexus)
    assert igor["nexus"]["enabled"] is True
    assert igor["nexus"]["searches"][0]["nodeId"] == "nexus-node"
    assert igor["nexus"]["searches"][0]["password"] == "${SPINCONF_SECRET_NEXUS}"
    stats = service_doc(rendered, "echo")["stats"]
    assert stats["connectionTimeoutMillis"] == 3000 and stats["readTimeoutMillis"] == 5000
    feature = run_settings_js(rendered.files["services/deck/settings.js"].decode())["feature"]
    assert feature["infrastructureStages"] is True
    assert feature["travis"] is False and feature["wercker"] is True


def test_tencentcloud_and_cloudrun_reach_clouddriver(tmp_path: Path) -> None:
    overlay = """\
providers:
  tencentcloud:
    enabled: true
    accounts:
      - name: tc
        secretId: AKID
        secretKey: {secret: tencent-key}
        regions: [ap-guangzhou]
  cloudrun:
    enabled: true
    accounts:
      - name: run
        project: my-project
secrets:
  tencent-key:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/tencent
"""
    _, rendered = render_ok(make_project(tmp_path / "p", {"overlays/main.yml": overlay}))
    doc = service_doc(rendered, "clouddriver")
    assert doc["tencentcloud"]["accounts"][0]["secretKey"] == "${SPINCONF_SECRET_TENCENT_KEY}"
    assert doc["tencentcloud"]["accounts"][0]["regions"] == ["ap-guangzhou"]
    assert doc["cloudrun"] == {"enabled": True, "accounts": [{"name": "run", "project": "my-project"}]}
