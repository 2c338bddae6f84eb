"""`spinconf fix` renames Spring keys that changed name between releases, only where the release calls for it."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import make_project

runner = CliRunner()

PROFILES = (
    "version: {version}\n"
    "profiles:\n"
    "  gate:\n"
    "    server:\n"
    "      use-forward-headers: true   # behind the ALB\n"
    "  orca:\n"
    "    sql.connectionPool:  # the orca database\n"
    "      jdbcUrl: 'jdbc:mysql://db:3306/orca'\n"
    "      user: orca\n"
)


def _project(tmp_path: Path, version: str) -> Path:
    return make_project(
        tmp_path / "p", {"overlays/a.yml": PROFILES.format(version=version)}, "plaintextSecrets: warn\n"
    )


def test_validate_names_each_renamed_key_and_says_fix_renames_it(tmp_path: Path) -> None:
    root = _project(tmp_path, "1.30.0")
    result = runner.invoke(app, ["validate", str(root)])
    lines = [line for line in result.output.splitlines() if "renamed-key" in line or "renamed" in line]
    forward = [line for line in lines if "use-forward-headers" in line]
    pool = [line for line in lines if "connectionPool" in line]
    assert forward and forward[0].startswith("overlays/a.yml:5:7:"), result.output
    assert "server.forward-headers-strategy" in forward[0] and "(`spinconf fix` renames it)" in forward[0]
    assert pool and pool[0].startswith("overlays/a.yml:7:5:"), result.output
    assert "is now profiles.orca.sql.connectionPools.default:" in pool[0] and "(`spinconf fix` renames it)" in pool[0]


def test_fix_renames_them_keeping_comments_and_quotes_and_is_idempotent(tmp_path: Path) -> None:
    root = _project(tmp_path, "1.30.0")
    result = runner.invoke(app, ["fix", str(root)])
    assert result.exit_code == 0, result.output
    text = (root / "overlays/a.yml").read_text()
    assert text.count("# behind the ALB") == 1 and text.count("# the orca database") == 1
    assert "jdbcUrl: 'jdbc:mysql://db:3306/orca'" in text
    data = yaml.safe_load(text)
    assert data["profiles"]["gate"] == {"server": {"forward-headers-strategy": "native"}}
    assert data["profiles"]["orca"] == {
        "sql.connectionPools": {"default": {"default": True, "jdbcUrl": "jdbc:mysql://db:3306/orca", "user": "orca"}}
    }
    assert runner.invoke(app, ["fix", str(root), "--check"]).exit_code == 0
    validated = runner.invoke(app, ["validate", str(root)])
    assert validated.exit_code == 0, validated.output
    assert "renamed" not in validated.output
    rendered = runner.invoke(app, ["render", str(root), "--out", str(tmp_path / "out")])
    assert rendered.exit_code == 0, rendered.output
    gate = yaml.safe_load((tmp_path / "out/services/gate/gate.yml").read_text())
    assert gate["server"]["forward-headers-strategy"] == "native"


def test_an_older_release_keeps_the_old_names(tmp_path: Path) -> None:
    # 1.12 services run Spring Boot < 2.2 and kork before named pools: the old keys are the right ones
    root = _project(tmp_path, "1.12.0")
    before = (root / "overlays/a.yml").read_text()
    result = runner.invoke(app, ["validate", str(root)])
    assert "renamed" not in result.output, result.output
    assert runner.invoke(app, ["fix", str(root)]).exit_code == 0
    assert (root / "overlays/a.yml").read_text() == before


def test_false_becomes_none_and_between_the_two_releases_only_one_key_is_renamed(tmp_path: Path) -> None:
    overlay = PROFILES.format(version="1.15.0").replace("use-forward-headers: true", "use-forward-headers: false")
    root = make_project(tmp_path / "p", {"overlays/a.yml": overlay}, "plaintextSecrets: warn\n")
    assert runner.invoke(app, ["fix", str(root)]).exit_code == 0
    data = yaml.safe_load((root / "overlays/a.yml").read_text())
    assert data["profiles"]["gate"] == {"server": {"use-forward-headers": False}}  # 1.15 < 1.19: kept
    assert "sql.connectionPools" in data["profiles"]["orca"]  # 1.15 >= 1.13: renamed
    root2 = make_project(
        tmp_path / "q",
        {"overlays/a.yml": "version: 1.20.0\nprofiles:\n  gate:\n    server.use-forward-headers: false\n"},
        "plaintextSecrets: warn\n",
    )
    assert runner.invoke(app, ["fix", str(root2)]).exit_code == 0
    data = yaml.safe_load((root2 / "overlays/a.yml").read_text())
    assert data["profiles"]["gate"] == {"server.forward-headers-strategy": "none"}


def test_both_keys_written_or_a_reference_value_is_not_claimed_fixable(tmp_path: Path) -> None:
    overlay = (
        "version: 1.30.0\nprofiles:\n  gate:\n    server:\n      use-forward-headers: true\n"
        "      forward-headers-strategy: framework\n"
        "  echo:\n    server.use-forward-headers: {env: FORWARD}\n"
    )
    root = make_project(tmp_path / "p", {"overlays/a.yml": overlay}, "plaintextSecrets: warn\n")
    result = runner.invoke(app, ["validate", str(root)])
    lines = [line for line in result.output.splitlines() if "[renamed-key]" in line]
    assert len(lines) == 2 and not any("spinconf fix" in line for line in lines), result.output
    before = (root / "overlays/a.yml").read_text()
    assert runner.invoke(app, ["fix", str(root)]).exit_code == 0
    assert (root / "overlays/a.yml").read_text() == before
