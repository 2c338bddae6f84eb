"""The comparison helpers the service and conformance tests rely on: a difference is never hidden."""

from __future__ import annotations

from tests.helpers import absent, contains


def test_true_is_not_one_and_false_is_not_zero() -> None:
    assert contains({"a": 1}, {"a": True}) == ["a: want 1, got True"]
    assert contains({"a": True}, {"a": 1}) == ["a: want True, got 1"]
    assert contains({"a": False}, {"a": 0}) == ["a: want False, got 0"]
    assert contains({"a": 0}, {"a": None}) == ["a: want 0, got None"]


def test_numbers_compare_as_numbers_and_text_as_text() -> None:
    assert contains({"a": 1, "b": 2.0}, {"a": 1.0, "b": 2}) == []
    assert contains({"a": "1"}, {"a": 1}) == ["a: want '1', got 1"]
    assert contains({"a": True}, {"a": True, "extra": 1}) == []


def test_missing_keys_are_named_leaf_by_leaf_and_lists_compare_whole() -> None:
    assert contains({"a": {"b": 1, "c": {"d": 2}}}, {}) == ["a.b: missing (want 1)", "a.c.d: missing (want 2)"]
    assert contains({"l": [1, 2]}, {"l": [1]}) == ["l: want [1, 2], got [1]"]
    assert contains({"l": [{"x": 1}]}, {"l": [{"x": 2, "y": 3}]}) == ["l.0.x: want 1, got 2"]
    assert contains({"m": {"k": 1}}, {"m": "text"}) == ["m: want a mapping, got 'text'"]


def test_absent() -> None:
    assert absent({"a": {"b": 1}}, "a.c") and absent({"a": 1}, "a.b") and not absent({"a": {"b": None}}, "a.b")
