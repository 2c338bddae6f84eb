"""``secrets.<name>``: where each secret lives, in AWS or in a Kubernetes Secret (spinconf's own section)."""

from __future__ import annotations

import re

from pydantic import Field

from spinconf.model.base import SpinModel


class SecretSource(SpinModel):
    """Exactly one of ``ssm`` / ``secretsManager`` / ``kubernetesSecret``.

    ``key`` picks one JSON key of a Secrets Manager secret, or the data key of a Kubernetes Secret
    (required there: a Secret holds several values).
    """

    ssm: str | None = Field(default=None, description="SSM parameter ARN or /parameter/path")
    secretsManager: str | None = Field(default=None, description="Secrets Manager secret ARN")
    kubernetesSecret: str | None = Field(
        default=None, description="name of a Kubernetes Secret in the services' namespace (with key:)"
    )
    key: str | None = Field(
        default=None, description="JSON key of the Secrets Manager secret, or data key of the Kubernetes Secret"
    )
    env: str | None = Field(default=None, description="environment variable name (default SPINCONF_SECRET_<NAME>)")
    kmsKeyArn: str | None = Field(default=None, description="customer-managed KMS key that encrypts it")


# ---- what a declaration may say ----------------------------------------------------------------
# Pure functions that say what is wrong with a value, in words an operator can act on, or None.
# They never repeat the value: an ARN is not secret, but a mistyped one may hold a pasted secret.

# A secret's name: what overlays write in {secret: NAME}; also the tail of its default env name.
SECRET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}\Z")

PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
_REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}\Z")
_ACCOUNT = re.compile(r"\d{12}\Z")
# SSM parameter names: letters, digits and . - _ /, hierarchies separated by /
_SSM_NAME = re.compile(r"[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*\Z")
# Secrets Manager: the secret's name, then the 6-character suffix AWS appends to every ARN
_SM_RESOURCE = re.compile(r"[A-Za-z0-9/_+=.@\-]+-[A-Za-z0-9]{6}\Z")


def _arn_problem(value: str, service: str, example: str) -> tuple[str | None, list[str]]:
    """Check the common ``arn:<partition>:<service>:<region>:<account>:`` head; return the rest."""
    parts = value.split(":")
    if len(parts) < 6 or parts[0] != "arn":
        return f"not an ARN: write {example}", []
    partition, svc, region, account = parts[1:5]
    if partition not in PARTITIONS:
        return "the ARN's partition must be aws, aws-cn or aws-us-gov", []
    if svc != service:
        return f"not a {service} ARN: write {example}", []
    if not _REGION.match(region):
        return "the ARN needs a region, e.g. eu-west-1", []
    if (partition == "aws-cn") != region.startswith("cn-") or (partition == "aws-us-gov") != region.startswith(
        "us-gov-"
    ):
        return f"region {region} is not in partition {partition}", []
    if not _ACCOUNT.match(account):
        return "the ARN's account must be 12 digits", []
    return None, parts[5:]


def ssm_problem(value: str) -> str | None:
    """An SSM parameter: its ARN or its bare ``/path`` (a parameter in the task's own account and region)."""
    example = "arn:aws:ssm:<region>:<account>:parameter/<name> or /<name>"
    if value.startswith("/"):
        return None if _SSM_NAME.match(value[1:]) else f"not an SSM parameter path: write {example}"
    problem, rest = _arn_problem(value, "ssm", example)
    if problem:
        return problem
    resource = ":".join(rest)
    if not resource.startswith("parameter/") or not _SSM_NAME.match(resource[len("parameter/") :]):
        return f"the ARN must name a parameter: {example}"
    return None


def secrets_manager_problem(value: str) -> str | None:
    """A Secrets Manager secret's full ARN (name and the 6-character suffix AWS adds)."""
    example = "arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf"
    problem, rest = _arn_problem(value, "secretsmanager", example)
    if problem:
        return problem
    if not rest or rest[0] != "secret":
        return f"the ARN must name a secret: {example}"
    if len(rest) > 2:
        return "the ARN ends after the secret's name: write a JSON key as key:, not in the ARN"
    if len(rest) < 2 or not _SM_RESOURCE.match(rest[1]):
        return "the ARN must end in the secret's name and the 6-character suffix AWS adds (-AbCdEf): copy the full ARN"
    return None


def kms_key_problem(value: str) -> str | None:
    """A KMS key or alias ARN."""
    example = "arn:aws:kms:<region>:<account>:key/<id>"
    problem, rest = _arn_problem(value, "kms", example)
    if problem:
        return problem
    resource = ":".join(rest)
    if not (resource.startswith("key/") or resource.startswith("alias/")) or resource.endswith("/"):
        return f"the ARN must name a key or an alias: {example}"
    return None


# Kubernetes object names (a Secret's name is a DNS subdomain) and a Secret's data keys
# (kubernetes/apimachinery validation: IsDNS1123Subdomain, IsConfigMapKey).
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_SECRET_KEY = re.compile(r"[-._a-zA-Z0-9]+\Z")


def kubernetes_secret_problem(value: str) -> str | None:
    """A Kubernetes Secret's name: lower-case letters, digits, '-' and '.', at most 253."""
    if len(value) > 253 or not _DNS_SUBDOMAIN.match(value):
        return "not a Kubernetes Secret name: lower-case letters, digits, '-' and '.' (at most 253)"
    return None


def kubernetes_key_problem(value: str) -> str | None:
    """A key of a Kubernetes Secret's data: letters, digits, '-', '_' and '.'."""
    if len(value) > 253 or not _SECRET_KEY.match(value) or value in (".", ".."):
        return "not a Kubernetes Secret key: letters, digits, '-', '_' and '.' (at most 253)"
    return None
