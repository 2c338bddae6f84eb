"""Synthetic projects for the scale benchmarks: N AWS accounts, N/2 Kubernetes accounts, N/10 docker registries."""

from __future__ import annotations

import sys
from pathlib import Path

REGIONS = ("us-east-1", "us-west-2", "eu-west-1")


def aws(n: int, start: int = 0) -> str:
    out = ["providers:", "  aws:", "    enabled: true", "    primaryAccount: aws-0", "    accounts:"]
    for i in range(start, start + n):
        out += [
            f"      - name: aws-{i}",
            f'        accountId: "{100000000000 + i}"',
            f"        assumeRole: role/spinnaker-managed-{i % 7}",
            "        regions:",
            *[f"          - name: {r}" for r in REGIONS[: 1 + i % 3]],
            "        permissions:",
            f"          READ: [team-{i % 50}]",
            f"          WRITE: [team-{i % 50}-admins]",
        ]
    return "\n".join(out) + "\n"


def kubernetes(n: int) -> str:
    out = ["providers:", "  kubernetes:", "    enabled: true", "    primaryAccount: k8s-0", "    accounts:"]
    for i in range(n):
        out += [
            f"      - name: k8s-{i}",
            f"        context: cluster-{i}",
            f"        kubeconfigFile: /opt/spinnaker/kube/config-{i % 20}",
            "        namespaces: [default, apps]",
            "        onlySpinnakerManaged: true",
            "        dockerRegistries:",
            f"          - accountName: registry-{i % max(1, n // 5)}",
        ]
    return "\n".join(out) + "\n"


def registries(n: int) -> str:
    out = ["providers:", "  dockerRegistry:", "    enabled: true", "    primaryAccount: registry-0", "    accounts:"]
    for i in range(n):
        out += [
            f"      - name: registry-{i}",
            f"        address: https://registry-{i}.example.com",
            "        username: spinnaker",
            "        password: {secret: registry-password}",
            "        repositories: [team/app]",
        ]
    return "\n".join(out) + "\n"


def write_project(root: Path, n: int) -> Path:
    overlays = root / "overlays"
    (overlays / "providers").mkdir(parents=True, exist_ok=True)
    (overlays / "providers" / "aws.yml").write_text(aws(n))
    (overlays / "providers" / "kubernetes.yml").write_text(kubernetes(n // 2))
    (overlays / "providers" / "docker.yml").write_text(registries(max(1, n // 10)))
    (overlays / "storage.yml").write_text(
        "persistentStorage:\n  s3:\n    enabled: true\n    bucket: spinnaker-front50\n    region: us-east-1\n"
    )
    (overlays / "secrets.yml").write_text(
        "secrets:\n  registry-password:\n"
        "    ssm: arn:aws:ssm:us-east-1:123456789012:parameter/spinnaker/registry-password\n"
    )
    (root / "versions.txt").write_text("2025.2.0\n")
    return root


def write_split_project(root: Path, n: int, files: int | None = None) -> Path:
    """N AWS accounts spread over ``files`` overlay files (default: one file per account)."""
    files = files or n
    overlays = root / "overlays"
    (overlays / "accounts").mkdir(parents=True, exist_ok=True)
    (overlays / "aws.yml").write_text("providers:\n  aws:\n    enabled: true\n    primaryAccount: aws-0\n")
    per_file = -(-n // files)
    for f in range(files):
        lo, hi = f * per_file, min(n, (f + 1) * per_file)
        if lo >= hi:
            break
        body = aws(hi - lo, lo).split("    accounts:\n", 1)[1]
        (overlays / "accounts" / f"aws-{f:05d}.yml").write_text("providers:\n  aws:\n    accounts:\n" + body)
    (overlays / "storage.yml").write_text(
        "persistentStorage:\n  s3:\n    enabled: true\n    bucket: spinnaker-front50\n    region: us-east-1\n"
    )
    (root / "versions.txt").write_text("2025.2.0\n")
    return root


if __name__ == "__main__":
    write_project(Path(sys.argv[1]), int(sys.argv[2]))
