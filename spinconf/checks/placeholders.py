"""Rules on the rendered Spring files: every ``${...}`` resolves at start-up (SPEC section 3).

These need the documents as rendered (``Rendered.documents``): which services' files a
reference landed in, and which properties those files define.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from spinconf.checks import render_check, rule
from spinconf.checks._util import iter_strings
from spinconf.diagnostics import Severity
from spinconf.model.services import JAVA_SERVICES
from spinconf.provenance import user_path
from spinconf.refs import EnvRef, Placeholder, env_binding_form, is_env_name, placeholders, property_binding_form

if TYPE_CHECKING:
    from spinconf.loader import Project
    from spinconf.render import Rendered
    from spinconf.yamlio import Origin

UNRESOLVED = rule(
    "unresolved-placeholder",
    Severity.ERROR,
    "a ${...} in a rendered Spring file that nothing defines (a warning off the ECS target, where the runtime "
    "may supply it)",
)
ENV_REF_MISSING = rule(
    "env-ref-missing",
    Severity.ERROR,
    "on the ECS target, {env: NAME} without a default needs NAME in ecs.environment or "
    "services.<svc>.ecs.environment of every service whose files use it",
    ("ecs.environment", "services.*.ecs.environment"),
)

# What a container has without anyone setting it: the JVM's system properties, Spring Boot's
# random.* source, and the variables Docker and Fargate put into every task
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4-fargate.html).
_BUILTIN_PREFIXES = ("random.", "java.", "user.", "os.", "file.", "line.", "path.")
_BUILTIN_NAMES = frozenset(
    {
        "HOSTNAME",
        "HOME",
        "PATH",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "ECS_CONTAINER_METADATA_URI",
        "ECS_CONTAINER_METADATA_URI_V4",
        "spring.application.name",
        "server.port",
    }
)


def spring_documents(rendered: Rendered) -> list[tuple[str, str, Any]]:
    """``(service, file, document)`` for every rendered Spring YAML file."""
    return [
        (svc, name, doc)
        for svc, docs in sorted(rendered.documents.items())
        if svc in JAVA_SERVICES
        for name, doc in sorted(docs.items())
        if name.endswith((".yml", ".yaml"))
    ]


class PropertyIndex:
    """The properties each rendered document defines, in relaxed-binding form; computed once per document."""

    def __init__(self) -> None:
        self._leaves: dict[int, set[str]] = {}
        self._nodes: dict[int, dict[str, str]] = {}

    def _index(self, doc: Any) -> None:
        leaves: set[str] = set()
        nodes: dict[str, str] = {}
        # each entry carries its parent's binding form and dotted name, so a key costs one step, not its depth
        stack: list[tuple[Any, str, str]] = [(doc, "", "")]
        while stack:
            node, form_prefix, dotted_prefix = stack.pop()
            items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
            for key, value in items:
                part = property_binding_form((key,))
                form = f"{form_prefix}_{part}" if form_prefix else part
                dotted = f"{dotted_prefix}.{key}" if dotted_prefix else str(key)
                nodes.setdefault(form, dotted)
                if isinstance(value, dict | list) and value:
                    stack.append((value, form, dotted))
                else:
                    leaves.add(form)
        self._leaves[id(doc)] = leaves
        self._nodes[id(doc)] = nodes

    def leaves(self, doc: Any) -> set[str]:
        if id(doc) not in self._leaves:
            self._index(doc)
        return self._leaves[id(doc)]

    def nodes(self, doc: Any) -> dict[str, str]:
        if id(doc) not in self._nodes:
            self._index(doc)
        return self._nodes[id(doc)]


def service_environment(project: Project, svc: str) -> set[str]:
    """Names in the task definition's environment of ``svc`` (ECS target only)."""
    config = project.config
    if config is None or config.ecs is None:
        return set()
    # the project-wide environment reaches the Java services only (targets/environment.py)
    names = set(config.ecs.environment or {}) if svc != "deck" else set()
    service = getattr(config.services, svc, None) if config.services else None
    if service is not None and service.ecs is not None:
        names |= set(service.ecs.environment or {})
    from spinconf.targets import apm  # the tracer's variables (DD_VERSION, OTEL_SERVICE_NAME, ...)

    names |= set(apm.service_environment(config, svc, project.env, ""))
    return names


