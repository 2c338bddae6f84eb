"""``secrets.<name>``: where each secret lives in AWS (spinconf's own section)."""

from __future__ import annotations

from pydantic import Field

from spinconf.model.base import SpinModel


class SecretSource(SpinModel):
    """Exactly one of ``ssm`` / ``secretsManager``; ``key`` picks one JSON key of a Secrets Manager secret."""

    ssm: str | None = Field(default=None, description="SSM parameter ARN or /parameter/path")
    secretsManager: str | None = Field(default=None, description="Secrets Manager secret ARN")
    key: str | None = Field(default=None, description="JSON key of the Secrets Manager secret")
    env: str | None = Field(default=None, description="environment variable name (default SPINCONF_SECRET_<NAME>)")
    kmsKeyArn: str | None = Field(default=None, description="customer-managed KMS key that encrypts it")
