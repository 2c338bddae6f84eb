"""Did-you-mean hints for misspelt keys and names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_matches(word: str, candidates: Iterable[str], n: int = 1) -> list[str]:
    pool = list(candidates)
    found = difflib.get_close_matches(word, pool, n=n, cutoff=0.6)
    if not found:
        lowered = {c.lower(): c for c in pool}
        found = [lowered[m] for m in difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)]
    return found


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` or an empty string."""
    found = close_matches(word, candidates)
    return f"; did you mean {found[0]!r}?" if found else ""


def unique_match(word: str, candidates: Iterable[str]) -> str | None:
    """The one close candidate, or None when there is none or several (``spinconf fix`` renames only then)."""
    pool = [c for c in candidates if c != word]
    found = difflib.get_close_matches(word, pool, n=2, cutoff=0.75)
    if len(found) == 1:
        return found[0]
    lowered = {c.lower(): c for c in pool}
    if len(lowered) == len(pool) and word.lower() in lowered:
        return lowered[word.lower()]  # the same key in another case
    return None
