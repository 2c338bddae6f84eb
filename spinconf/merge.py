"""Layered merge of overlay documents, with provenance and conflict detection (SPEC section 2).

- Mappings merge recursively.
- Lists whose items are all mappings with a ``name`` merge by name, in order of first
  appearance (two overlays may each add accounts). Other lists are values.
- Within one layer a key has one owner: two files setting it to different values is an
  error naming both places. A later layer (an environment) overrides the base.

Containers are moved, never copied, so their positions (keyed by ``id``) follow them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spinconf.diagnostics import Diagnostics
from spinconf.yamlio import Document, Origin, Positions


@dataclass
class Tree:
    """A merged configuration tree and where each entry came from."""

    data: dict[str, Any] = field(default_factory=dict)
    positions: Positions = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.positions.setdefault(id(self.data), {})

    def origin(self, path: tuple[Any, ...], fallback: Origin | None = None) -> Origin | None:
        """Position of the entry at ``path``, or of its nearest ancestor that has one."""
        node: Any = self.data
        found = fallback
        for part in path:
            pos = self.positions.get(id(node))
            if pos is None or part not in pos:
                break
            found = pos[part]
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
        return found

    def get(self, path: tuple[Any, ...]) -> Any:
        node: Any = self.data
        for part in path:
            node = node[part]
        return node


def _all_named(items: list[Any]) -> bool:
    return all(isinstance(i, dict) and isinstance(i.get("name"), str) for i in items)


def _show(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


class _Merger:
    def __init__(self, positions: Positions, diags: Diagnostics, same_layer: bool) -> None:
        self.positions = positions
        self.diags = diags
        self.same_layer = same_layer
        # id(named list being merged into) -> {name: index}. Kept across the files of a layer: a list
        # that one file after another adds to (one account per file) is checked and indexed once,
        # so merging stays linear in the number of files, not quadratic.
        self.indexes: dict[int, dict[str, int]] = {}

    def named_index(self, dst: list[Any], src: list[Any]) -> dict[str, int] | None:
        """The name index of ``dst`` when ``dst`` and ``src`` merge by name, else None."""
        if not _all_named(src):
            return None
        index = self.indexes.get(id(dst))
        if index is not None:
            return index  # dst only ever grew by named items since it was checked
        if not (dst or src) or not _all_named(dst):
            return None
        index = self.indexes[id(dst)] = {item["name"]: i for i, item in enumerate(dst)}
        return index

    def mapping(self, dst: dict[str, Any], src: dict[str, Any], path: tuple[Any, ...]) -> None:
        dpos = self.positions.setdefault(id(dst), {})
        spos = self.positions.get(id(src), {})
        for key, value in src.items():
            if key not in dst:
                dst[key] = value
                if key in spos:
                    dpos[key] = spos[key]
                continue
            self.entry(dst, key, value, dpos, spos.get(key), (*path, key))

    def entry(
        self,
        dst: dict[str, Any] | list[Any],
        key: Any,
        value: Any,
        dpos: dict[Any, Origin],
        src_origin: Origin | None,
        path: tuple[Any, ...],
    ) -> None:
        current = dst[key]
        index = None
        if isinstance(current, list) and isinstance(value, list):
            index = self.named_index(current, value)
        if isinstance(current, dict) and isinstance(value, dict):
            self.mapping(current, value, path)
        elif index is not None:
            self.named_list(current, value, path, index)
        elif self.same_layer:
            if type(current) is not type(value) or current != value:
                first = dpos.get(key)
                where = f" (also set at {first.file}:{first.line})" if first else ""
                if src_origin is not None:
                    self.diags.error(
                        src_origin,
                        "merge-conflict",
                        f"{_show(path)} is set differently in two files of one layer{where}: "
                        "give it one owner, or move the override to an environment",
                        key=_show(path),
                    )
        else:
            dst[key] = value
            if src_origin is not None:
                dpos[key] = src_origin

    def named_list(self, dst: list[Any], src: list[Any], path: tuple[Any, ...], index: dict[str, int]) -> None:
        dpos = self.positions.setdefault(id(dst), {})
        spos = self.positions.get(id(src), {})
        for j, item in enumerate(src):
            i = index.get(item["name"])
            if i is None:
                index[item["name"]] = len(dst)
                dst.append(item)
                if j in spos:
                    dpos[len(dst) - 1] = spos[j]
            else:
                self.mapping(dst[i], item, (*path, i))


def merge_layer(docs: list[Document], diags: Diagnostics, positions: Positions) -> dict[str, Any]:
    """Merge the documents of one layer; a key set differently by two files is an error."""
    root: dict[str, Any] = {}
    positions[id(root)] = {}
    merger = _Merger(positions, diags, same_layer=True)
    for doc in docs:
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            diags.error(doc.origin, "yaml-not-mapping", "an overlay's top level must be a mapping of config keys")
            continue
        positions.update(doc.positions)
        merger.mapping(root, doc.data, ())
    return root


def merge_layers(layers: list[list[Document]], diags: Diagnostics) -> Tree:
    """Merge layers in order: each later layer overrides the ones before it."""
    positions: Positions = {}
    tree: dict[str, Any] | None = None
    for docs in layers:
        layer = merge_layer(docs, diags, positions)
        if tree is None:
            tree = layer
        else:
            _Merger(positions, diags, same_layer=False).mapping(tree, layer, ())
    if tree is None:
        tree = {}
        positions[id(tree)] = {}
    return Tree(tree, positions)
