"""Plugins as Halyard rendered them into every Java service's spinnaker.extensibility, and at image build."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from tests.helpers import make_project, render_ok, service_doc
from tests.targets.ecs_validation import assert_hadolint_clean

PLUGINS = """\
spinnaker:
  extensibility:
    plugins:
      Armory.RandomWaitPlugin:
        enabled: true
        version: 1.1.17
        config:
          defaultMaxWaitTime: 15
        extensions:
          armory.randomWaitStage:
            enabled: true
            config:
              maxWait: 30
    repositories:
      examples:
        url: {url}
"""


def _render(tmp_path: Path, url: str = "https://example.com/plugins.json", extra: str = "") -> Any:
    root = make_project(tmp_path / "p", {"overlays/plugins.yml": PLUGINS.format(url=url) + extra})
    return render_ok(root)[1]


def test_every_java_service_gets_halyards_extensibility(tmp_path: Path) -> None:
    rendered = _render(tmp_path)
    for svc in ("orca", "clouddriver", "front50", "gate"):
        ext = service_doc(rendered, svc)["spinnaker"]["extensibility"]
        # the plugin id's dots are path segments of the properties kork reads
        # (spinnaker.extensibility.plugins.Armory.RandomWaitPlugin.config...)
        assert ext["plugins"]["Armory"]["RandomWaitPlugin"] == {
            "enabled": True,
            "version": "1.1.17",
            "config": {"defaultMaxWaitTime": 15},
            "extensions": {"armory": {"randomWaitStage": {"enabled": True, "config": {"maxWait": 30}}}},
        }
        assert ext["repositories"] == {"examples": {"url": "https://example.com/plugins.json"}}
        assert ext["plugins-root-path"] == f"/opt/{svc}/plugins"
        assert ext["strict-plugin-loading"] is False
    gate = service_doc(rendered, "gate")["spinnaker"]["extensibility"]
    assert gate["deck-proxy"] == {
        "enabled": True,
        "plugins": {"Armory": {"RandomWaitPlugin": {"enabled": True, "version": "1.1.17"}}},
    }
    assert "deck-proxy" not in service_doc(rendered, "orca")["spinnaker"]["extensibility"]


def test_no_plugins_no_extensibility(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"overlays/main.yml": "timezone: UTC\n"})
    assert "spinnaker" not in service_doc(render_ok(root)[1], "orca")


def _bundle() -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("plugin.properties", "plugin.id=Armory.RandomWaitPlugin\n")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("orca.zip", inner.getvalue())
        z.writestr("deck.zip", b"deck part")
    return outer.getvalue()


def test_download_at_image_build(tmp_path: Path) -> None:
    bundle = _bundle()
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "bundle.zip").write_bytes(bundle)
    index = [
        {
            "id": "Armory.RandomWaitPlugin",
            "releases": [
                {
                    "version": "1.1.17",
                    "url": (tmp_path / "repo" / "bundle.zip").as_uri(),
                    "sha512sum": hashlib.sha512(bundle).hexdigest(),
                    "requires": "orca>=0.0.0,deck>=0.0.0",
                }
            ],
        }
    ]
    (tmp_path / "repo" / "plugins.json").write_text(json.dumps(index))
    url = (tmp_path / "repo" / "plugins.json").as_uri()
    rendered = _render(tmp_path, url, "    downloadAtBuild: true\n")
    files = rendered.files
    ext = service_doc(rendered, "orca")["spinnaker"]["extensibility"]
    assert "repositories" not in ext  # nothing to reach at start: the plugins are in the image
    # gate's deck proxy lists deck's part of each plugin from the repositories
    assert service_doc(rendered, "gate")["spinnaker"]["extensibility"]["repositories"] == {"examples": {"url": url}}
    assert ext["plugins"]["Armory"]["RandomWaitPlugin"]["enabled"] is True
    dockerfile = files["services/orca/Dockerfile"].decode()
    assert "AS plugins" in dockerfile
    assert 'COPY --from=plugins --chown=spinnaker:nogroup ["/plugins/", "/opt/orca/plugins/"]' in dockerfile
    assert_hadolint_clean(dockerfile)
    # run the build stage's script as docker would, against the file:// repository
    context = tmp_path / "context"
    for path, data in files.items():
        if path.startswith("services/orca/plugins/"):
            target = context / path.removeprefix("services/orca/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    out = tmp_path / "plugins"
    proc = subprocess.run(
        [sys.executable, str(context / "plugins/download.py"), str(context / "plugins/plugins.json"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out / "Armory.RandomWaitPlugin-1.1.17.zip") as z:
        assert z.read("plugin.properties").startswith(b"plugin.id=Armory.RandomWaitPlugin")
    # a tampered download is refused
    (tmp_path / "repo" / "bundle.zip").write_bytes(bundle + b"x")
    proc = subprocess.run(
        [sys.executable, str(context / "plugins/download.py"), str(context / "plugins/plugins.json"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0 and "sha512" in proc.stderr


def test_download_at_build_needs_each_version(tmp_path: Path) -> None:
    from tests.helpers import load

    overlay = PLUGINS.format(url="https://example.com/plugins.json").replace("        version: 1.1.17\n", "")
    root = make_project(tmp_path / "p", {"overlays/plugins.yml": overlay + "    downloadAtBuild: true\n"})
    errors = [d.text() for d in load(root).diagnostics.sorted() if d.is_error]
    assert (
        len(errors) == 1 and errors[0].startswith("overlays/plugins.yml:4:") and "[plugin-version-missing]" in errors[0]
    )
