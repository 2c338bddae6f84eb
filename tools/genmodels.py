"""Generate spinconf's halconfig models from kleat's field tree.

Input: ``tools/halconfig-fields.txt`` (the proto field tree of kleat's halconfig),
``tools/halyard-fields.txt`` (fields of Halyard's config model that kleat lacks and spinconf
renders as Halyard's profile factories did; merged into kleat's tree, new fields last)
and ``tools/halyard-secret-fields.txt`` (Halyard's ``@Secret``/``@SecretFile``/
``@LocalFile`` fields). Output: one module per top-level section under
``spinconf/model/hal/`` plus ``spinconf/model/hal/fieldinfo.py``.

Run ``python tools/genmodels.py`` after changing either input; a test fails when
the generated modules are stale.
"""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "spinconf" / "model" / "hal"

# top-level halconfig key -> module name
MODULES = {
    "persistentStorage": "storage",
    "providers": "providers",
    "artifacts": "artifacts",
    "notifications": "notifications",
    "pubsub": "pubsub",
    "ci": "ci",
    "stats": "stats",
    "features": "features",
    "webhook": "webhook",
    "security": "security",
    "canary": "canary",
    "repository": "repository",
    "metricStores": "metric_stores",
    "spinnaker": "extensibility",
    "managedDelivery": "managed_delivery",
}
SHARED_TYPES = {"proto.Permissions"}
# Sections validated key by key (spinconf.model.validate), one module per child: a project imports
# and builds only the providers it uses.
SPLIT_SECTIONS = {"providers"}

# Java folder names in Halyard's tree that differ from the halconfig key.
JAVA_DIRS = {"webook": "webhook"}

# Secret-bearing fields kleat has that Halyard did not mark (Halyard kept them
# elsewhere or forgot them); each is a credential by any reading.
EXTRA_SECRETS = [
    "persistentStorage.sql.default.password",
    "persistentStorage.sql.migration.password",
    "security.authn.basic.user.password",
    "security.apiSecurity.ssl.trustStorePassword",
    "webhook.trust.trustStorePassword",
    "ci.codebuild.secretAccessKey",
    "ci.wercker.masters.*.token",
    "metricStores.datadog.api_key",
    "metricStores.datadog.app_key",
    "metricStores.newrelic.insert_key",
]


@dataclass
class Node:
    name: str
    type: str
    children: list[Node] = field(default_factory=list)
    path: str = ""

    @property
    def is_list(self) -> bool:
        return self.type.startswith("[]")

    @property
    def base(self) -> str:
        return self.type[2:] if self.is_list else self.type


