"""Rules no stricter than Halyard where Halyard's users run fine."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import load, make_project, render_ok, service_doc


def test_external_group_membership_is_halyards_default(tmp_path: Path) -> None:
    # hal writes `service: EXTERNAL` into every config (GroupMembership.java's default)
    root = make_project(
        tmp_path,
        {
            "overlays/security.yml": """\
            security:
              authz:
                enabled: true
                groupMembership:
                  service: EXTERNAL
              authn:
                enabled: true
                ldap:
                  enabled: true
                  url: ldap://ldap.example.com/dc=example,dc=com
                  userDnPattern: uid={0},ou=users
            """
        },
    )
    _, rendered = render_ok(root)
    fiat = service_doc(rendered, "fiat")
    # no role provider of fiat matches EXTERNAL: the roles come from the login (gate)
    assert fiat["auth"]["groupMembership"]["service"] == "EXTERNAL"


def _k8s_with_registry(tmp_path: Path, provider: str) -> Path:
    return make_project(
        tmp_path,
        {
            "overlays/providers.yml": f"""\
            providers:
              {provider}:
                enabled: true
                accounts:
                  - name: prod
                    dockerRegistries:
                      - accountName: dockerhub
            """
        },
    )


def test_unknown_registry_of_a_v2_kubernetes_account_is_not_an_error(tmp_path: Path) -> None:
    # Halyard's KubernetesAccountValidator checks dockerRegistries only for V1 accounts;
    # clouddriver's V2 (manifest) provider does not read them
    project = load(_k8s_with_registry(tmp_path, "kubernetes"))
    assert [d.text() for d in project.diagnostics.sorted() if d.is_error] == []


def test_unknown_registry_of_a_dcos_account_is_still_an_error(tmp_path: Path) -> None:
    project = load(_k8s_with_registry(tmp_path, "dcos"))
    texts = [d.text() for d in project.diagnostics.sorted() if d.code == "docker-registry-unknown"]
    assert texts and "overlays/providers.yml:7" in texts[0], texts
