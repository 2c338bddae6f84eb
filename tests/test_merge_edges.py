"""Merging overlays where a wrong merge is easy to miss: equal-looking values of different types,
named lists, and an environment over the base. Each case checks the merged value the services get
or the conflict an operator is shown (file:line, both places named)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    assert found.is_error and (found.file, found.line) == ("overlays/b.yml", 2)
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
