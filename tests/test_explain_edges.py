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
