"""The wheel carries what spinconf reads at run time (templates, schemas, deck defaults, init files)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_ships_runtime_files(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("spinconf-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "spinconf/_data/templates/Dockerfile.j2" in names
    assert "spinconf/_data/schemas/spinconf.schema.json" in names
    assert any(n.startswith("spinconf/data/deck/") and n.endswith(".json") for n in names)
    assert any(n.startswith("spinconf/data/init/") for n in names)
    assert {"spinconf/data/ci/jenkins/Jenkinsfile", "spinconf/data/ci/gitlab/dot-gitlab-ci.yml"} <= names
    assert "spinconf/model/hal/providers/aws.py" in names
    assert not any(n.startswith(("tests/", "out/", "overlays/")) for n in names)
