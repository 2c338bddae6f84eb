"""docs/reference.md is generated from the model and the rules, and kept current."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from spinconf.cli import app
from spinconf.reference import entries, render

REFERENCE = Path(__file__).resolve().parent.parent.parent / "docs" / "reference.md"


def test_reference_is_current() -> None:
    assert REFERENCE.read_text() == render(), "docs/reference.md is stale: run `spinconf reference > docs/reference.md`"


def test_reference_command_prints_it() -> None:
    result = CliRunner().invoke(app, ["reference"])
    assert result.exit_code == 0
    assert result.output == render()


def test_entries_carry_type_default_files_secret_and_rules() -> None:
    by_path = {e.path: e for e in entries()}
    password = by_path["providers.dockerRegistry.accounts.*.password"]
    assert password.secret == "secret"
    assert "clouddriver.yml" in password.files
    assert "docker-password-sources" in password.rules
    assert by_path["services.front50.sql.password"].secret == "secret"
    assert by_path["security.apiSecurity.ssl.keyStore"].secret == "secret file"
    assert by_path["ecs.familyPrefix"].default == "`spinnaker`"
    assert by_path["providers.kubernetes.accounts.*.cacheThreads"].type == "integer (or {env} ref)"
    assert by_path["persistentStorage.sql.default.jdbcUrl"].files == ("keel.yml",)
    assert "timezone-unknown" in by_path["timezone"].rules
