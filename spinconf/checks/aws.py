"""Rules: AWS accounts, lifecycle hooks and role ARNs.

Halyard: halyard-config/.../validate/v1/providers/aws/AwsLifecycleHookValidation.java (shapes,
default results, heartbeat range). AWS accepts any partition (aws, aws-cn, aws-us-gov), so the
patterns here do too. clouddriver fills `{{region}}` and `{{accountId}}` in hook ARNs per
deployment (clouddriver-aws AsgLifecycleHookWorker), so those placeholders are accepted.
An invalid hook or role does not stop clouddriver: the deploy that uses it fails, so these are
warnings (kleat's own test config carries such values).
"""

from __future__ import annotations

import re
from typing import Any

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, report, text
from spinconf.diagnostics import Severity
from spinconf.loader import Project

_PARTITION = r"arn:aws(-[a-z]+)*"
SNS_ARN = re.compile(rf"^{_PARTITION}:sns:[a-z0-9-]+:\d{{12}}:[A-Za-z0-9_.-]+$")
SQS_ARN = re.compile(rf"^{_PARTITION}:sqs:[a-z0-9-]+:\d{{12}}:[A-Za-z0-9_.-]+$")
ROLE_ARN = re.compile(rf"^{_PARTITION}:iam::\d{{12}}:role/[\w+=,.@/-]+$")
# clouddriver's AssumeRoleAmazonCredentials builds arn:aws:iam::<accountId>:<assumeRole> when
# assumeRole is not an ARN, so `role/Name` is a valid short form there.
SHORT_ROLE = re.compile(r"^role/[\w+=,.@/-]+$")
ACCOUNT_ID = re.compile(r"^\d{12}$")

HOOK = rule(
    "aws-lifecycle-hook-invalid",
    Severity.WARNING,
    "lifecycle hooks: SNS or SQS target, IAM role ARN, defaultResult CONTINUE or ABANDON, heartbeatTimeout 30..7200",
    applies_to=("providers.aws.accounts.*.lifecycleHooks.*",),
)
ROLE = rule(
    "aws-role-arn-invalid",
    Severity.WARNING,
    "IAM role ARNs look like arn:aws:iam::123456789012:role/Name (assumeRole may also be role/Name)",
    applies_to=(
        "providers.aws.accounts.*.assumeRole",
        "providers.aws.accounts.*.lifecycleHooks.*.roleARN",
        "ecs.taskRoleArn",
        "ecs.executionRoleArn",
        "services.*.ecs.taskRoleArn",
        "services.*.ecs.executionRoleArn",
    ),
)
ACCOUNT = rule(
    "aws-account-id-invalid",
    Severity.WARNING,
    "an AWS account's accountId is 12 digits",
    applies_to=("providers.aws.accounts.*.accountId",),
)
PLACEHOLDERS = {"{{region}}": "us-east-1", "{{accountId}}": "123456789012"}
TRANSITIONS = {"autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"}


def _hook_problems(hook: Any) -> list[tuple[str, str]]:
    """(field, problem) pairs for one lifecycle hook; unset fields are problems as in Halyard."""
    problems: list[tuple[str, str]] = []
    target = hook.notificationTargetARN
    filled = _fill(target) if isinstance(target, str) else ""
    if target is None or (isinstance(target, str) and not (SNS_ARN.match(filled) or SQS_ARN.match(filled))):
        problems.append(("notificationTargetARN", f"notificationTargetARN {target!r} is not an SNS or SQS ARN"))
    result = hook.defaultResult
    if result is None or (isinstance(result, str) and result not in ("CONTINUE", "ABANDON")):
        problems.append(("defaultResult", f"defaultResult {result!r} must be CONTINUE or ABANDON"))
    timeout = hook.heartbeatTimeout
    if timeout is None or (isinstance(timeout, int) and not 30 <= timeout <= 7200):
        problems.append(("heartbeatTimeout", f"heartbeatTimeout {timeout!r} must be between 30 and 7200 seconds"))
    transition = text(hook.lifecycleTransition)
    if transition is not None and transition not in TRANSITIONS:
        problems.append(
            ("lifecycleTransition", f"lifecycleTransition {transition!r} must be one of {sorted(TRANSITIONS)}")
        )
    return problems


def _fill(value: str) -> str:
    for placeholder, sample in PLACEHOLDERS.items():
        value = value.replace(placeholder, sample)
    return value


def _role(project: Project, path: tuple[Any, ...], value: Any, short_ok: bool = False) -> None:
    arn = text(value)
    if arn is None or ROLE_ARN.match(_fill(arn)) or (short_ok and SHORT_ROLE.match(arn)):
        return
    hint = " or role/Name" if short_ok else ""
    report(project, ROLE, path, f"{path[-1]} {arn!r} is not an IAM role ARN (arn:aws:iam::<12 digits>:role/Name{hint})")


@check
def aws_accounts(project: Project) -> None:
    config = config_of(project)
    aws = config.providers.aws if config.providers else None
    for i, account in enumerate(aws.accounts or [] if aws else []):
        path = ("providers", "aws", "accounts", i)
        account_id = account.accountId
        if isinstance(account_id, str) and not ACCOUNT_ID.match(account_id):
            report(project, ACCOUNT, (*path, "accountId"), f"accountId {account_id!r} is not 12 digits")
        _role(project, (*path, "assumeRole"), account.assumeRole, short_ok=True)
        for j, hook in enumerate(account.lifecycleHooks or []):
            where = (*path, "lifecycleHooks", j)
            for field, problem in _hook_problems(hook):
                at = (*where, field) if getattr(hook, field) is not None else where
                report(project, HOOK, at, problem)
            if hook.roleARN is None:
                report(project, HOOK, where, "this lifecycle hook has no roleARN")
            _role(project, (*where, "roleARN"), hook.roleARN)


@check
def ecs_role_arns(project: Project) -> None:
    config = config_of(project)
    if config.ecs is not None:
        _role(project, ("ecs", "taskRoleArn"), config.ecs.taskRoleArn)
        _role(project, ("ecs", "executionRoleArn"), config.ecs.executionRoleArn)
    services = config.services
    for name in type(services).model_fields if services else ():
        svc = getattr(services, name)
        if svc is not None and svc.ecs is not None:
            _role(project, ("services", name, "ecs", "taskRoleArn"), svc.ecs.taskRoleArn)
            _role(project, ("services", name, "ecs", "executionRoleArn"), svc.ecs.executionRoleArn)
