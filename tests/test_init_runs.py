"""The files `spinconf init` writes run as written: the pre-commit hook, the Makefile, each CI definition.

No Jenkins or GitLab server is here, so their shell steps are extracted and run in order in a
fresh git repository of an `init`ed project, in a new virtualenv (`make install` installs
spinconf there). `docker` and `aws` are replaced by stubs that log their arguments: building
and pushing need a registry (and a Docker daemon), which no test machine has.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from spinconf.cli import app

runner = CliRunner()
SERVICES = ["clouddriver", "deck", "echo", "front50", "gate", "orca", "rosco"]
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}


def init_project(root: Path, *args: str, commit: bool = True) -> Path:
    """``spinconf init``, ``spinconf render``, then a git repository with everything committed."""
    result = runner.invoke(app, ["init", str(root), *args])
    assert result.exit_code == 0, result.output
    rendered = runner.invoke(app, ["render", str(root)])
    assert rendered.exit_code == 0, rendered.output
    if commit:
        env = {**os.environ, **GIT_ENV}
        for cmd in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "init"]):
            subprocess.run(cmd, cwd=root, check=True, env=env)
    return root


def without_pythonpath() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtualenv: what a CI machine starts from (the machine's packages seen, not spinconf's)."""
    path = tmp_path_factory.mktemp("ci") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(path)], check=True)
    return path


@pytest.fixture(scope="module")
def stubs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``docker`` and ``aws`` that log their arguments (no registry or Docker daemon here)."""
    folder = tmp_path_factory.mktemp("stubs")
    for name, answer in (("docker", ""), ("aws", "stub-token")):
        script = folder / name
        script.write_text(f'#!/bin/sh\necho "{name} $*" >> "$STUB_LOG"\n' + (f"echo {answer}\n" if answer else ""))
        script.chmod(0o755)
    return folder


def run_steps(root: Path, steps: list[str], venv: Path, stubs: Path) -> list[str]:
    """Run each shell step in order (as CI does: stop at the first failure); return the stubs' log."""
    log = root.parent / f"{root.name}.stub.log"
    env = {
        **without_pythonpath(),
        "PATH": f"{stubs}:{venv / 'bin'}:{os.environ['PATH']}",
        "STUB_LOG": str(log),
        "VIRTUAL_ENV": str(venv),
    }
    for step in steps:
        proc = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", step],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert proc.returncode == 0, f"step {step!r} failed:\n{proc.stdout}\n{proc.stderr}"
    return log.read_text().splitlines() if log.exists() else []


def github_steps(root: Path) -> list[str]:
    doc = yaml.safe_load((root / ".github/workflows/spinconf.yml").read_text())
    return [step["run"] for job in doc["jobs"].values() for step in job["steps"] if "run" in step]


def gitlab_steps(root: Path) -> list[str]:
    doc = yaml.safe_load((root / ".gitlab-ci.yml").read_text())
    jobs = [(name, job) for name, job in doc.items() if isinstance(job, dict) and "script" in job]
    jobs.sort(key=lambda item: doc["stages"].index(item[1]["stage"]))  # stable: file order within a stage
    return [line for _, job in jobs for line in [*job.get("before_script", []), *job["script"]]]


def jenkins_steps(root: Path) -> list[str]:
    return re.findall(r"^\s*sh '([^']*)'$", (root / "Jenkinsfile").read_text(), re.MULTILINE)


def assert_built_and_pushed(log: list[str], root: Path) -> None:
    builds = [ln for ln in log if ln.startswith("docker build ")]
    assert sorted({ln.rsplit("/", 1)[1] for ln in builds}) == SERVICES
    release = (root / "versions.txt").read_text().strip()
    assert f"docker build -t registry.example.com/spinnaker/gate:{release} out/services/gate" in builds
    assert log.index("aws ecr get-login-password") < log.index(
        f"docker push registry.example.com/spinnaker/gate:{release}"
    )


