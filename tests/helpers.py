"""Test helpers: build small projects on disk, load and render them, parse outputs independently."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import yaml

from spinconf.loader import Project, load_project
from spinconf.render import Rendered, render_project

REPO = Path(__file__).resolve().parent.parent


# The smallest provider setup a project renders with: one Kubernetes account.
KUBERNETES = """\
providers:
  kubernetes:
    enabled: true
    primaryAccount: prod
    accounts:
      - name: prod
        context: prod-ctx
"""


def make_project(root: Path, files: dict[str, str], settings: str | None = None) -> Path:
    """Write ``{relative path: YAML text}`` under ``root`` (text is dedented)."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    if settings is not None:
        (root / "spinconf.yml").write_text(textwrap.dedent(settings))
    return root


def load(root: Path, env: str | None = None) -> Project:
    return load_project(root, env)


def render_ok(root: Path, env: str | None = None) -> tuple[Project, Rendered]:
    """Load and render; fails the test with every diagnostic when the project has errors."""
    project = load_project(root, env)
    errors = [d.text() for d in project.diagnostics.sorted() if d.is_error]
    assert project.valid, "\n".join(errors)
    rendered = render_project(project)
    errors = [d.text() for d in project.diagnostics.sorted() if d.is_error]
    assert not errors, "\n".join(errors)
    return project, rendered


def service_doc(rendered: Rendered, svc: str, name: str | None = None) -> Any:
    """A rendered Spring file, re-parsed from its bytes (not the in-memory document)."""
    data = rendered.files[f"services/{svc}/{name or svc + '.yml'}"]
    return yaml.safe_load(data) or {}


def run_settings_js(source: str, window: dict[str, Any] | None = None) -> Any:
    """Execute a settings.js in node's vm with a `window` object; return window.spinnakerSettings."""
    script = r"""
const vm = require('vm');
const fs = require('fs');
const src = fs.readFileSync(0, 'utf8');
const ctx = { window: JSON.parse(process.argv[1]), console };
vm.createContext(ctx);
vm.runInContext(src, ctx, { filename: 'settings.js' });
process.stdout.write(JSON.stringify(ctx.window.spinnakerSettings === undefined ? null : ctx.window.spinnakerSettings));
"""
    proc = subprocess.run(
        ["node", "-e", script, json.dumps(window or {})],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def contains(want: Any, got: Any, path: str = "") -> list[str]:
    """Every key and value of ``want`` present in ``got``; returns the differences (dotted paths)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{path or '<root>'}: want a mapping, got {got!r}"]
        out = []
        for k, v in want.items():
            sub = f"{path}.{k}" if path else str(k)
            if k not in got and isinstance(v, dict) and v:
                out.extend(contains(v, {}, sub))  # name each missing leaf (deviations list leaves)
            elif k not in got:
                out.append(f"{sub}: missing (want {v!r})")
            else:
                out.extend(contains(v, got[k], sub))
        return out
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [f"{path}: want {want!r}, got {got!r}"]
        out = []
        for i, (w, g) in enumerate(zip(want, got, strict=True)):
            out.extend(contains(w, g, f"{path}.{i}"))
        return out
    if want != got or (type(want) is not type(got) and not (_number(want) and _number(got))):
        return [f"{path}: want {want!r}, got {got!r}"]
    return []


def _number(value: Any) -> bool:
    # 1 and 1.0 are the same number in YAML and JSON; True is not 1 (bool is an int subclass in Python)
    return isinstance(value, int | float) and not isinstance(value, bool)


def absent(doc: Any, dotted: str) -> bool:
    """Whether the dotted key is not set in a parsed document."""
    node = doc
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return True
        node = node[part]
    return False


def assert_modeline_schema_accepts(path: Path) -> None:
    """The file's yaml-language-server modeline names a schema file that exists and accepts the file."""
    import jsonschema

    first = path.read_text().split("\n", 1)[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), f"{path}: no modeline"
    schema_path = (path.parent / first.removeprefix(prefix)).resolve()
    assert schema_path.is_file(), f"{path}: the modeline's schema {schema_path} does not exist"
    schema = json.loads(schema_path.read_text())
    data = yaml.safe_load(path.read_text()) or {}
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert errors == [], f"{path}: {errors}"
