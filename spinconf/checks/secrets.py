"""Secrets and runtime references (SPEC section 3): declarations and the references to them.

Plain text in secret-bearing fields is in :mod:`spinconf.checks.secret_fields`; rules
on the rendered documents (placeholders, relaxed binding, ECS environments) are in
:mod:`spinconf.checks.placeholders`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spinconf.checks import check, rule
from spinconf.diagnostics import Severity
from spinconf.model.secrets import (
    SECRET_NAME,
    SecretSource,
    kms_key_problem,
    kubernetes_key_problem,
    kubernetes_secret_problem,
    secrets_manager_problem,
    ssm_problem,
)
from spinconf.refs import EnvRef, SecretRef, bound_property, default_env_name, is_env_name, shadowed_root
from spinconf.suggest import did_you_mean

if TYPE_CHECKING:
    from spinconf.loader import Project

ERROR, WARNING = Severity.ERROR, Severity.WARNING

SOURCE = rule(
    "secret-source", ERROR, "a secret declares exactly one of ssm, secretsManager or kubernetesSecret", ("secrets.*",)
)
KEY = rule(
    "secret-key",
    ERROR,
    "key goes with secretsManager (a JSON key) or kubernetesSecret (its data key, required there)",
    ("secrets.*.key",),
)
KUBERNETES_NAME = rule(
    "secret-kubernetes-name",
    ERROR,
    "kubernetesSecret is a Secret's name and key one of its data keys, as Kubernetes spells them",
    ("secrets.*.kubernetesSecret", "secrets.*.key"),
)
ARN = rule(
    "secret-arn",
    ERROR,
    "ssm is a parameter ARN or /path; secretsManager a full secret ARN (with its -XXXXXX suffix); kmsKeyArn a key ARN",
    ("secrets.*.ssm", "secrets.*.secretsManager", "secrets.*.kmsKeyArn"),
)
NAME = rule("secret-name", ERROR, "a secret's name is letters, digits, '.', '-' and '_' (at most 128)", ("secrets.*",))
ENV_NAME = rule("secret-env-name", ERROR, "a secret's env is a POSIX environment variable name", ("secrets.*.env",))
ENV_COLLISION = rule("secret-env-collision", ERROR, "two secrets arrive in the same environment variable")
ENV_SHADOWS = rule(
    "secret-env-shadows-property",
    ERROR,
    "a secret's env name must not bind onto a property through Spring's relaxed binding",
    ("secrets.*.env",),
)
ENV_RESERVED = rule(
    "secret-env-reserved",
    ERROR,
    "a secret's env may not name a variable the container, shell or JVM relies on (PATH, HOME, JAVA_OPTS, "
    "JAVA_TOOL_OPTIONS, LD_*, AWS_*, ECS_*, ...) nor one that ecs.environment also sets",
    ("secrets.*.env",),
)
ECS_ENV_NAME = rule(
    "ecs-environment-name",
    ERROR,
    "the names in ecs.environment are environment variable names (letters, digits and '_', not starting with a digit)",
    ("ecs.environment", "services.*.ecs.environment"),
)
UNDECLARED = rule("secret-undeclared", ERROR, "{secret: NAME} names a secret declared under secrets:")
UNUSED = rule("secret-unused", WARNING, "a declared secret that nothing references", ("secrets.*",))
ENV_REF_NAME = rule("env-ref-name", ERROR, "{env: NAME} names a POSIX environment variable")
ENV_REF_NOWHERE = rule(
    "env-ref-unresolved",
    ERROR,
    "nothing resolves ${...} in deck's settings, ECS settings, images or baked files: {env: ...} cannot go there",
    ("deck.*", "ecs.*", "services.*.ecs", "services.*.image", "services.*.files"),
)
ENV_REF_RUNTIME = rule(
    "env-ref-runtime", WARNING, "off the ECS target, the runtime must supply each {env: NAME} without a default"
)

# Variables a secret must not replace: the shell's and the loader's (PATH, LD_PRELOAD), the JVM's
# start options (the start scripts pass JAVA_OPTS to java; the JVM itself reads JAVA_TOOL_OPTIONS,
# _JAVA_OPTIONS and JDK_JAVA_OPTIONS), and the ones the AWS SDK and the ECS agent set or read
# (credentials endpoint, region, metadata URI). SPRING_* names are secret-env-shadows-property's.
RESERVED_ENV = frozenset(
    {
        "PATH", "HOME", "HOSTNAME", "SHELL", "USER", "LOGNAME", "PWD", "OLDPWD", "IFS", "ENV", "BASH_ENV",
        "TERM", "LANG", "TZ", "TMPDIR", "JAVA_HOME", "JAVA_OPTS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
        "JDK_JAVA_OPTIONS", "CLASSPATH",
    }
)  # fmt: skip
RESERVED_ENV_PREFIXES = ("LD_", "AWS_", "ECS_", "LC_", "DOCKER_", "JAVA_", "JDK_")


def reserved_env(name: str) -> bool:
    upper = name.upper()
    return upper in RESERVED_ENV or upper.startswith(RESERVED_ENV_PREFIXES)


def ecs_environment_names(project: Project) -> dict[str, tuple[Any, ...]]:
    """Every name ecs.environment or services.<svc>.ecs.environment sets, with where (the first place)."""
    config = project.config
    if config is None:
        return {}
    found: dict[str, tuple[Any, ...]] = {}
    if config.ecs is not None:
        for name in config.ecs.environment or {}:
            found.setdefault(name, ("ecs", "environment", name))
    for svc, service in _services(project):
        if service is not None and service.ecs is not None:
            for name in service.ecs.environment or {}:
                found.setdefault(name, ("services", svc, "ecs", "environment", name))
    return found


def _services(project: Project) -> list[tuple[str, Any]]:
    services = project.config.services if project.config else None
    if services is None:
        return []
    return [(name, getattr(services, name)) for name in type(services).model_fields]


# Parts of the config that never reach a Spring file: browser settings, ECS and image settings.
# Spring-bound is everything else.


def spring_bound(path: tuple[Any, ...]) -> bool:
    """Whether a value at ``path`` may land in a Spring file (where ``${...}`` is resolved)."""
    if not path:
        return True
    if path[0] in ("deck", "ecs", "secrets", "observability"):
        return False
    return not (path[0] == "services" and len(path) > 2 and path[2] in ("ecs", "image", "files"))


def secret_env(name: str, source: SecretSource | None) -> str:
    return source.env if source is not None and source.env else default_env_name(name)


def _show(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


@check
def secret_declarations(project: Project) -> None:
    """Each ``secrets.<name>``: its name, exactly one source, the ARNs' shapes, its env name."""
    if project.config is None or not project.config.secrets:
        return
    diags = project.diagnostics
    for name, source in project.config.secrets.items():
        at = ("secrets", name)
        if not SECRET_NAME.match(name):
            diags.error(
                project.origin(at),
                NAME.code,
                f"secret name {name!r} is not valid: use letters, digits, '.', '-' and '_' (at most 128)",
                key=_show(at),
            )
        sources = [f for f in ("ssm", "secretsManager", "kubernetesSecret") if getattr(source, f) is not None]
        if len(sources) != 1:
            diags.error(
                project.origin(at),
                SOURCE.code,
                f"secret {name!r} "
                + (
                    f"gives {'both ' if len(sources) == 2 else ''}{' and '.join(sources)}: keep one"
                    if sources
                    else "needs ssm, secretsManager or kubernetesSecret"
                ),
                key=_show(at),
            )
        _check_key(project, name, source)
        for field, problem_of in (
            ("ssm", ssm_problem),
            ("secretsManager", secrets_manager_problem),
            ("kmsKeyArn", kms_key_problem),
        ):
            value = getattr(source, field)
            problem = problem_of(value) if isinstance(value, str) else None
            if problem:
                diags.error(
                    project.origin((*at, field)), ARN.code, f"secret {name!r}: {problem}", key=_show((*at, field))
                )
        _check_env_name(project, name, source)
    _check_env_collisions(project)


