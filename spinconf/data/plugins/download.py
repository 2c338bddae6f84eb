"""Fetch one service's part of each enabled Spinnaker plugin while its image is built.

Run by the ``plugins`` stage of a spinconf Dockerfile: ``python3 download.py plugins.json OUT``.
``plugins.json`` (written by spinconf) names the service, and each plugin's id, version and the
plugin repositories (kork's ``plugins.json`` index: ``[{id, releases: [{version, url, sha512sum,
requires}]}]``). A release's zip is either a bundle of per-service zips (``orca.zip``, ``deck.zip``,
...) or one service's plugin; the service's zip is written to ``OUT/<id>-<version>.zip``, where kork's
plugin manager loads it from the plugins root. Standard library only: any Python 3 image runs it.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import urllib.request
import zipfile
from pathlib import Path
from typing import Any


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - the operator's repositories
        data: bytes = response.read()
        return data


def find_release(plugin: dict[str, Any]) -> dict[str, Any]:
    for repository in plugin["repositories"]:
        for info in json.loads(fetch(repository)):
            if info.get("id") != plugin["id"]:
                continue
            for release in info.get("releases") or []:
                if str(release.get("version")) == plugin["version"]:
                    return dict(release)
    raise SystemExit(f"plugin {plugin['id']} {plugin['version']}: no such release in {plugin['repositories']}")


def requires(release: dict[str, Any], service: str) -> bool:
    need = release.get("requires") or ""
    if isinstance(need, list):
        names = [str(r.get("service", r) if isinstance(r, dict) else r) for r in need]
    else:
        names = str(need).split(",")
    return any(n.strip().lower().startswith(service) for n in names)


def service_part(data: bytes, release: dict[str, Any], service: str) -> bytes | None:
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        names = bundle.namelist()
        if f"{service}.zip" in names:
            return bundle.read(f"{service}.zip")
        if any(n.endswith(".zip") for n in names):
            return None  # a bundle without a part for this service
    return data if requires(release, service) else None


def main(argv: list[str]) -> int:
    wanted = json.loads(Path(argv[1]).read_text())
    out = Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    service = wanted["service"]
    for plugin in wanted["plugins"]:
        if not plugin.get("version"):
            raise SystemExit(f"plugin {plugin['id']}: a version is needed to download it at build")
        release = find_release(plugin)
        data = fetch(release["url"])
        expected = release.get("sha512sum")
        if expected and hashlib.sha512(data).hexdigest() != str(expected).lower():
            raise SystemExit(f"plugin {plugin['id']} {plugin['version']}: sha512 of {release['url']} does not match")
        part = service_part(data, release, service)
        if part is None:
            print(f"plugin {plugin['id']}: nothing for {service}", file=sys.stderr)
            continue
        (out / f"{plugin['id']}-{plugin['version']}.zip").write_bytes(part)
        print(f"plugin {plugin['id']} {plugin['version']}: {service} part saved", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
