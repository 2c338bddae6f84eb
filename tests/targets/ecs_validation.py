"""Offline validation of rendered ECS documents and Dockerfiles, for any test that renders them.

- botocore's ParamValidator checks types, required members and unknown keys against the ECS
  API model; enum values are checked here (ParamValidator does not).
- cfn-lint checks the task definitions as AWS::ECS::TaskDefinition resources: Fargate cpu/memory
  pairs (E3047), network mode (E3048), enums, ports and awslogs options. Pass every task
  definition of a test module in one call: cfn-lint is slow to start.
- hadolint checks Dockerfiles at --failure-threshold warning.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
from botocore.validate import ParamValidator


@cache
def _ecs_model() -> Any:
    return botocore.session.get_session().get_service_model("ecs")


def _validate(operation: str, params: dict[str, Any]) -> None:
    shape = _ecs_model().operation_model(operation).input_shape
    report = ParamValidator().validate(params, shape)
    assert not report.has_errors(), f"{operation}: {report.generate_report()}"
    problems = _enum_problems(params, shape, operation)
    assert not problems, "\n".join(problems)


def _enum_problems(value: Any, shape: Any, at: str) -> list[str]:
    if shape.type_name == "structure" and isinstance(value, dict):
        return [
            p for k, v in value.items() if k in shape.members for p in _enum_problems(v, shape.members[k], f"{at}.{k}")
        ]
    if shape.type_name == "list" and isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _enum_problems(v, shape.member, f"{at}[{i}]")]
    if shape.type_name == "map" and isinstance(value, dict):
        return [p for k, v in value.items() for p in _enum_problems(v, shape.value, f"{at}.{k}")]
    enum = getattr(shape, "enum", None)
    if enum and value not in enum:
        return [f"{at}: {value!r} is not one of {enum}"]
    return []


def _cfn_casing(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        if key == "options":  # log driver options keep their names (awslogs-group, ...)
            return dict(value)
        return {k[0].upper() + k[1:]: _cfn_casing(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_cfn_casing(v, key) for v in value]
    return value


def assert_valid_task_definitions(taskdefs: list[dict[str, Any]]) -> None:
    """Every task definition registers (botocore model) and lints clean as CloudFormation (no E findings)."""
    assert taskdefs, "no task definitions to validate"
    for taskdef in taskdefs:
        _validate("RegisterTaskDefinition", taskdef)
    resources = {
        f"TaskDefinition{i}": {"Type": "AWS::ECS::TaskDefinition", "Properties": _cfn_casing(taskdef)}
        for i, taskdef in enumerate(taskdefs)
    }
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
    errors = [f"{f['Rule']['Id']}: {f['Message']}" for f in cfn_lint(template) if f["Rule"]["Id"].startswith("E")]
    assert not errors, "\n".join(errors)


# cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational; anything else (1, a
# crash, a usage error) means it did not lint. Its JSON report is a list, "[]" when nothing is found.
_CFN_LINT_FINDINGS_ONLY = 2 | 4 | 8


def cfn_lint(template: dict[str, Any]) -> list[dict[str, Any]]:
    """cfn-lint's findings for ``template``; fails the test when cfn-lint did not run to the end."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "taskdefs.json"
        path.write_text(json.dumps(template))
        proc = subprocess.run(["cfn-lint", "--format", "json", str(path)], capture_output=True, text=True, check=False)
    failed = f"cfn-lint exit {proc.returncode}\nstdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}"
    assert proc.returncode & ~_CFN_LINT_FINDINGS_ONLY == 0, failed
    try:
        findings = json.loads(proc.stdout)
    except ValueError:
        raise AssertionError(failed) from None
    assert isinstance(findings, list), failed
    # findings and exit code agree: errors reported exactly when the errors bit is set
    assert any(f["Level"] == "Error" for f in findings) == bool(proc.returncode & 2), failed
    return findings


def assert_valid_service_definition(service: dict[str, Any]) -> None:
    _validate("CreateService", service)


def assert_hadolint_clean(dockerfile: str) -> None:
    proc = subprocess.run(
        ["hadolint", "--failure-threshold", "warning", "-"],
        input=dockerfile,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
