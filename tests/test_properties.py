"""Property-based tests over whole projects: valid projects render, deterministically and whatever the
file order; mutated projects give diagnostics (exit 0 or 1), never a traceback."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spinconf.cli import app
from spinconf.loader import load_project
from spinconf.render import render_project
from spinconf.yamlwriter import dump

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent

names = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
regions = st.sampled_from(["us-east-1", "us-west-2", "eu-west-1"])


@st.composite
def projects(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """Topic overlays of a valid project: disjoint keys per file, so no two files conflict."""
    aws_names = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    k8s_names = draw(st.lists(names.map(lambda n: "k-" + n), max_size=3, unique=True))
    files: dict[str, dict[str, Any]] = {
        "providers/aws.yml": {
            "providers": {
                "aws": {
                    "enabled": True,
                    "primaryAccount": aws_names[0],
                    "accounts": [
                        {"name": n, "accountId": str(100000000000 + i), "regions": [{"name": draw(regions)}]}
                        for i, n in enumerate(aws_names)
                    ],
                }
            }
        },
        "storage.yml": {
            "persistentStorage": {"s3": {"enabled": True, "bucket": "front50-bucket", "region": "us-east-1"}}
        },
    }
    if k8s_names:
        files["providers/kubernetes.yml"] = {
            "providers": {"kubernetes": {"enabled": True, "accounts": [{"name": n, "context": n} for n in k8s_names]}}
        }
    if draw(st.booleans()):
        files["general.yml"] = {"timezone": draw(st.sampled_from(["UTC", "Europe/Paris", "America/New_York"]))}
    if draw(st.booleans()):
        files["notifications.yml"] = {
            "notifications": {"slack": {"enabled": True, "botName": "spin", "token": {"secret": "slack"}}},
            "secrets": {"slack": {"ssm": "/spinnaker/slack-token"}},
        }
    if draw(st.booleans()):
        files["profiles.yml"] = {"profiles": {"clouddriver": {"logging": {"level": {"com.netflix": "INFO"}}}}}
    return files


def write(root: Path, files: dict[str, dict[str, Any]], order: list[str] | None = None) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "overlays").mkdir(parents=True)
    for i, rel in enumerate(order or sorted(files)):
        # the order a layer's files are read in is their path order: rename them to permute it
        target = root / "overlays" / (f"{i:02d}-" + rel.replace("/", "-") if order else rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump(files[rel]))
    (root / "versions.txt").write_text("2025.2.0\n")
    return root


def rendered(root: Path) -> dict[str, bytes]:
    project = load_project(root)
    assert project.valid, [d.text() for d in project.diagnostics.sorted() if d.is_error]
    result = render_project(project)
    assert not project.diagnostics.has_errors, [d.text() for d in project.diagnostics.sorted() if d.is_error]
    return result.files


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(projects(), st.randoms(use_true_random=False))
def test_valid_projects_render_the_same_whatever_the_file_order(
    tmp_path_factory: Any, files: dict[str, dict[str, Any]], rnd: random.Random
) -> None:
    base = tmp_path_factory.mktemp("p")
    first = rendered(write(base / "a", files))
    assert first == rendered(write(base / "a", files)), "two renders differ"
    order = sorted(files)
    rnd.shuffle(order)
    shuffled = {k: v for k, v in rendered(write(base / "b", files, order)).items() if k != "manifest.json"}
    assert shuffled == {k: v for k, v in first.items() if k != "manifest.json"}


def _mutate(data: Any, rnd: random.Random) -> Any:
    """Rename a random key, retype a random value, or drop a random entry."""
    paths: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        for key, value in list(items):
            paths.append((node, key))
            walk(value)

    walk(data)
    if not paths:
        return data
    node, key = rnd.choice(paths)
    kind = rnd.choice(["rename", "retype", "drop"])
    if kind == "rename" and isinstance(node, dict):
        node[key + rnd.choice(["x", "s", "_"])] = node.pop(key)
    elif kind == "retype":
        node[key] = rnd.choice([True, 17, "text", [1, 2], {"k": "v"}, None, {"secret": "nope"}, {"env": "X"}])
    elif isinstance(node, dict):
        node.pop(key)
    return data


@SETTINGS
@given(projects(), st.randoms(use_true_random=False), st.booleans())
def test_mutated_projects_give_diagnostics_never_a_traceback(
    tmp_path_factory: Any, files: dict[str, dict[str, Any]], rnd: random.Random, truncate: bool
) -> None:
    root = write(tmp_path_factory.mktemp("m") / "p", files)
    victim = rnd.choice(sorted((root / "overlays").rglob("*.yml")))
    if truncate:
        text = victim.read_text()
        victim.write_text(text[: rnd.randrange(len(text))])
    else:
        import yaml

        victim.write_text(dump(_mutate(yaml.safe_load(victim.read_text()), rnd)))
    for command in (["validate", str(root)], ["render", str(root)]):
        result = runner.invoke(app, command)
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
