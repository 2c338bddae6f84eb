"""Least-privilege IAM policies per service: what its execution role and task role must be allowed.

The execution role is what the ECS agent uses before the container starts: pull the image,
write the awslogs stream, fetch ``secrets[].valueFrom`` (ECS developer guide, "Amazon ECS task
execution IAM role"). The task role is the service's own identity; it fetches the kork
``encryptedFile:`` secrets (targets/secretfiles.py) at start-up.
"""

from __future__ import annotations

import re
from typing import Any

from spinconf.model.secrets import SecretSource

_ECR_IMAGE = re.compile(r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/(.+)$")
_ACCOUNT = re.compile(r"^(arn:[^:]+:iam::)\d{12}:")


def secret_resource(source: SecretSource, region: str) -> tuple[str, str] | None:
    """(IAM action, resource ARN) that reads ``source``."""
    if source.secretsManager:
        # the full ARN, with the six characters AWS adds (the secret-arn rule, model/secrets.py
        # secrets_manager_problem): it names one secret, no wildcard needed
        return "secretsmanager:GetSecretValue", source.secretsManager
    if source.ssm:
        name = source.ssm
        if name.startswith("arn:"):
            return "ssm:GetParameters", name
        # a bare parameter name: ECS resolves it in the task's region (the account is the task's own)
        return "ssm:GetParameters", f"arn:aws:ssm:{region}:*:parameter/{name.lstrip('/')}"
    return None


def ecr_repository_arn(image_repository: str, svc: str) -> str | None:
    m = _ECR_IMAGE.match(f"{image_repository.rstrip('/')}/{svc}")
    return f"arn:aws:ecr:{m.group(2)}:{m.group(1)}:repository/{m.group(3)}" if m else None


def _statement(sid: str, actions: list[str], resources: list[str]) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(set(actions)), "Resource": sorted(set(resources))}


def _secret_statements(sources: list[SecretSource], region: str, kms_default: str | None) -> list[dict[str, Any]]:
    by_action: dict[str, list[str]] = {}
    kms: list[str] = []
    for source in sources:
        found = secret_resource(source, region)
        if found is None:
            continue
        by_action.setdefault(found[0], []).append(found[1])
        key = source.kmsKeyArn or kms_default
        if key:
            kms.append(key)
    statements = []
    if "secretsmanager:GetSecretValue" in by_action:
        statements.append(
            _statement("ReadSecrets", ["secretsmanager:GetSecretValue"], by_action["secretsmanager:GetSecretValue"])
        )
    if "ssm:GetParameters" in by_action:
        statements.append(_statement("ReadParameters", ["ssm:GetParameters"], by_action["ssm:GetParameters"]))
    if kms:
        statements.append(_statement("DecryptSecrets", ["kms:Decrypt"], kms))
    return statements


def execution_policy(
    *,
    region: str,
    log_group: str,
    secrets: list[SecretSource],
    kms_key: str | None,
    ecr_repository: str | None,
) -> dict[str, Any]:
    statements = [
        _statement(
            "WriteLogs",
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [f"arn:aws:logs:{region}:*:log-group:{log_group}:log-stream:*"],
        )
    ]
    if ecr_repository:
        # GetAuthorizationToken has no resource-level permissions (ECR "Actions, resources, and condition keys")
        statements.append(_statement("EcrLogin", ["ecr:GetAuthorizationToken"], ["*"]))
        statements.append(
            _statement(
                "PullImage",
                ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                [ecr_repository],
            )
        )
    statements.extend(_secret_statements(secrets, region, kms_key))
    return {"Version": "2012-10-17", "Statement": statements}


def task_policy(
    *,
    region: str,
    file_secrets: list[SecretSource],
    kms_key: str | None,
    assume_roles: list[str] | None = None,
    xray: bool = False,
) -> dict[str, Any] | None:
    """What the service itself must do: read the secrets kork materialises as files, send traces and,
    for clouddriver, assume the roles of the AWS accounts it manages. None when nothing."""
    statements = _secret_statements(file_secrets, region, kms_key)
    if assume_roles:
        statements.append(_statement("AssumeAccountRoles", ["sts:AssumeRole"], assume_roles))
    if xray:
        # the collector's awsxray exporter; these X-Ray actions have no resource-level permissions
        # (the AWSXRayDaemonWriteAccess managed policy grants the same on "*")
        actions = [
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
            "xray:PutTelemetryRecords",
            "xray:PutTraceSegments",
        ]
        statements.append(_statement("SendTraces", actions, ["*"]))
    return {"Version": "2012-10-17", "Statement": statements} if statements else None


# An inline role policy holds 10,240 characters: past this many roles, one ARN per role name
# with the account as a wildcard (the policy then does not grow with the number of accounts).
MAX_LISTED_ROLES = 50


def account_roles(accounts: list[tuple[str | None, str | None]]) -> list[str]:
    """The role ARNs clouddriver assumes: ``(accountId, assumeRole)`` of each AWS account.

    clouddriver-aws assumes ``arn:aws:iam::<accountId>:<assumeRole>`` (spinnaker/clouddriver
    clouddriver-aws/.../aws/security/AssumeRoleAmazonCredentials.java, ``String.format``), and the
    role as written when it is an ARN already (its ECS deploy handlers' ``startsWith("arn:")``).
    """
    roles = [(account_id, role) for account_id, role in accounts if role and (account_id or role.startswith("arn:"))]
    if len(roles) <= MAX_LISTED_ROLES:
        return sorted({r if r.startswith("arn:") else f"arn:aws:iam::{account_id}:{r}" for account_id, r in roles})
    # one pass over the distinct role texts, which are few however many accounts there are
    distinct = {role for _, role in roles}
    return sorted(_ACCOUNT.sub(r"\1*:", r) if r.startswith("arn:") else f"arn:aws:iam::*:{r}" for r in distinct)
