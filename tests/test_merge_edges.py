"""Merging overlays where a wrong merge is easy to miss: equal-looking values of different types,
named lists, and an environment over the base. Each case checks the merged value the services get
or the conflict an operator is shown (file:line, both places named)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from spinconf.loader import Project
from tests.helpers import load, make_project, render_ok, service_doc

BASE = "providers:\n  kubernetes:\n    enabled: true\n    accounts:\n      - name: prod\n        context: prod-ctx\n"


@pytest.mark.parametrize(
    ("first", "second"),
    [("true", "1"), ("1", "1.0"), ("false", "0"), ("'1'", "1"), ("~", "''"), ("1", "true")],
)
def test_values_equal_in_python_but_of_another_type_conflict(first: str, second: str, tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "overlays/a.yml": f"{BASE}features:\n  pipelineTemplates: {first}\n",
            "overlays/b.yml": f"features:\n  pipelineTemplates: {second}\n",
        },
    )
    project = load(root)
    (found,) = [d for d in project.diagnostics.sorted() if d.code == "merge-conflict"]
    assert found.is_error and (found.file, found.line, found.key) == ("overlays/b.yml", 2, "features.pipelineTemplates")
    assert "features.pipelineTemplates is set differently in two files of one layer" in found.message
    assert "(also set at overlays/a.yml:8)" in found.message
    assert not project.valid


def test_the_same_value_in_two_files_is_no_conflict_and_is_kept(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {"overlays/a.yml": f"{BASE}timezone: Europe/Paris\n", "overlays/b.yml": "timezone: Europe/Paris\n"},
    )
    project, rendered = render_ok(root)
    assert not [d for d in project.diagnostics.sorted() if d.code == "merge-conflict"]
    assert service_doc(rendered, "echo")["scheduler"]["cron"]["timezone"] == "Europe/Paris"


def test_named_lists_merge_by_name_in_order_of_first_appearance(tmp_path: Path) -> None:
    second = (
        "providers:\n  kubernetes:\n    accounts:\n"
        "      - name: staging\n        context: staging-ctx\n"
        "      - name: prod\n        namespaces: [apps]\n"
    )
    root = make_project(tmp_path, {"overlays/a.yml": BASE, "overlays/b.yml": second})
    _, rendered = render_ok(root)
    accounts = service_doc(rendered, "clouddriver")["kubernetes"]["accounts"]
    assert [a["name"] for a in accounts] == ["prod", "staging"]
    assert accounts[0]["context"] == "prod-ctx" and accounts[0]["namespaces"] == ["apps"]
    assert accounts[1]["context"] == "staging-ctx"


def test_a_named_item_field_set_twice_in_one_layer_conflicts_at_the_item(tmp_path: Path) -> None:
    second = "providers:\n  kubernetes:\n    accounts:\n      - name: prod\n        context: other-ctx\n"
    project = load(make_project(tmp_path, {"overlays/a.yml": BASE, "overlays/b.yml": second}))
    (found,) = [d for d in project.diagnostics.sorted() if d.code == "merge-conflict"]
    assert (found.file, found.line) == ("overlays/b.yml", 5)
    assert "providers.kubernetes.accounts.0.context is set differently" in found.message
    assert "(also set at overlays/a.yml:6)" in found.message


def test_an_environment_overrides_the_base_without_conflict(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "overlays/a.yml": f"{BASE}timezone: Europe/Paris\n",
            "environments/prod/tz.yml": "timezone: America/New_York\n",
        },
    )
    project, rendered = render_ok(root, "prod")
    assert not [d for d in project.diagnostics.sorted() if d.code == "merge-conflict"]
    assert service_doc(rendered, "echo")["scheduler"]["cron"]["timezone"] == "America/New_York"
    origin = project.tree.origin(("timezone",))
    assert origin is not None and (origin.file, origin.line) == ("environments/prod/tz.yml", 1)


def _conflicts(project: Project) -> list[tuple[str, int, str]]:
    return [(d.file, d.line, d.message) for d in project.diagnostics.sorted() if d.code == "merge-conflict"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("features:\n  pipelineTemplates: true\n", "features: [pipelineTemplates]\n"),  # mapping vs list
        ("features:\n  pipelineTemplates: true\n", "features: on\n"),  # mapping vs scalar
        ("timezone: [UTC]\n", "timezone: UTC\n"),  # list vs scalar
        ("timezone: [UTC, GMT]\n", "timezone: [UTC]\n"),  # plain lists are values
        ("timezone: [{a: 1}]\n", "timezone: [{a: 2}]\n"),  # lists of mappings without a name too
    ],
)
def test_a_key_of_another_shape_in_two_files_is_one_conflict(first: str, second: str, tmp_path: Path) -> None:
    root = make_project(tmp_path, {"overlays/a.yml": BASE + first, "overlays/b.yml": second})
    project = load(root)
    (found,) = _conflicts(project)
    assert found[:2] == ("overlays/b.yml", 1)
    path = second.split(":")[0]
    assert found[2] == (
        f"{path} is set differently in two files of one layer (also set at overlays/a.yml:7): "
        "give it one owner, or move the override to an environment"
    )


def test_the_conflict_key_is_in_the_json_report(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, {"overlays/a.yml": BASE + "timezone: UTC\n", "overlays/b.yml": "timezone: Europe/Paris\n"}
    )
    proc = subprocess.run(
        [sys.executable, "-m", "spinconf", "validate", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    (diag,) = [d for d in json.loads(proc.stdout)["diagnostics"] if d["code"] == "merge-conflict"]
    assert (diag["file"], diag["line"], diag["key"]) == ("overlays/b.yml", 1, "timezone")


@pytest.mark.parametrize(
    ("base", "override", "want"),
    [
        ("timezone: [UTC, GMT]\n", "timezone: [UTC]\n", ["UTC"]),
        ("timezone: {a: 1}\n", "timezone: plain\n", "plain"),
        ("timezone: plain\n", "timezone: {a: 1}\n", {"a": 1}),
        ("timezone: [{a: 1}]\n", "timezone: [{b: 2}]\n", [{"b": 2}]),
    ],
)
def test_an_environment_replaces_values_of_any_shape(base: str, override: str, want: Any, tmp_path: Path) -> None:
    root = make_project(tmp_path, {"overlays/a.yml": BASE + base, "environments/prod/o.yml": override})
    project = load(root, "prod")
    assert _conflicts(project) == []
    assert project.tree.data["timezone"] == want
    origin = project.tree.origin(("timezone",))
    assert origin is not None and (origin.file, origin.line) == ("environments/prod/o.yml", 1)


def test_one_name_twice_in_a_file_is_one_item(tmp_path: Path) -> None:
    second = (
        "providers:\n  kubernetes:\n    accounts:\n"
        "      - name: staging\n        context: staging-ctx\n"
        "      - name: staging\n        namespaces: [apps]\n"
    )
    project = load(make_project(tmp_path, {"overlays/a.yml": BASE, "overlays/b.yml": second}))
    accounts = project.tree.data["providers"]["kubernetes"]["accounts"]
    assert [a["name"] for a in accounts] == ["prod", "staging"]
    assert accounts[1] == {"name": "staging", "context": "staging-ctx", "namespaces": ["apps"]}


def test_positions_of_added_items_and_of_paths_below_a_value(tmp_path: Path) -> None:
    second = "providers:\n  kubernetes:\n    accounts:\n      - name: staging\n        context: staging-ctx\n"
    project = load(make_project(tmp_path, {"overlays/a.yml": BASE + "timezone: UTC\n", "overlays/b.yml": second}))
    tree = project.tree

    def at(*path: Any) -> tuple[str, int] | None:
        origin = tree.origin(path)
        return (origin.file, origin.line) if origin else None

    assert at("providers", "kubernetes", "accounts", 1) == ("overlays/b.yml", 4)  # the added item's own line
    assert at("providers", "kubernetes", "accounts", 1, "context") == ("overlays/b.yml", 5)
    # a key that is not set: its nearest ancestor; a path below a scalar: the scalar
    assert at("providers", "kubernetes", "nosuch", "deeper") == ("overlays/a.yml", 2)
    assert at("timezone", "below") == ("overlays/a.yml", 7)
    assert at("nosuch") is None
    assert tree.get(("providers", "kubernetes", "accounts", 1, "context")) == "staging-ctx"


def test_an_empty_or_wrong_file_does_not_stop_the_files_after_it(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {"overlays/a.yml": "", "overlays/b.yml": "- not a mapping\n", "overlays/c.yml": BASE + "timezone: UTC\n"},
    )
    project = load(root)
    (wrong,) = [d for d in project.diagnostics.sorted() if d.code == "yaml-not-mapping"]
    assert (wrong.file, wrong.line, wrong.message) == (
        "overlays/b.yml",
        1,
        "an overlay's top level must be a mapping of config keys",
    )
    assert project.tree.data["timezone"] == "UTC"
    assert project.tree.data["providers"]["kubernetes"]["accounts"][0]["name"] == "prod"


def test_an_empty_named_list_neither_removes_nor_blocks_named_items(tmp_path: Path) -> None:
    # `accounts: []` merges by name like any list of named items: in an environment it removes
    # nothing from the base, and in the same layer another file still adds its accounts
    root = make_project(
        tmp_path,
        {
            "overlays/a.yml": BASE,
            "overlays/b.yml": "providers:\n  kubernetes:\n    accounts: []\n",
            "environments/prod/e.yml": "providers:\n  kubernetes:\n    accounts: []\n",
        },
    )
    for env in (None, "prod"):
        project = load(root, env)
        assert [d.text() for d in project.diagnostics.sorted() if d.is_error] == [], env
        assert project.config is not None and project.config.providers is not None
        accounts = project.config.providers.kubernetes.accounts or []
        assert [a.name for a in accounts] == ["prod"], env
    first_empty = make_project(
        tmp_path / "first-empty",
        {"overlays/a.yml": "providers:\n  kubernetes:\n    accounts: []\n", "overlays/b.yml": BASE},
    )
    project = load(first_empty)
    assert [d.text() for d in project.diagnostics.sorted() if d.is_error] == []
    assert [a.name for a in project.config.providers.kubernetes.accounts or []] == ["prod"]  # type: ignore[union-attr]


def test_a_list_of_text_and_a_list_of_named_items_conflict_without_a_crash(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "overlays/a.yml": f"{BASE}canary:\n  enabled: true\n  serviceIntegrations: [prometheus]\n",
            "overlays/b.yml": "canary:\n  serviceIntegrations: [{name: prometheus}]\n",
        },
    )
    project = load(root)
    conflicts = [d for d in project.diagnostics.sorted() if d.code == "merge-conflict"]
    assert [(d.file, d.key) for d in conflicts] == [("overlays/b.yml", "canary.serviceIntegrations")]