def _secret_env_names(project: Project, secrets: set[str]) -> set[str]:
    from spinconf.render import secret_env_name

    return {secret_env_name(project, name) for name in secrets}


def _resolvable(p: Placeholder, known: set[str]) -> bool:
    if not all(_resolvable(q, known) for q in p.in_key):
        return False
    key = p.key.strip()
    if (
        p.in_key  # the name is only known at run time
        or key in _BUILTIN_NAMES
        or key.startswith(_BUILTIN_PREFIXES)
        or property_binding_form([key]) in known
    ):
        return True
    return p.default is not None and all(_resolvable(q, known) for q in p.in_default)


def _unresolved_in(value: str, known: set[str]) -> list[Placeholder]:
    return [p for p in placeholders(value) if not _resolvable(p, known)]


def _strings(doc: Any) -> list[tuple[tuple[Any, ...], str]]:
    return list(iter_strings(doc, lambda text: "${" in text))


def _written_at(project: Project, texts: set[str]) -> dict[str, list[Origin]]:
    """Where the overlays wrote each placeholder text (a rendered document has no line numbers)."""
    where: dict[str, list[Origin]] = defaultdict(list)
    for path, value in iter_strings(project.tree.data, lambda text: "${" in text):
        for text in texts:
            if text in value:
                where[text].append(project.origin(path))
    return where


def _profile_path(project: Project, svc: str, file: str, path: tuple[Any, ...], text: str) -> tuple[Any, ...] | None:
    """The ``profiles.<name>`` entry a rendered value came from, when it was written there."""
    tree_path = ("profiles", svc if file == f"{svc}.yml" else "spinnaker", *path)
    try:
        value = project.tree.get(tree_path)
    except (KeyError, IndexError, TypeError):
        return None
    return tree_path if isinstance(value, str) and text in value else None


@render_check
def unresolved_placeholders(project: Project, rendered: Rendered) -> None:
    """No ``${...}`` in a rendered Spring file that nothing defines: not the files, not the task's environment."""
    if project.config is None:
        return
    on_ecs = project.config.ecs is not None
    index = PropertyIndex()
    # placeholder text -> (service, file, path in the document) where it stays unresolved
    unresolved: dict[str, list[tuple[str, str, tuple[Any, ...]]]] = defaultdict(list)
    for svc, name, doc in spring_documents(rendered):
        if (svc, name) not in rendered.placeholder_documents:
            continue  # its only placeholders come from references, which their own rules check
        strings = _strings(doc)
        if not strings:
            continue  # indexing what a file defines costs more than finding that it has no placeholder
        uses = rendered.uses.get(svc)
        env = service_environment(project, svc)
        if uses is not None:
            # references are checked by their own rules (env-ref-missing, env-ref-runtime)
            env |= uses.env | uses.env_with_default | _secret_env_names(project, uses.secrets)
        known = {env_binding_form(e) for e in env if is_env_name(e)}
        pending = [(path, value) for path, value in strings if _unresolved_in(value, known)]
        if not pending:
            continue  # every placeholder is an environment name: no need to index the files' properties
        for other in rendered.documents.get(svc, {}).values():
            known |= index.leaves(other)
        for path, value in pending:
            for p in _unresolved_in(value, known):
                unresolved[p.text].append((svc, name, path))
    if not unresolved:
        return
    severity = Severity.ERROR if on_ecs else Severity.WARNING
    if on_ecs:
        remedy = "add it to ecs.environment (or services.<svc>.ecs.environment), define it, or give a default"
    else:
        remedy = "the runtime must supply it, or define it or give a default"
    written = None
    # (origin, text) -> the services and the first rendered key, so one place gets one diagnostic
    groups: dict[tuple[Origin, str], tuple[set[str], str, str]] = {}
    for text, places in sorted(unresolved.items()):
        for svc, file, path in places:
            profile = _profile_path(project, svc, file, path, text)
            derivation = rendered.derivation(svc, file, path)
            if profile is not None:
                origins = [project.origin(profile)]
            elif derivation is not None:
                # derived from the user's setting (spinconf/provenance.py): that line, not every line with the text
                origins = [project.origin(user_path(project.tree, derivation))]
            else:
                written = written if written is not None else _written_at(project, set(unresolved))
                origins = written.get(text) or [project.first_file_origin()]
            for origin in origins:
                group = groups.setdefault((origin, text), (set(), file, ".".join(map(str, path))))
                group[0].add(svc)
    for (origin, text), (services, file, key) in sorted(groups.items()):
        message = f"{text} in {file} ({key}) of {', '.join(sorted(services))}: nothing defines it; {remedy}"
        project.diagnostics.add(origin, UNRESOLVED.code, message, key=key, severity=severity)


