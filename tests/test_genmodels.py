"""The halconfig models are generated from kleat's field tree: the committed modules are current."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_generated_models_are_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("genmodels", REPO / "tools" / "genmodels.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "genmodels", gen)  # dataclasses look their module up there
    spec.loader.exec_module(gen)
    monkeypatch.setattr(gen, "OUT", tmp_path)
    assert gen.main() == 0
    committed = REPO / "spinconf" / "model" / "hal"
    fresh = {str(p.relative_to(tmp_path)): p.read_text() for p in tmp_path.rglob("*.py")}
    assert fresh, "the generator wrote nothing"
    for name, text in fresh.items():
        assert (committed / name).read_text() == text, f"{name} is stale: run `python tools/genmodels.py`"
    assert {str(p.relative_to(committed)) for p in committed.rglob("*.py")} == set(fresh)


def test_every_kleat_field_is_in_the_model() -> None:
    """Each leaf of kleat's field tree is a field of the generated models (spot check by path)."""
    from spinconf.model.config import complete_config
    from spinconf.model.errors import model_at

    lines = (REPO / "tools" / "halconfig-fields.txt").read_text().splitlines()
    stack: list[tuple[int, str]] = []
    checked = 0
    for raw in lines:
        indent = len(raw) - len(raw.lstrip())
        name = raw.strip().split(":")[0]
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = tuple(n for _, n in stack)
        model = model_at(complete_config(), parent)
        assert model is not None, parent
        names = {f.alias or n for n, f in model.model_fields.items()}
        assert name in names, f"{'.'.join((*parent, name))} missing"
        checked += 1
        stack.append((indent, name))
    assert checked > 800