def parse(text: str) -> list[Node]:
    roots: list[Node] = []
    stack: list[tuple[int, Node]] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        name, _, typ = raw.strip().partition(": ")
        node = Node(name, typ.strip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            parent = stack[-1][1]
            node.path = (
                parent.path + ("." + "*" if parent.is_list or parent.base.startswith("map<") else "") + "." + name
            )
            parent.children.append(node)
        else:
            node.path = name
            roots.append(node)
        stack.append((indent, node))
    return roots


def merge_trees(base: list[Node], extra: list[Node]) -> list[Node]:
    """Halyard's additions into kleat's tree: a node of both keeps kleat's type, new children go last."""
    by_name = {n.name: n for n in base}
    for node in extra:
        if node.name in by_name:
            merge_trees(by_name[node.name].children, node.children)
        else:
            base.append(node)
    return base


def class_name(proto_type: str) -> str:
    parts = proto_type.split(".")
    # proto.security.authn.Saml.UserAttributes -> SamlUserAttributes
    caps = [p for p in parts if p[:1].isupper()]
    return "".join(c[0].upper() + c[1:] for c in caps)


def python_module(module: str) -> str:
    return "spinconf.model.hal." + module.replace("/", ".")


def module_file(module: str) -> str:
    """providers -> providers/__init__.py (a sectioned section is a package), providers/aws -> providers/aws.py"""
    return f"{module}/__init__.py" if module in SPLIT_SECTIONS else f"{module}.py"


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def map_value_type(t: str) -> str:
    m = re.fullmatch(r"map<string,(.+)>", t)
    assert m, t
    return m.group(1)


class Generator:
    def __init__(self) -> None:
        self.modules: dict[str, dict[str, str]] = {}
        self.owner: dict[str, str] = {}  # class name -> module
        self.names: dict[str, str] = {}  # proto type -> class name
        self.module_of: dict[str, str] = {}  # proto type -> module
        self.enums: dict[str, dict[str, str]] = {}
        self.secret: dict[str, str] = {}
        self.sections: dict[str, dict[str, str]] = {}  # sectioned module -> {class: module of the class}

    def module_for(self, proto_type: str, top: str) -> str:
        if proto_type in SHARED_TYPES:
            return "common"
        section, _, child = top.partition(".")
        return f"{MODULES[section]}/{snake(child)}" if child else MODULES[section]

    def annotation(self, node: Node, top: str, module: str) -> str:
        base = node.base
        if base.startswith("enum("):
            enum_name = class_name_for_enum(node)
            values = base[5:-1].split("|")
            self.enums.setdefault(module, {})[enum_name] = render_enum(enum_name, values)
            inner = enum_name
        elif base.startswith("map<"):
            value = map_value_type(base)
            if value == "string":
                inner = "dict[str, Str]"
            elif value == "any":  # free-form configuration a service binds itself (a plugin's config)
                inner = "dict[str, Any]"
            else:
                cls = self.message(value, node, top)
                inner = f"dict[str, {cls}]"
        elif base in ("string", "google.protobuf.StringValue"):
            inner = "Str"
        elif base in ("google.protobuf.BoolValue", "bool"):
            inner = "Bool"
        elif base in ("int32", "int64", "google.protobuf.Int32Value"):
            inner = "Int"
        elif base.startswith("proto."):
            inner = self.message(base, node, top)
        else:
            raise SystemExit(f"unknown type {base!r} at {node.path}")
        return f"list[{inner}]" if node.is_list else inner

    def message(self, proto_type: str, node: Node, top: str) -> str:
        module = self.module_for(proto_type, top)
        if proto_type in self.names:
            return self.names[proto_type]
        name = class_name(proto_type)
        taken = {n for t, n in self.names.items() if self.module_of[t] == module}
        if name in taken:  # proto.canary.Aws vs proto.cloudprovider.Aws in one module
            name = proto_type.split(".")[1].capitalize() + name
        self.names[proto_type] = name
        self.owner[name] = module
        self.module_of[proto_type] = module
        lines = [f"class {name}(HalModel):"]
        sectioned = node.path in SPLIT_SECTIONS
        if sectioned:
            lines = [f"class {name}(SectionedModel):"]
        for child in node.children:
            if sectioned and (child.is_list or not child.base.startswith("proto.")):
                raise SystemExit(f"{child.path}: each field of a sectioned model must be one message")
            # a sectioned model's children each get a module of their own (providers/aws.py, ...)
            ann = self.annotation(child, f"{top}.{child.name}" if sectioned else top, module)
            if sectioned:
                self.sections.setdefault(module, {})[ann] = self.module_of[child.base]
            attr = child.name
            extra = []
            kind = self.secret.get(child.path)
            if kind:
                extra.append(f'json_schema_extra={{"x-spinconf-{kind}": True}}')
            if keyword.iskeyword(attr) or attr in RESERVED:
                extra.insert(0, f'alias="{attr}"')
                attr = attr + "_"
            if extra:
                lines.append(f"    {attr}: {ann} | None = Field(default=None, {', '.join(extra)})")
            else:
                lines.append(f"    {attr}: {ann} | None = None")
        if sectioned:
            lines[1:1] = [
                "    section_modules: ClassVar[dict[str, str]] = {",
                *(f'        "{cls}": "{python_module(mod)}",' for cls, mod in self.sections[module].items()),
                "    }",
                "",
            ]
        if len(lines) == 1:
            lines.append("    pass")
        self.modules.setdefault(module, {})[name] = "\n".join(lines)
        return name


RESERVED = {"schema", "json", "copy", "dict", "validate", "construct", "fields"}


def class_name_for_enum(node: Node) -> str:
    return node.name[0].upper() + node.name[1:]


def render_enum(name: str, values: list[str]) -> str:
    body = "\n".join(f'    {v.upper() if v.isidentifier() else "V_" + v} = "{v}"' for v in values)
    return f"class {name}(StrEnum):\n{body}"


def secret_paths(roots: list[Node], text: str) -> dict[str, str]:
    """Map halconfig paths to secret / secretFile / localFile from Halyard's annotations."""
    found: dict[str, str] = {}

    def walk(n: Node) -> list[Node]:
        out = [n]
        for c in n.children:
            out.extend(walk(c))
        return out

    by_top = {r.name: r for r in roots}
    lower_top = {k.lower(): k for k in by_top}
    for line in text.splitlines():
        m = re.match(r"(\S+): (\w+)\s+\[(.*)\]", line)
        if not m:
            continue
        java, fname, marks = m.groups()
        dirs = [JAVA_DIRS.get(d, d) for d in java.split("/")[:-1]]
        top_key = lower_top.get(dirs[0].lower())
        if top_key is None:
            continue
        scope = [by_top[top_key]]
        if len(dirs) > 1:
            sub = [n for n in walk(by_top[top_key]) if n.name.lower() == dirs[1].lower()]
            if not sub:
                continue  # Halyard-only provider: not in kleat's model
            scope = sub
        want = fname.replace("_", "").lower()
        kind = (
            "secret"
            if "@Secret" in marks.replace("@SecretFile", "")
            else ("secretFile" if "@SecretFile" in marks else "localFile")
        )
        for s in scope:
            for n in walk(s):
                if not n.children and n.name.replace("_", "").lower() == want:
                    found.setdefault(n.path, kind)
    for p in EXTRA_SECRETS:
        found.setdefault(p, "secret")
    return found


# No `from __future__ import annotations` here: classes are emitted children first, so the
# annotations are real objects at class creation and pydantic need not evaluate strings.
HEADER = '''"""{doc} (generated by tools/genmodels.py from kleat's field tree and Halyard's additions; do not edit)."""

from enum import StrEnum
{typing}
from pydantic import Field

from spinconf.model.base import Bool, HalModel, Int, Str
'''

# A sectioned model names its sections' classes for type checkers only: importing it imports none.
SECTIONED_HEADER = '''"""{doc} (generated by tools/genmodels.py from kleat's field tree and Halyard's additions; do not edit).

Each section's classes live in a module of their own, imported when a project uses the section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from spinconf.model.base import SectionedModel

if TYPE_CHECKING:
'''


def main() -> int:
    roots = merge_trees(
        parse((ROOT / "tools" / "halconfig-fields.txt").read_text()),
        parse((ROOT / "tools" / "halyard-fields.txt").read_text()),
    )
    gen = Generator()
    gen.secret = secret_paths(roots, (ROOT / "tools" / "halyard-secret-fields.txt").read_text())
    top_fields: list[tuple[str, str, str]] = []
    for r in roots:
        if r.base.startswith("proto."):
            cls = gen.message(r.base, r, r.name)
            top_fields.append((r.name, cls, gen.module_of[r.base]))
        else:
            top_fields.append((r.name, "Str", ""))
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    all_modules = sorted(set(gen.modules) | set(gen.enums))
    for module in all_modules:
        classes = gen.modules.get(module, {})
        typing = "from typing import Any\n" if any("Any]" in body for body in classes.values()) else ""
        text = HEADER.format(doc=f"halconfig models: {module.replace('/', '.')}", typing=typing)
        if module in gen.sections:
            text = SECTIONED_HEADER.format(doc=f"halconfig models: {module}")
            text += "".join(
                f"    from {python_module(m)} import {c}\n" for c, m in sorted(gen.sections[module].items())
            )
        elif module != "common":
            shared = sorted(
                gen.names[t]
                for t in SHARED_TYPES
                if t in gen.names and any(re.search(rf"\b{gen.names[t]}\b", body) for body in classes.values())
            )
            if shared:
                text += f"from spinconf.model.hal.common import {', '.join(shared)}\n"
        for body in gen.enums.get(module, {}).values():
            text += "\n\n" + body + "\n"
        for body in classes.values():  # children were registered before their parents
            text += "\n\n" + body + "\n"
        target = OUT / module_file(module)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        written.append(module)
    # The package itself imports nothing, so that reading fieldinfo does not build every model.
    init = [
        '"""halconfig models generated from kleat\'s field tree (see tools/genmodels.py)."""',
        "",
        "from __future__ import annotations",
        "",
        "# halconfig root key -> (module under spinconf.model.hal, model class), in kleat's field order",
        "SECTIONS: dict[str, tuple[str, str]] = {",
    ]
    for name, cls, module in top_fields:
        if module:
            init.append(f'    "{name}": ("{module}", "{cls}"),')
    init.append("}")
    (OUT / "__init__.py").write_text("\n".join(init) + "\n")
    info = [
        '"""Secret-bearing and file fields of the halconfig model (generated by tools/genmodels.py)."""',
        "",
        "from __future__ import annotations",
        "",
    ]
    for kind, var in (
        ("secret", "SECRET_FIELDS"),
        ("secretFile", "SECRET_FILE_FIELDS"),
        ("localFile", "LOCAL_FILE_FIELDS"),
    ):
        paths = sorted(p for p, k in gen.secret.items() if k == kind)
        info.append(f"{var}: frozenset[str] = frozenset(")
        info.append("    {")
        info += [f'        "{p}",' for p in paths]
        info.append("    }")
        info.append(")")
    (OUT / "fieldinfo.py").write_text("\n".join(info) + "\n")
    print(
        f"wrote {len(written)} modules, {len(gen.owner)} classes, {len(gen.secret)} secret/file fields", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