@needs_make
def test_pre_commit_run_all_files_in_a_fresh_repository(tmp_path: Path) -> None:
    if shutil.which("pre-commit") is None:
        pytest.skip("pre-commit is not installed")
    root = init_project(tmp_path / "p")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    proc = subprocess.run(["pre-commit", "run", "--all-files"], cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "spinconf validate" in proc.stdout and "Passed" in proc.stdout
    # an environment added later is covered, and its problem blocks the commit
    (root / "environments/prod").mkdir(parents=True)
    (root / "environments/prod/general.yml").write_text("timezon: UTC\n")
    proc = subprocess.run(["pre-commit", "run", "--all-files"], cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "environments/prod/general.yml:1:1: error: unknown key 'timezon'" in proc.stdout


@needs_make
def test_make_build_builds_every_rendered_service(tmp_path: Path) -> None:
    root = init_project(tmp_path / "p", commit=False)
    proc = subprocess.run(["make", "-n", "build"], cwd=root, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    release = (root / "versions.txt").read_text().strip()
    assert proc.stdout.splitlines() == [
        f"docker build -t registry.example.com/spinnaker/{svc}:{release} out/services/{svc}" for svc in SERVICES
    ]
    install = subprocess.run(["make", "-n", "install"], cwd=root, capture_output=True, text=True, check=False)
    # installed the way spinconf's README does: pip, editable, from the checkout init ran from
    assert install.stdout.strip() == f"python3 -m pip install -e {Path(__file__).resolve().parent.parent}"


@needs_make
def test_make_plan_and_apply_delegate_to_infra(tmp_path: Path) -> None:
    root = init_project(tmp_path / "p", commit=False)
    proc = subprocess.run(["make", "plan"], cwd=root, capture_output=True, text=True, check=False)
    assert proc.returncode != 0 and "no Terraform in infra/" in proc.stderr
    (root / "infra").mkdir()
    (root / "infra/main.tf.json").write_text("{}")
    proc = subprocess.run(["make", "-n", "apply"], cwd=root, capture_output=True, text=True, check=False)
    assert proc.stdout.splitlines()[-2:] == [
        "terraform -chdir=infra init -input=false",
        "terraform -chdir=infra apply -input=false",
    ]


@needs_make
@pytest.mark.slow
@pytest.mark.parametrize(
    ("ci", "steps"),
    [("github", github_steps), ("gitlab", gitlab_steps), ("jenkins", jenkins_steps)],
)
def test_ci_steps_run_in_order(tmp_path: Path, venv: Path, stubs: Path, ci: str, steps: object) -> None:
    root = init_project(tmp_path / "p", "--ci", ci)
    assert callable(steps)
    found = steps(root)
    assert found[0] == "make install"
    assert found.index("spinconf validate . --format github" if ci == "github" else "spinconf validate .") < (
        found.index(next(s for s in found if s.startswith("spinconf render --check .")))
    )
    if ci == "gitlab":
        # the docker:27 image's packages: the stubs stand in for the job's docker and aws
        found = [s for s in found if not s.startswith("apk add")]
    log = run_steps(root, found, venv, stubs)
    assert_built_and_pushed(log, root)
    other = {"github": ".github", "gitlab": ".gitlab-ci.yml", "jenkins": "Jenkinsfile"}
    assert [name for c, name in other.items() if c != ci and (root / name).exists()] == []


def test_jenkinsfile_builds_on_pull_requests_and_pushes_on_main(tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path / "p"), "--ci", "jenkins"])
    text = (tmp_path / "p/Jenkinsfile").read_text()
    build = text[text.index("stage('Build images')") : text.index("stage('Push images')")]
    push = text[text.index("stage('Push images')") :]
    assert "changeRequest()" in build and "sh 'make build'" in build
    assert "branch 'main'" in push and "changeRequest" not in push and "sh 'make login push'" in push


@pytest.mark.parametrize(
    ("ci", "path", "schema"),
    [
        ("github", ".github/workflows/spinconf.yml", "vendor.github-workflows"),
        ("gitlab", ".gitlab-ci.yml", "vendor.gitlab-ci"),
    ],
)
def test_ci_definition_matches_its_published_schema(tmp_path: Path, ci: str, path: str, schema: str) -> None:
    """check-jsonschema ships the schemastore schemas of GitHub workflows and GitLab CI."""
    pytest.importorskip("check_jsonschema")
    runner.invoke(app, ["init", str(tmp_path / "p"), "--ci", ci])
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(tmp_path / "p" / path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_unknown_ci_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "p"), "--ci", "travis"])
    assert result.exit_code == 2
    assert not (tmp_path / "p").exists()
