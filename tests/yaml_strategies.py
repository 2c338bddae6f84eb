"""Hypothesis strategies for YAML documents: the awkward scalars YAML 1.1 readers disagree about."""

from __future__ import annotations

from hypothesis import strategies as st

scalars = (
    st.text(max_size=30)
    | st.sampled_from(
        [
            "yes",
            "No",
            "on",
            "null",
            "~",
            "1.5",
            "0x10",
            "-",
            "- x",
            "a: b",
            "#x",
            "x #y",
            "${A:b}",
            "http://h:80/p",
            "",
            " lead",
            "trail ",
            "2020-01-01",
            "1e3",
            ".5",
            "@x",
            "!x",
            "&a",
            "*a",
            "'q'",
            '"q"',
            "a\nb",
            "\u2028",
            "\ufeff",
            "%x",
            "`x",
            "{x}",
            "[x]",
            "?x",
            ":x",
            "x:",
        ]
    )
    | st.integers()
    | st.booleans()
    | st.none()
    | st.floats(allow_nan=False)
)
keys = st.text(min_size=1, max_size=12) | st.sampled_from(["yes", "5", "null", "a b", "x:y", "name"])
documents = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=25
)
