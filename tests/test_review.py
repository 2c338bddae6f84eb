"""`render --check` and `spinconf diff`: what changed per environment, document and key, secrets masked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import REPO, make_project

runner = CliRunner()

SLACK = """\
notifications:
  slack:
    enabled: true
    botName: {bot}
    token: {token}
"""


def slack_project(root: Path, bot: str = "spinnakerbot", token: str = "xoxb-first-sekrit-1") -> Path:
    return make_project(
        root,
        {"overlays/slack.yml": SLACK.format(bot=bot, token=token), "overlays/general.yml": "timezone: UTC\n"},
        settings="plaintextSecrets: warn\n",
    )


def rendered(root: Path, *args: str) -> None:
    result = runner.invoke(app, ["render", str(root), *args])
    assert result.exit_code == 0, result.output


def test_check_shows_each_changed_key(tmp_path: Path) -> None:
    root = slack_project(tmp_path / "p")
    rendered(root)
    slack_project(root, bot="spinbot2")
    result = runner.invoke(app, ["render", "--check", str(root)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    want = "out: changed: services/echo/echo.yml: slack.botName: spinnakerbot -> spinbot2"
    assert any(ln.endswith(want) for ln in lines), lines
    # the manifest's hashes are not a change of their own
    assert not any("manifest.json" in ln for ln in lines), lines
    assert "is not up to date" in result.output


def test_a_plain_secret_never_prints(tmp_path: Path) -> None:
    root = slack_project(tmp_path / "p")
    rendered(root)
    slack_project(root, token="xoxb-second-sekrit-2")
    for command in (["render", "--check"], ["diff"], ["diff", "--format", "markdown"]):
        result = runner.invoke(app, [*command, str(root)])
        assert "sekrit" not in result.output, command
        assert "slack.token" in result.output, (command, result.output)
    check = runner.invoke(app, ["render", "--check", str(root)])
    assert "services/echo/echo.yml: slack.token: *** -> ***" in check.output


def test_a_secret_hand_written_into_out_is_masked_by_its_key(tmp_path: Path) -> None:
    root = slack_project(tmp_path / "p")
    rendered(root)
    echo = root / "out/services/echo/echo.yml"
    echo.write_text(echo.read_text() + "mail:\n  password: hunter2-in-out\n  storageAccountKey: azure-key-in-out\n")
    result = runner.invoke(app, ["diff", str(root)])
    assert result.exit_code == 0, result.output
    assert "hunter2" not in result.output and "azure-key" not in result.output
    assert "services/echo/echo.yml: mail.password: *** -> (unset)" in result.output


def test_a_url_password_is_masked(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"overlays/a.yml": "timezone: UTC\n"})
    rendered(root)
    gate = root / "out/services/gate/gate.yml"
    gate.write_text(gate.read_text() + "redis:\n  connection: redis://:pa55word@redis.internal:6379\n")
    result = runner.invoke(app, ["diff", str(root)])
    assert "pa55word" not in result.output
    assert "redis.connection: redis://:***@redis.internal:6379 -> (unset)" in result.output


def test_diff_per_environment_and_lines_of_other_files(tmp_path: Path) -> None:
    root = tmp_path / "environments"
    shutil.copytree(REPO / "examples" / "environments", root)
    rendered(root)
    prod = root / "environments/prod/ecs.yml"
    prod.write_text(prod.read_text().replace("desiredCount: 2", "desiredCount: 3"))
    stores = root / "overlays/aws.yml"
    result = runner.invoke(app, ["diff", str(root)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "out/prod: changed: terraform/variables.tf.json: variable.desired_counts.default.gate: 2 -> 3" in [
        ln.replace(str(root) + "/", "") for ln in lines
    ], result.stdout
    assert not any("out/staging" in ln for ln in lines)
    # a Dockerfile is compared line by line
    assert stores.is_file()
    staging = root / "environments/staging/ecs.yml"
    staging.write_text(staging.read_text().replace("version: 2025.2.4", "version: 2025.2.3"))
    lines = [ln.replace(str(root) + "/", "") for ln in runner.invoke(app, ["diff", str(root)]).stdout.splitlines()]
    assert any(ln.startswith("out/staging: changed: services/gate/Dockerfile: - FROM ") for ln in lines), lines
    assert any(ln.startswith("out/staging: changed: services/gate/Dockerfile: + FROM ") for ln in lines), lines


def test_diff_formats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = slack_project(tmp_path / "p")
    rendered(root)
    slack_project(root, bot="spin|bot`2")
    md = runner.invoke(app, ["diff", str(root), "--format", "markdown"])
    assert md.exit_code == 0, md.output
    assert "| key | before | after |" in md.stdout
    assert '| `slack.botName` | `spinnakerbot` | ``"spin\\|bot`2"`` |' in md.stdout, md.stdout
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    gh = runner.invoke(app, ["diff", str(root), "--format", "github"])
    assert gh.exit_code == 0
    assert summary.read_text() == md.stdout
    check = runner.invoke(app, ["render", "--check", str(root), "--format", "github"])
    assert check.exit_code == 1
    assert summary.read_text() == md.stdout * 2
    assert runner.invoke(app, ["diff", str(root), "--format", "xml"]).exit_code == 2


def test_no_changes(tmp_path: Path) -> None:
    root = slack_project(tmp_path / "p")
    rendered(root)
    result = runner.invoke(app, ["diff", str(root)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "0 changes" in result.output


def test_no_line_of_the_review_can_be_read_as_a_ci_command(tmp_path: Path) -> None:
    root = slack_project(tmp_path / "p")
    rendered(root)
    echo = root / "out/services/echo/echo.yml"
    echo.write_text(echo.read_text() + '"x\\n::error::forged": "a\\n::warning::forged too"\n')
    dockerfile = root / "out/services/echo/Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "# \\u2028::error::x\n")
    result = runner.invoke(app, ["render", "--check", str(root), "--format", "github"])
    assert result.exit_code == 1
    assert not [ln for ln in result.output.splitlines() if ln.lstrip().startswith("::") and "forged" in ln]
    assert '"x\\n::error::forged": "a\\n::warning::forged too" -> (unset)' in result.output


def test_a_link_in_out_is_not_followed(tmp_path: Path) -> None:
    root = slack_project(tmp_path / "p")
    rendered(root)
    outside = tmp_path / "outside.yml"
    outside.write_text("slack:\n  botName: read-from-outside\n")
    echo = root / "out/services/echo/echo.yml"
    echo.unlink()
    echo.symlink_to(outside)
    result = runner.invoke(app, ["diff", str(root)])
    assert "read-from-outside" not in result.output
    assert "changed (a symbolic link, not followed): services/echo/echo.yml" in result.output
