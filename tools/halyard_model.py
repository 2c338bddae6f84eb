"""List every field of Halyard's config model (``halyard-config`` ``model.v1``) as dotted paths.

Usage: ``python tools/halyard_model.py HALYARD_CHECKOUT > tools/halyard-model-fields.txt``
(spinnaker/halyard, read only). Lombok ``@Data`` classes are read field by field from
``DeploymentConfiguration`` down, with superclass fields and generic account types resolved;
``@JsonIgnore``, static, transient and Halyard's bookkeeping fields (``nodeName``, ``parent``)
are left out. Public getters count as Jackson sees them: ``@JsonIgnore`` on a getter (or on the
method it overrides) hides the property, ``@JsonProperty`` on a getter names it, and a getter
with no field behind it (``MetricStores.isEnabled``) is a property Halyard writes. Every
collection type (``SortedSet``, ``TreeSet``, ``ArrayList``, ...) is a list, every ``Map``
type a mapping, ``Optional<X>`` is ``X``. ``*`` stands for a list item or a map key. tests/halparity/test_model_coverage.py
checks that each listed field is in spinconf's model or has a reason in spinconf/model/halyard.py.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

MODEL = "halyard-config/src/main/java/com/netflix/spinnaker/halyard/config/model/v1"
SCALARS = {
    "String", "Boolean", "boolean", "Integer", "int", "Long", "long", "Double", "double", "Float",
    "float", "URL", "Object", "Path", "File", "Character", "char",
}  # fmt: skip
SKIP_FIELDS = {"nodeName", "parent", "log"}
# what Jackson writes as a YAML list / mapping (java.util's interfaces and their implementations)
LISTS = {
    "List", "Set", "Collection", "Iterable", "SortedSet", "NavigableSet", "TreeSet", "HashSet",
    "LinkedHashSet", "EnumSet", "ArrayList", "LinkedList", "Queue", "Deque", "ArrayDeque",
}  # fmt: skip
MAPS = {"Map", "HashMap", "LinkedHashMap", "TreeMap", "SortedMap", "NavigableMap", "ConcurrentHashMap", "EnumMap"}


@dataclass
class JavaClass:
    name: str
    extends: str = ""
    params: list[str] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)  # (type, name)
    enum: bool = False
    outer: str = ""
    is_map: bool = False  # `implements Map<...>`: Jackson writes it as a mapping (CustomSizing)
    type_name: str = ""  # `static final String NAME = "google"`: the item's name in a list of subclasses
    ignored: set[str] = field(default_factory=set)  # fields marked @JsonIgnore (their getters too)
    getters: list[Getter] = field(default_factory=list)


@dataclass
class Getter:
    """A public, non-static ``getX()``/``isX()`` as Jackson finds it."""

    type: str
    name: str  # Jackson's default naming: the leading capitals lowercased (getOAuthScopes -> oauthScopes)
    marks: str  # the annotations above it


_CLASS = re.compile(r"\b(class|enum|interface)\s+(\w+)\s*(<[^{]*?>)?\s*(?:extends\s+([\w.]+(?:<[^{]*?>)?))?[^{]*\{")
_GETTER = re.compile(r"^\s*public\s+(?:abstract\s+)?(?:final\s+)?([\w.]+(?:<[\w.<>,\s?]+>)?(?:\[\])?)\s+"
                     r"(get|is)([A-Z]\w*)\s*\(\s*\)")  # fmt: skip
_FIELD = re.compile(r"^\s*((?:@[\w.]+(?:\([^)]*\))?\s*)*)(?:(?:private|protected|public)\s+)?(?:final\s+)?"
                    r"([\w.]+(?:<[\w.<>,\s?]+>)?(?:\[\])?)\s+(\w+)\s*(?:=[^;]*;?|;)\s*$")  # fmt: skip


def parse(text: str, classes: dict[str, JavaClass]) -> None:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    # a declaration over several lines (`class X\n    extends Y<...> {`) on one line
    text = re.sub(r"\b(?:class|enum|interface)\b[^{;()]*\{", lambda m: " ".join(m.group(0).split()), text)
    stack: list[tuple[int, JavaClass | None]] = []
    depth = 0
    pending: JavaClass | None = None
    annotations = ""
    for line in text.splitlines():
        m = _CLASS.search(line)
        if m and "new " not in line:
            params = [p.split()[0] for p in (m.group(3) or "<>")[1:-1].split(",") if p.strip()]
            outer = next((c for _, c in reversed(stack) if c is not None), None)
            pending = JavaClass(m.group(2), (m.group(4) or ""), params, enum=m.group(1) == "enum")
            pending.is_map = bool(re.search(r"implements\s+Map\b", line))
            if outer is not None:  # a nested class: Outer.Inner wins over another Inner elsewhere
                pending.outer = outer.name
                classes[f"{outer.name}.{pending.name}"] = pending
            classes.setdefault(pending.name, pending)
        current = stack[-1][1] if stack else None
        if current is not None and depth == stack[-1][0] and not current.enum:
            named = re.match(r'\s*public static final String NAME\s*=\s*"([^"]+)"', line)
            if named:
                current.type_name = named.group(1)
            if line.strip().startswith("@") and not line.rstrip().endswith(";"):
                annotations += " " + line.strip()  # annotations on the lines above a field
                continue_scan = True
            else:
                continue_scan = False
            f = None if continue_scan else _FIELD.match(line)
            plain = f is not None and not ({"static", "transient"} & set(line.split())) and "(" not in f.group(2)
            if f and plain:
                marks = annotations + " " + f.group(1)
                renamed = re.search(r'@JsonProperty\("([^"]+)"\)', marks)
                name = renamed.group(1) if renamed else f.group(3)
                if "JsonIgnore" in marks:
                    current.ignored.add(name)
                elif "WRITE_ONLY" not in marks and name not in SKIP_FIELDS:
                    current.fields.append((f.group(2).replace(" ", ""), name))
            g = None if continue_scan or "static" in line.split() else _GETTER.match(line)
            if g and (g.group(2) == "get" or g.group(1) in ("boolean", "Boolean")):
                marks = annotations
                current.getters.append(Getter(g.group(1).replace(" ", ""), _bean_name(g.group(3)), marks))
            if not continue_scan:
                annotations = ""
        for ch in line:
            if ch == "{":
                depth += 1
                if pending is not None:  # a class body opens; method and initializer bodies are not tracked
                    stack.append((depth, pending))
                    pending = None
            elif ch == "}":
                if stack and stack[-1][0] == depth:
                    stack.pop()
                depth -= 1


def _bean_name(rest: str) -> str:
    """Jackson's default property name for ``get<rest>``: the leading capitals in lower case."""
    upper = len(rest) - len(rest.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return rest[:upper].lower() + rest[upper:]


def _hidden(cls: JavaClass, classes: dict[str, JavaClass]) -> set[str]:
    """Properties @JsonIgnore'd on a getter of ``cls`` or of a class it extends (Jackson merges
    the annotations of an overridden getter: Node.getNodeName hides every override)."""
    out: set[str] = set()
    seen = 0
    node: JavaClass | None = cls
    while node is not None and seen < 10:
        out |= {g.name.lower() for g in node.getters if "JsonIgnore" in g.marks}
        node = classes.get(node.extends.split("<")[0].split(".")[-1]) if node.extends else None
        seen += 1
    return out


def generic_args(text: str) -> list[str]:
    m = re.search(r"<(.*)>", text)
    if not m:
        return []
    out, level, cur = [], 0, ""
    for ch in m.group(1):
        if ch == "<":
            level += 1
        elif ch == ">":
            level -= 1
        if ch == "," and level == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return [*out, cur.strip()] if cur.strip() else out


def all_fields(cls: JavaClass, classes: dict[str, JavaClass], binding: dict[str, str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if cls.extends:
        parent = classes.get(cls.extends.split("<")[0].split(".")[-1])
        if parent is not None:
            args = [binding.get(a, a) for a in generic_args(cls.extends)]
            out += all_fields(parent, classes, dict(zip(parent.params, args, strict=False)))

    def qualify(word: str) -> str:
        word = binding.get(word, word)
        for scope in (cls.name, cls.outer):
            if scope and f"{scope}.{word}" in classes:
                return f"{scope}.{word}"
        return word

    for typ, name in cls.fields:
        out = [(t, n) for t, n in out if n != name]
        out.append((re.sub(r"\b([A-Za-z_]\w*)\b", lambda m: qualify(m.group(1)), typ), name))
    hidden = _hidden(cls, classes)
    out = [(t, n) for t, n in out if n.lower() not in hidden]
    for getter in cls.getters:
        renamed = re.search(r'@JsonProperty\("([^"]+)"\)', getter.marks)
        same = [n for _, n in out if n.lower() == getter.name.lower()]
        if renamed and same:  # the getter's name wins over the field's
            out = [(t, renamed.group(1) if n in same else n) for t, n in out]
        elif not same and not {getter.name.lower()} & (hidden | {n.lower() for n in cls.ignored | SKIP_FIELDS}):
            # a computed property (MetricStores.isEnabled): Jackson writes it
            name = renamed.group(1) if renamed else getter.name
            out.append((re.sub(r"\b([A-Za-z_]\w*)\b", lambda m: qualify(m.group(1)), getter.type), name))
    return out


def _extends(cls: JavaClass, parent: str, classes: dict[str, JavaClass]) -> bool:
    seen = 0
    while cls.extends and seen < 10:
        name = cls.extends.split("<")[0].split(".")[-1]
        if name == parent:
            return True
        nxt = classes.get(name)
        if nxt is None:
            return False
        cls, seen = nxt, seen + 1
    return False


def walk(typ: str, path: str, classes: dict[str, JavaClass], out: list[str], seen: tuple[str, ...]) -> None:
    base = typ.split("<")[0]
    base = base if base in classes else base.split(".")[-1]
    if typ.endswith("[]"):
        out.append(f"{path}: list")
        return
    if base == "Optional" and generic_args(typ):
        walk(generic_args(typ)[0], path, classes, out, seen)
        return
    if base in LISTS:
        item = generic_args(typ)[0] if generic_args(typ) else "Object"
        if item.startswith("?extends"):  # a list of subclasses (canary service integrations): all their fields
            parent = item.removeprefix("?extends").split("<")[0].split(".")[-1]
            # written as a list with `name`; spinconf keys them by that name (canary.serviceIntegrations.google)
            for sub in sorted(n for n, c in classes.items() if "." not in n and _extends(c, parent, classes)):
                walk(sub, f"{path}.{classes[sub].type_name or '*'}", classes, out, seen)
            # each item's `name` (the abstract getName) is the key spinconf files it under: in the path
            out[:] = [line for line in out if not re.match(re.escape(path) + r"\.[^.*]+\.name: ", line)]
            return
        ibase = item.split("<")[0]
        ibase = ibase if ibase in classes else ibase.split(".")[-1]
        if ibase in SCALARS or ibase not in classes or classes[ibase].enum:
            out.append(f"{path}: list")
            return
        walk(item, path + ".*", classes, out, seen)
        return
    if base in MAPS:
        args = generic_args(typ)
        value = args[1] if len(args) > 1 else "Object"
        vbase = value.split("<")[0]
        vbase = vbase if vbase in classes else vbase.split(".")[-1]
        if vbase in SCALARS or vbase not in classes or classes[vbase].enum:
            out.append(f"{path}: map")
            return
        walk(value, path + ".*", classes, out, seen)
        return
    cls = classes.get(base)
    if base in SCALARS or cls is None or cls.enum or base in seen:
        out.append(f"{path}: {'enum' if cls is not None and cls.enum else 'scalar'}")
        return
    if cls.is_map:
        out.append(f"{path}: map")
        return
    fields = all_fields(cls, classes, {})
    if not fields:
        out.append(f"{path}: object")
    for ftype, fname in fields:
        walk(ftype, f"{path}.{fname}" if path else fname, classes, out, (*seen, base))


def main(argv: list[str]) -> int:
    root = Path(argv[1]) / MODEL
    classes: dict[str, JavaClass] = {}
    for path in sorted(root.rglob("*.java")):
        parse(path.read_text(), classes)
    out: list[str] = []
    walk("DeploymentConfiguration", "", classes, out, ())
    print("\n".join(sorted(set(out))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