def _services_of(path: tuple[Any, ...], name: str, rendered: Rendered) -> list[str]:
    """The rendered services whose files hold the reference at ``path``."""
    users = [svc for svc, uses in sorted(rendered.uses.items()) if name in uses.env]
    if len(path) > 1 and path[0] == "profiles" and path[1] in JAVA_SERVICES:
        return [svc for svc in users if svc == path[1]]
    return users


@render_check
def env_references_on_ecs(project: Project, rendered: Rendered) -> None:
    """On the ECS target, each ``{env: NAME}`` without a default gets a value in the task's environment."""
    from spinconf.checks.secrets import spring_bound

    if project.config is None or project.config.ecs is None:
        return
    for path, ref in project.refs:
        if not isinstance(ref, EnvRef) or ref.default is not None or not is_env_name(ref.name):
            continue
        if not spring_bound(path):
            continue  # env-ref-unresolved already
        missing = [
            svc
            for svc in _services_of(path, ref.name, rendered)
            if ref.name not in service_environment(project, svc)
            and ref.name not in _secret_env_names(project, rendered.uses[svc].secrets)
        ]
        if missing:
            key = ".".join(str(p) for p in path)
            project.diagnostics.error(
                project.origin(path),
                ENV_REF_MISSING.code,
                f"environment variable {ref.name} gets no value in the task definition of {', '.join(missing)}: "
                "add it to ecs.environment or services.<svc>.ecs.environment, or write "
                "{env: " + ref.name + ", default: ...}",
                key=key,
            )


@render_check
def secret_env_shadows_property(project: Project, rendered: Rendered) -> None:
    """A chosen secret env name must not override a property the rendered files set (relaxed binding)."""
    from spinconf.checks.secrets import ENV_SHADOWS
    from spinconf.refs import shadowed_root

    secrets = project.config.secrets if project.config else None
    chosen = {
        name: source.env
        for name, source in (secrets or {}).items()
        if source.env and is_env_name(source.env) and shadowed_root(source.env) is None
    }
    if not chosen:
        return
    index = PropertyIndex()
    documents = spring_documents(rendered)
    for name, env in sorted(chosen.items()):
        form = env_binding_form(env)
        hits = [(svc, file, index.nodes(doc)[form]) for svc, file, doc in documents if form in index.nodes(doc)]
        if not hits:
            continue
        prop = hits[0][2]
        files = sorted({file for _, file, _ in hits})
        at = ("secrets", name, "env")
        project.diagnostics.error(
            project.origin(at),
            ENV_SHADOWS.code,
            f"secret {name!r}: Spring's relaxed binding reads env {env} as property {prop} "
            f"(set in {', '.join(files)}), so the secret would replace it: choose another name",
            key=".".join(at),
        )
