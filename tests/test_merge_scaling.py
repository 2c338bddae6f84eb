"""Issue 13, point 7: merging is linear in the number of files (one account per file)."""

from __future__ import annotations

import time

from spinconf.diagnostics import Diagnostics
from spinconf.merge import merge_layers
from spinconf.yamlio import Document, load

ACCOUNT = "providers:\n  aws:\n    accounts:\n      - name: aws-{i}\n        accountId: '{id}'\n"


def _documents(n: int) -> list[Document]:
    return [
        load(ACCOUNT.format(i=i, id=100000000000 + i).encode(), f"overlays/accounts/aws-{i:05d}.yml") for i in range(n)
    ]


def _merge_seconds(n: int) -> float:
    best = 99.0
    for _ in range(3):
        docs = _documents(n)
        start = time.perf_counter()
        tree = merge_layers([docs], Diagnostics())
        best = min(best, time.perf_counter() - start)
        assert len(tree.data["providers"]["aws"]["accounts"]) == n
    return best


def test_one_account_per_file_merges_in_linear_time() -> None:
    small, large = _merge_seconds(1500), _merge_seconds(6000)
    # 4x the files: linear is 4x, the quadratic merge this replaces took 16x
    assert large < 8 * small, f"{small:.3f}s for 1,500 files, {large:.3f}s for 6,000"


def test_named_lists_still_merge_by_name_across_files() -> None:
    docs = [
        load(b"providers:\n  aws:\n    accounts:\n      - name: a\n        accountId: '1'\n", "overlays/1.yml"),
        load(b"providers:\n  aws:\n    accounts:\n      - name: b\n", "overlays/2.yml"),
        load(b"providers:\n  aws:\n    accounts:\n      - name: a\n        regions: [x]\n", "overlays/3.yml"),
        load(b"providers:\n  aws:\n    accounts:\n      - name: a\n        accountId: '2'\n", "overlays/4.yml"),
    ]
    diags = Diagnostics()
    tree = merge_layers([docs], diags)
    accounts = tree.data["providers"]["aws"]["accounts"]
    assert [a["name"] for a in accounts] == ["a", "b"]
    assert accounts[0] == {"name": "a", "accountId": "1", "regions": ["x"]}
    assert [(d.file, d.line, d.code) for d in diags] == [("overlays/4.yml", 5, "merge-conflict")]
    assert "also set at overlays/1.yml:5" in diags.sorted()[0].message
