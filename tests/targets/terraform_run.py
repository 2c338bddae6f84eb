"""Running the rendered Terraform module for real: terraform from the machine, the AWS provider
from its filesystem mirror (never downloaded), AWS emulated by moto's server on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REGION = "eu-west-1"
MIRROR_GLOBS = ("/opt/tf-plugins", "/usr/share/terraform/plugins", "~/.terraform.d/plugins")
# the provider's endpoint names for what the module and the test's network create
ENDPOINTS = ("ec2", "ecs", "elbv2", "iam", "logs", "servicediscovery", "sts")


def provider_mirror() -> Path | None:
    """A filesystem mirror holding the AWS provider (found by the binary's name)."""
    for base in MIRROR_GLOBS:
        root = Path(base).expanduser()
        if any(root.glob("registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws_*")):
            return root
    return None


def require_tools() -> tuple[str, Path]:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not installed: the module is not applied")
    mirror = provider_mirror()
    if mirror is None:
        pytest.skip("no filesystem mirror of the AWS provider (terraform-provider-aws_*): not downloading one")
    pytest.importorskip("moto.server", reason="moto[server] is not installed")
    return terraform, mirror


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def moto_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # every server in this process shares moto's in-memory backends: start from an empty account
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=30).close()
    try:
        yield endpoint
    finally:
        server.stop()


def boto(endpoint: str, name: str) -> Any:
    import boto3

    return boto3.client(
        name, region_name=REGION, endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test"
    )


def provider(endpoint: str) -> dict[str, Any]:
    return {
        "aws": {
            "region": REGION,
            "access_key": "test",
            "secret_key": "test",
            "skip_credentials_validation": True,
            "skip_metadata_api_check": True,
            "skip_requesting_account_id": True,
            "skip_region_validation": True,
            "endpoints": dict.fromkeys(ENDPOINTS, endpoint),
        }
    }


class Terraform:
    def __init__(self, binary: str, mirror: Path, workdir: Path) -> None:
        self.binary = binary
        self.workdir = workdir
        config = workdir.parent / "terraform.tfrc"
        config.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{mirror}"\n  }}\n}}\n')
        self.env = {
            **os.environ,
            "TF_CLI_CONFIG_FILE": str(config),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
        }

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [self.binary, *args, "-no-color"],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"terraform {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def show(self, *args: str) -> Any:
        return json.loads(self.run("show", "-json", *args))


def root_module(workdir: Path, endpoint: str, module: Path, inputs: dict[str, Any]) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    doc = {
        "provider": provider(endpoint),
        "module": {"spinnaker": {"source": os.path.relpath(module, workdir), **inputs}},
        "output": {
            name: {"value": f"${{module.spinnaker.{name}}}"} for name in ("service_arns", "target_group_arns", "images")
        },
    }
    (workdir / "main.tf.json").write_text(json.dumps(doc, indent=2))
