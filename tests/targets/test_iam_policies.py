"""The IAM policies spinconf writes, checked against AWS's own API models and clouddriver's role ARNs.

Every action must be an operation of its service in botocore's models (the spelling IAM
documents); every statement has a Sid IAM accepts. clouddriver's task role may assume exactly the
roles clouddriver-aws will assume: ``arn:aws:iam::<accountId>:<assumeRole>``
(clouddriver-aws AssumeRoleAmazonCredentials, ``String.format("arn:aws:iam::%s:%s", ...)``), or
the role as written when it is an ARN.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from spinconf.render import Rendered
from tests.helpers import make_project, render_ok
from tests.targets.projects import fargate
from tests.targets.test_apm_opentelemetry import JAR_SHA
from tests.targets.test_ecs import SECRETS

KMS = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
XRAY = f"""
observability:
  openTelemetry:
    javaAgent: {{version: 2.10.0, sha256: '{JAR_SHA}'}}
    exporter: xray
"""


def _accounts(entries: list[str]) -> str:
    listed = "\n".join(
        f"      - {{name: a{i}, {entry}, regions: [{{name: eu-west-1}}]}}" for i, entry in enumerate(entries)
    )
    return f"providers:\n  aws:\n    enabled: true\n    accounts:\n{listed}\n"


def _render(tmp_path: Path, extra: dict[str, str]) -> Rendered:
    return render_ok(make_project(tmp_path, fargate(version="2025.2.0", extra=extra)))[1]


def _policies(rendered: Rendered) -> dict[str, dict[str, Any]]:
    return {path: json.loads(data) for path, data in rendered.files.items() if path.startswith("iam/")}


@cache
def _operations(prefix: str) -> frozenset[str]:
    model = botocore.session.get_session().get_service_model(prefix)
    return frozenset(model.operation_names)


def test_every_action_is_an_operation_of_its_service_and_every_sid_is_valid(tmp_path: Path) -> None:
    extra = {
        "overlays/secrets.yml": SECRETS,
        "overlays/kms.yml": f"ecs:\n  kmsKeyArn: {KMS}\n",
        "overlays/xray.yml": XRAY,
        "overlays/aws.yml": _accounts(["accountId: '111111111111', assumeRole: role/SpinnakerManaged"]),
    }
    policies = _policies(_render(tmp_path, extra))
    actions: set[str] = set()
    for path, policy in policies.items():
        assert policy["Version"] == "2012-10-17", path
        sids = [statement["Sid"] for statement in policy["Statement"]]
        # IAM: a Sid is letters and digits, unique within the policy
        assert all(isinstance(sid, str) and re.fullmatch(r"[A-Za-z0-9]+", sid) for sid in sids), (path, sids)
        assert len(sids) == len(set(sids)), (path, sids)
        for statement in policy["Statement"]:
            assert statement["Effect"] == "Allow" and statement["Resource"], (path, statement)
            actions.update(statement["Action"])
    for action in sorted(actions):
        prefix, _, operation = action.partition(":")
        assert operation in _operations(prefix), f"{action} is no {prefix} API operation"
    # X-Ray's actions have no resource-level permissions: "*" (the X-Ray developer guide's IAM page)
    (send,) = [s for s in policies["iam/orca.task-policy.json"]["Statement"] if s["Sid"] == "SendTraces"]
    assert send["Resource"] == ["*"] and "xray:PutTraceSegments" in send["Action"]
    # the policies cover what the project asks for: secrets, KMS, traces, roles, images, logs
    assert {p.split(":")[0] for p in actions} == {"ecr", "logs", "secretsmanager", "ssm", "kms", "xray", "sts"}


@pytest.mark.parametrize(
    ("entries", "assumed"),
    [
        (
            [
                "accountId: '111111111111', assumeRole: role/SpinnakerManaged",
                "accountId: '222222222222', assumeRole: 'arn:aws:iam::333333333333:role/Other'",  # as written
                "accountId: '444444444444'",  # no role: clouddriver uses its own credentials
                "assumeRole: role/NoAccount",  # no account to name the role in: nothing to allow
                "assumeRole: 'arn:aws:iam::555555555555:role/NoId'",  # an ARN needs no account
                "accountId: '111111111111', assumeRole: role/SpinnakerManaged",  # the same role once
            ],
            [
                "arn:aws:iam::111111111111:role/SpinnakerManaged",
                "arn:aws:iam::333333333333:role/Other",
                "arn:aws:iam::555555555555:role/NoId",
            ],
        ),
        # 50 roles are still listed one by one
        (
            [f"accountId: '{100000000000 + i}', assumeRole: role/SpinnakerManaged" for i in range(50)],
            [f"arn:aws:iam::{100000000000 + i}:role/SpinnakerManaged" for i in range(50)],
        ),
        # past 50 roles, one per role name with the account as a wildcard: the policy stays small
        (
            [f"accountId: '{100000000000 + i}', assumeRole: role/SpinnakerManaged" for i in range(60)]
            + ["accountId: '222222222222', assumeRole: 'arn:aws:iam::333333333333:role/Other'"],
            ["arn:aws:iam::*:role/Other", "arn:aws:iam::*:role/SpinnakerManaged"],
        ),
    ],
)
def test_clouddriver_may_assume_exactly_its_accounts_roles(
    tmp_path: Path, entries: list[str], assumed: list[str]
) -> None:
    policies = _policies(_render(tmp_path, {"overlays/aws.yml": _accounts(entries)}))
    assert policies["iam/clouddriver.task-policy.json"] == {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AssumeAccountRoles", "Effect": "Allow", "Action": ["sts:AssumeRole"], "Resource": assumed}
        ],
    }
    # no other service assumes roles, and none sends traces without an X-Ray exporter
    for path, policy in policies.items():
        if path != "iam/clouddriver.task-policy.json":
            assert not {a for s in policy["Statement"] for a in s["Action"]} & {
                "sts:AssumeRole",
                "xray:PutTraceSegments",
            }
