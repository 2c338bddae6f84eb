"""Semantic rules as a user meets them: kleat's configs stay valid, --strict, scale, no secret echoed."""

from __future__ import annotations

import gc
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import load, make_project

KLEAT = Path(__file__).resolve().parent.parent / "conformance" / "kleat"
KLEAT_CONFIGS = [*sorted(KLEAT.glob("cases/*/halconfig.yml")), KLEAT / "testdata" / "halconfig.yml"]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "checks"


@pytest.mark.parametrize("halconfig", KLEAT_CONFIGS, ids=lambda p: p.parent.name)
def test_kleat_configs_have_no_errors(halconfig: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "overlays").mkdir(parents=True)
    shutil.copy(halconfig, root / "overlays" / "halconfig.yml")
    (root / "spinconf.yml").write_text("plaintextSecrets: warn\n")
    project = load(root)
    assert [d.text() for d in project.diagnostics.sorted() if d.is_error] == []


def test_kleat_testdata_warnings_point_at_the_values(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "overlays").mkdir(parents=True)
    shutil.copy(KLEAT / "testdata" / "halconfig.yml", root / "overlays" / "halconfig.yml")
    project = load(root)
    codes = {(d.code, d.key) for d in project.diagnostics.sorted()}
    assert ("aws-lifecycle-hook-invalid", "providers.aws.accounts.0.lifecycleHooks.0.heartbeatTimeout") in codes
    assert ("version-unknown", "version") in codes


def test_strict_turns_warnings_into_exit_1() -> None:
    root = FIXTURES / "invalid" / "timezone-unknown"
    runner = CliRunner()
    relaxed = runner.invoke(app, ["validate", str(root)])
    strict = runner.invoke(app, ["validate", str(root), "--strict"])
    assert relaxed.exit_code == 0, relaxed.output
    assert strict.exit_code == 1, strict.output
    assert "overlays/general.yml:1:1: warning: timezone 'Europe/Munich' is not an IANA time zone" in strict.output
    assert "[timezone-unknown]" in strict.output


def test_errors_exit_1_without_strict() -> None:
    result = CliRunner().invoke(app, ["validate", str(FIXTURES / "invalid" / "kubernetes-kinds-exclusive")])
    assert result.exit_code == 1
    assert "overlays/k8s.yml:7:9: error: kubernetes account 'prod' sets both kinds and omitKinds" in result.output


def test_messages_never_echo_a_password(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "overlays/docker.yml": """\
                providers:
                  dockerRegistry:
                    enabled: true
                    accounts:
                      - name: private
                        address: registry.example.com
                        password: hunter2-very-secret
                        passwordCommand: cat /secret
            """
        },
        settings="plaintextSecrets: warn\n",
    )
    project = load(root)
    texts = [d.text() for d in project.diagnostics.sorted() if d.code.startswith("docker-")]
    assert any("docker-password-sources" in t for t in texts)
    assert not any("hunter2" in t for t in texts)


def _accounts_project(root: Path, n: int) -> Path:
    k8s = "".join(f"      - name: k8s-{i}\n        dockerRegistries: [{{accountName: reg-{i}}}]\n" for i in range(n))
    docker = "".join(f"      - name: reg-{i}\n        address: r{i}.example.com\n" for i in range(n))
    aws = "".join(f"      - name: aws-{i}\n        accountId: '{i:012d}'\n" for i in range(n))
    ecs = "".join(f"      - name: ecs-{i}\n        awsAccount: aws-{i}\n" for i in range(n))
    # one duplicate across providers, at the end
    ecs += "      - name: aws-0\n        awsAccount: aws-0\n"
    text = (
        "providers:\n"
        f"  kubernetes:\n    enabled: true\n    accounts:\n{k8s}"
        f"  dockerRegistry:\n    enabled: true\n    accounts:\n{docker}"
        f"  aws:\n    enabled: true\n    accounts:\n{aws}"
        f"  ecs:\n    enabled: true\n    accounts:\n{ecs}"
    )
    (root / "overlays").mkdir(parents=True)
    (root / "overlays" / "providers.yml").write_text(text)
    return root


def test_thousands_of_accounts_check_in_linear_time(tmp_path: Path) -> None:
    from spinconf.checks import run_checks

    timings = []
    for n in (500, 2000):
        project = load(_accounts_project(tmp_path / str(n), n))
        duplicates = [d for d in project.diagnostics.sorted() if d.code == "account-name-duplicate"]
        assert len(duplicates) == 1 and duplicates[0].key == f"providers.ecs.accounts.{n}.name"
        assert not [
            d for d in project.diagnostics.sorted() if d.code in ("docker-registry-unknown", "ecs-aws-account-unknown")
        ]
        best = float("inf")
        for _ in range(3):  # the best of three, without the cyclic collector: a pause is not the checks' cost
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                run_checks(project)
                best = min(best, time.perf_counter() - start)
            finally:
                gc.enable()
        timings.append(best)
    # 4x the accounts: linear takes ~4x, quadratic ~16x; leave room for noise
    assert timings[1] < timings[0] * 9 + 0.05, timings