def _check_key(project: Project, name: str, source: SecretSource) -> None:
    at = ("secrets", name)
    diags = project.diagnostics
    if source.kubernetesSecret is not None:
        if source.key is None:
            diags.error(
                project.origin(at),
                KEY.code,
                f"secret {name!r}: a Kubernetes Secret holds several values: say which with key:",
                key=_show(at),
            )
        for field, problem_of in (("kubernetesSecret", kubernetes_secret_problem), ("key", kubernetes_key_problem)):
            value = getattr(source, field)
            problem = problem_of(value) if isinstance(value, str) else None
            if problem:
                where = (*at, field)
                diags.error(
                    project.origin(where), KUBERNETES_NAME.code, f"secret {name!r}: {problem}", key=_show(where)
                )
    elif source.key is not None and source.secretsManager is None:
        diags.error(
            project.origin((*at, "key")),
            KEY.code,
            f"secret {name!r}: key picks a JSON key of a Secrets Manager secret; an SSM parameter has none",
            key=_show((*at, "key")),
        )


def _check_env_name(project: Project, name: str, source: SecretSource) -> None:
    if source.env is None:
        return
    at = ("secrets", name, "env")
    if not is_env_name(source.env):
        project.diagnostics.error(
            project.origin(at),
            ENV_NAME.code,
            f"secret {name!r}: env {source.env!r} is not an environment variable name "
            "(letters, digits and '_', not starting with a digit)",
            key=_show(at),
        )
        return
    if reserved_env(source.env):
        project.diagnostics.error(
            project.origin(at),
            ENV_RESERVED.code,
            f"secret {name!r}: env {source.env} is a variable the container, shell or JVM relies on, and the secret "
            f"would replace it: choose another name (the default is {default_env_name(name)})",
            key=_show(at),
        )
        return
    also = ecs_environment_names(project).get(source.env)
    if also is not None:
        where = project.origin(also)
        project.diagnostics.error(
            project.origin(at),
            ENV_RESERVED.code,
            f"secret {name!r}: env {source.env} is also set by {_show(also[:-1])} ({where.file}:{where.line}): "
            "one of the two values would be lost; choose another name",
            key=_show(at),
        )
        return
    root = shadowed_root(source.env)
    if root is not None:
        project.diagnostics.error(
            project.origin(at),
            ENV_SHADOWS.code,
            f"secret {name!r}: Spring's relaxed binding reads env {source.env} as property "
            f"{bound_property(source.env)} (under {root}.*, which every service binds): choose another name "
            f"(the default is {default_env_name(name)})",
            key=_show(at),
        )


