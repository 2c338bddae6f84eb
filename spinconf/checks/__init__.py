"""Cross-field and cross-reference rules that a field validator cannot express.

Each topic module registers its rules with :func:`rule`; :func:`run_checks` runs them
all on a loaded project. A rule has a stable code, a severity and a summary, which
also feed the generated config reference (docs/reference.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spinconf.diagnostics import Severity

if TYPE_CHECKING:
    from spinconf.loader import Project
    from spinconf.render import Rendered

CheckFn = Callable[["Project"], None]

# topic modules, imported in this order when checks run
TOPICS = (
    "secrets",  # SPEC section 3: declarations, references, plain-text secrets, placeholders
    "accounts",  # account names, primary accounts, providers without accounts
    "references",  # cross-references between sections
    "docker",  # docker registry accounts
    "kubernetes",  # kubernetes accounts
    "aws",  # AWS accounts, lifecycle hooks, role ARNs
    "security",  # authn, authz, base URLs
    "gate",  # gate behind its load balancers: x509 port, redis
    "storage",  # front50's store, JDBC URLs, buckets
    "general",  # version, timezone, canary
    "services",  # enabled services and what they need
    "keel",  # keel's database given twice
    "scaling",  # desiredCount > 1 safety
    "stores",  # backing stores a service would not use
    "ecs",  # the ECS Fargate target
    "sidecars",  # extra containers in a service's task
    "observability",  # APM: one provider, pinned agents, credentials
    "cluster",  # localhost addresses on every target; the Kubernetes target
    "discovery",  # ECS: every peer published under the name it is called at; load balancer attachments
    "halyard",  # files named by Halyard-era settings (SAML metadata)
    "deck",  # settings.js / settings-local.js: nothing secret or unresolvable reaches the browser
    "scalars",  # numbers YAML 1.1 reads otherwise where the model wants text
)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str
    applies_to: tuple[str, ...] = ()  # dotted key patterns the rule concerns, for the reference


RULES: dict[str, Rule] = {}
_CHECKS: list[CheckFn] = []


def rule(code: str, severity: Severity, summary: str, applies_to: tuple[str, ...] = ()) -> Rule:
    """Declare a rule (its code must be unique); returns it for use in diagnostics."""
    if code in RULES and RULES[code] != Rule(code, severity, summary, applies_to):
        raise ValueError(f"rule {code} declared twice")
    RULES[code] = Rule(code, severity, summary, applies_to)
    return RULES[code]


def check(fn: CheckFn) -> CheckFn:
    """Register a function that inspects a project and adds diagnostics."""
    _CHECKS.append(fn)
    return fn


def load_topics() -> None:
    for topic in TOPICS:
        importlib.import_module(f"spinconf.checks.{topic}")


def run_checks(project: Project) -> None:
    load_topics()
    for fn in _CHECKS:
        fn(project)


RenderCheckFn = Callable[["Project", "Rendered"], None]
_RENDER_CHECKS: list[RenderCheckFn] = []


def render_check(fn: RenderCheckFn) -> RenderCheckFn:
    """Register a rule that needs the rendered documents (placeholders, ECS task definitions, ...)."""
    _RENDER_CHECKS.append(fn)
    return fn


def run_render_checks(project: Project, rendered: Rendered) -> None:
    load_topics()
    for fn in _RENDER_CHECKS:
        fn(project, rendered)
