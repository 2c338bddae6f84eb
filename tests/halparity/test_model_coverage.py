"""Every field of Halyard's config model is rendered, rewritten, converted or dropped with a stated reason."""

from __future__ import annotations

import re
from pathlib import Path

from spinconf.fixrules import fixable
from spinconf.halimport import import_hal, write_imported
from spinconf.model.halyard_only import ALIASES, dropped_reason
from spinconf.model.legacy import halyard_hint
from tests.halparity.halyard_model import EVERY_FIELD, halyard_fields, model_field
from tests.helpers import load

MODEL_ERRORS = {"unknown-key", "wrong-type", "halyard-form", "missing-key"}


def _accounted(path: tuple[str, ...]) -> bool:
    dotted = ".".join(path)
    # a rewrite covers what is below the key it rewrites, except Halyard's canary list: its items keep
    # their fields (keyed by name), so each field must be in the model
    prefixes = [path[:i] for i in range(len(path), 0, -1) if path[:i] != ("canary", "serviceIntegrations")]
    return (
        model_field(path) is not None
        or dropped_reason(path) is not None
        or any(halyard_hint(p) is not None or fixable(p) for p in prefixes)  # rewritten with what is below
        or any(dotted == a or dotted.startswith(a + ".") for a in ALIASES)
    )


def test_the_list_is_halyards_whole_model() -> None:
    fields = [path for path, _ in halyard_fields()]
    assert len(fields) > 700
    for path in ("security.authn.saml.metadataLocal", "canary.stagesEnabled", "repository.nexus.searches.*.nodeId"):
        assert path in fields


def test_every_halyard_field_is_rendered_or_has_a_reason() -> None:
    missing = [path for path, _ in halyard_fields() if not _accounted(tuple(path.split(".")))]
    assert missing == [], "neither in the model nor given a reason (spinconf/model/halyard_only.py):\n" + "\n".join(
        missing
    )


def test_the_fixture_sets_every_field() -> None:
    text = EVERY_FIELD.read_text()
    for path, _ in halyard_fields():
        assert re.search(rf"^\s*(- )?{re.escape(path.split('.')[-1])}:", text, re.MULTILINE), path


def test_import_drops_nothing_without_a_reason(tmp_path: Path) -> None:
    imported = import_hal(EVERY_FIELD)
    notes = imported.attention + imported.converted
    assert not [n for n in notes if "kleat's halconfig" in n or "unknown to Halyard" in n], notes
    for note in imported.attention:
        if " dropped" in note or " removed" in note:
            path = note.split(" ", 1)[0]
            parts = tuple("*" if p.isdigit() else p for p in re.split(r"[.\[\]]+", path) if p)
            assert _accounted(parts) or path.startswith("deploymentEnvironment"), note
    write_imported(imported, tmp_path / "project")
    (tmp_path / "project" / "spinconf.yml").write_text("plaintextSecrets: warn\n")
    project = load(tmp_path / "project")
    model_errors = [d.text() for d in project.diagnostics.sorted() if d.code in MODEL_ERRORS]
    assert model_errors == []  # everything kept is a field of spinconf's model


def test_sizes_convert_into_services(tmp_path: Path) -> None:
    imported = import_hal(EVERY_FIELD)
    text = imported.files["overlays/services/clouddriver.yml"].decode()
    assert "desiredCount: 2" in text and "cpu: 2048" in text and "memory: 4096" in text