def _check_env_collisions(project: Project) -> None:
    assert project.config is not None and project.config.secrets is not None
    first: dict[str, str] = {}
    for name, source in sorted(project.config.secrets.items()):
        env = secret_env(name, source)
        if env not in first:
            first[env] = name
            continue
        other = first[env]
        at = ("secrets", name)
        where = project.origin(("secrets", other))
        project.diagnostics.error(
            project.origin((*at, "env") if source.env else at),
            ENV_COLLISION.code,
            f"secrets {other!r} ({where.file}:{where.line}) and {name!r} both arrive in environment variable {env}: "
            "rename one or give it another env",
            key=_show(at),
        )


@check
def ecs_environment(project: Project) -> None:
    """The task's environment names are names a container can carry (not empty, no '=', no line break)."""
    for name, path in ecs_environment_names(project).items():
        if not is_env_name(name):
            project.diagnostics.error(
                project.origin(path),
                ECS_ENV_NAME.code,
                f"{name!r} in {_show(path[:-1])} is not an environment variable name "
                "(letters, digits and '_', not starting with a digit)",
                key=_show(path),
            )


@check
def secret_references(project: Project) -> None:
    """Every ``{secret: NAME}`` names a declared secret; every declared secret is used.

    A reference in deck.settings is deck-settings-reference's (spinconf/checks/deck.py).
    """
    if project.config is None:
        return
    declared = project.config.secrets or {}
    used: set[str] = set()
    diags = project.diagnostics
    for path, ref in project.refs:
        if not isinstance(ref, SecretRef):
            continue
        used.add(ref.name)
        if ref.name not in declared:
            hint = did_you_mean(ref.name, declared) or (
                "; declare it under secrets:" if declared else "; declare it under secrets: with ssm or secretsManager"
            )
            diags.error(
                project.origin(path), UNDECLARED.code, f"secret {ref.name!r} is not declared{hint}", key=_show(path)
            )
    for name in declared:
        if name not in used:
            diags.warning(
                project.origin(("secrets", name)),
                UNUSED.code,
                f"secret {name!r} is declared but nothing references it",
                key=f"secrets.{name}",
            )


@check
def env_references(project: Project) -> None:
    """``{env: NAME}``: a valid name, only where Spring resolves it; off ECS the runtime must supply it."""
    if project.config is None:
        return
    on_ecs = project.config.ecs is not None
    diags = project.diagnostics
    for path, ref in project.refs:
        if not isinstance(ref, EnvRef):
            continue
        key = _show(path)
        if not is_env_name(ref.name):
            diags.error(
                project.origin(path),
                ENV_REF_NAME.code,
                f"{{env: {ref.name!r}}} is not an environment variable name (letters, digits and '_')",
                key=key,
            )
            continue
        if ref.default is not None and "}" in ref.default:
            diags.error(
                project.origin(path),
                ENV_REF_NAME.code,
                f"the default of {{env: {ref.name}}} may not contain '}}': Spring would end the placeholder there",
                key=key,
            )
        if path[:2] == ("deck", "settings"):
            continue  # deck-settings-reference reports it: one diagnostic per place
        if not spring_bound(path):
            diags.error(
                project.origin(path),
                ENV_REF_NOWHERE.code,
                f"{{env: {ref.name}}} at {key}: nothing resolves ${{...}} there "
                "(deck's settings run in the browser; ECS and image settings are used as written)",
                key=key,
            )
        elif ref.default is None and not on_ecs:
            diags.warning(
                project.origin(path),
                ENV_REF_RUNTIME.code,
                f"environment variable {ref.name} has no default: the runtime must supply it, "
                "or write {env: " + ref.name + ", default: ...}",
                key=key,
            )


from spinconf.checks import placeholders, secret_fields  # noqa: E402  (their rules register on import)

__all__ = ["placeholders", "secret_env", "secret_fields", "spring_bound"]
