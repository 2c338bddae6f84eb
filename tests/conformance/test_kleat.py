"""spinconf contains kleat's output: every key and value kleat writes, except the listed deviations.

Data: tests/conformance/kleat (kleat's own test cases, Apache-2.0, see its README).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import contains, render_ok, service_doc

HERE = Path(__file__).parent
CASES = HERE / "kleat" / "cases"
TESTDATA = HERE / "kleat" / "testdata"
DEVIATIONS: list[dict[str, str]] = yaml.safe_load((HERE / "kleat_deviations.yml").read_text()) or []

# kleat test name -> the file it checks
TARGETS = {
    "Clouddriver": "clouddriver.yml",
    "Echo": "echo.yml",
    "Fiat": "fiat.yml",
    "Front50": "front50.yml",
    "Gate": "gate.yml",
    "Igor": "igor.yml",
    "Kayenta": "kayenta.yml",
    "Keel": "keel.yml",
    "Orca": "orca.yml",
    "Rosco": "rosco.yml",
}
# The monitoring daemon (spinnaker-monitoring.yml) is retired: out of scope.
# Deck and DeckEnv cases are checked in tests/conformance/test_kleat_deck.py.


def exempt(file: str, problems: list[str]) -> list[str]:
    keys = [d["key"] for d in DEVIATIONS if d["file"] == file]
    return [p for p in problems if not any(p == k or p.startswith(k + ".") or p.startswith(k + ":") for k in keys)]


def kleat_project(tmp_path: Path, halconfig: Path) -> Path:
    root = tmp_path / "project"
    (root / "overlays").mkdir(parents=True)
    shutil.copy(halconfig, root / "overlays" / "halconfig.yml")
    (root / "spinconf.yml").write_text("plaintextSecrets: warn\n")
    return root


def rendered_doc(rendered: Any, file: str) -> Any:
    svc = file.removesuffix(".yml")
    path = f"services/{svc}/{file}"
    if path not in rendered.files:
        return None
    return service_doc(rendered, svc)


def _normalise_echo(file: str, want: Any) -> Any:
    # kleat names itself in echo's stats.deploymentMethod; spinconf names itself there
    if file == "echo.yml" and isinstance(want, dict):
        method = want.get("stats", {}).get("deploymentMethod")
        if isinstance(method, dict):
            want["stats"]["deploymentMethod"] = {"type": "spinconf", **{k: v for k, v in method.items() if k != "type"}}
            want["stats"]["deploymentMethod"].pop("version", None)
    return want


CASE_IDS = sorted(p.name for p in CASES.iterdir() if p.name.split("__")[0].removeprefix("TestHalTo") in TARGETS)


@pytest.mark.parametrize("case", CASE_IDS)
def test_case(case: str, tmp_path: Path) -> None:
    target = TARGETS[case.split("__")[0].removeprefix("TestHalTo")]
    want = _normalise_echo(target, yaml.safe_load((CASES / case / "want.yml").read_text()) or {})
    project_root = kleat_project(tmp_path, CASES / case / "halconfig.yml")
    _, rendered = render_ok(project_root)
    got = rendered_doc(rendered, target)
    svc = target.removesuffix(".yml")
    halconfig = yaml.safe_load((CASES / case / "halconfig.yml").read_text()) or {}
    assert (got is not None) is halyard_runs(svc, halconfig), f"{svc} rendered: {got is not None}"
    if got is None:
        # the service does not run here, as with Halyard: no file of its own, and every running
        # service is told it is off; nothing kleat writes for it may be lost except listed deviations
        assert not any(path.startswith(f"services/{svc}/") for path in rendered.files)
        shared = [p for p in rendered.files if p.endswith("/spinnaker.yml")]
        assert shared and all(yaml.safe_load(rendered.files[p])["services"][svc]["enabled"] is False for p in shared)
        assert exempt(target, contains(want, {})) == [], f"{target} not rendered but kleat writes {want}"
        return
    assert exempt(target, contains(want, got)) == []


def _on(section: Any) -> bool:
    return isinstance(section, dict) and section.get("enabled") is True


def halyard_runs(svc: str, hal: dict[str, Any]) -> bool:
    """Whether Halyard deploys ``svc`` for this halconfig (its KubernetesV2<Svc>Service.isEnabled), written
    from Halyard's rules rather than spinconf's: fiat with authz, kayenta with canary, keel with managed
    delivery, igor with a CI system, a docker registry or Artifactory; the others always."""
    if svc == "fiat":
        return _on((hal.get("security") or {}).get("authz"))
    if svc == "kayenta":
        return _on(hal.get("canary"))
    if svc == "keel":
        return _on(hal.get("managedDelivery"))
    if svc == "igor":
        ci = hal.get("ci") or {}
        providers = hal.get("providers") or {}
        repository = hal.get("repository") or {}
        return (
            any(_on(v) for v in ci.values())
            or _on(providers.get("dockerRegistry"))
            or _on(repository.get("artifactory"))
        )
    return True


@pytest.mark.parametrize("file", sorted(TARGETS.values()))
def test_large_halconfig(file: str, tmp_path: Path) -> None:
    want = _normalise_echo(file, yaml.safe_load((TESTDATA / "out" / file).read_text()) or {})
    _, rendered = render_ok(kleat_project(tmp_path, TESTDATA / "halconfig.yml"))
    got = rendered_doc(rendered, file)
    assert got is not None, f"{file} not rendered"
    assert exempt(file, contains(want, got)) == []


def test_deviation_list_is_short_and_reasoned() -> None:
    assert len(DEVIATIONS) < 20
    for d in DEVIATIONS:
        assert set(d) == {"file", "key", "reason"}, d
        assert len(d["reason"]) > 20, d
