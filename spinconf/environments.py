"""Every environment, every time (SPEC sections 1 and 7).

When ``environments/`` holds environments, a command without ``--env`` means all of them:
each is loaded as base plus that environment, and the base alone is not checked (it may be
complete only together with its environments). A problem that several environments share
(one in a base overlay, typically) is reported once, naming the environments it was found in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from spinconf.diagnostics import Diagnostic

if TYPE_CHECKING:
    from spinconf.loader import Project
    from spinconf.render import Rendered


def selected(root: Path, names: list[str] | None) -> list[str | None]:
    """The environments a command runs for: those named (in order, once each), else every one
    the project has, else the base alone (``None``)."""
    if names:
        return list(dict.fromkeys(names))
    from spinconf.project import environment_names

    found: list[str | None] = list(environment_names(root))
    return found or [None]


@dataclass
class Run:
    """One command's projects, one per environment, with what they rendered."""

    projects: list[Project] = field(default_factory=list)
    rendered: list[Rendered | None] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return all(p.valid for p in self.projects) and all(r is not None for r in self.rendered)

    def diagnostics(self) -> list[Diagnostic]:
        """Every problem once, sorted; with environments, naming the ones it was found in."""
        found: dict[Diagnostic, list[str]] = {}
        for project in self.projects:
            for diag in project.diagnostics.sorted():
                found.setdefault(diag, [])
                if project.env is not None:
                    found[diag].append(project.env)
        out = [replace(d, message=f"{d.message} {_named(envs)}") if envs else d for d, envs in found.items()]
        return sorted(out, key=lambda d: (d.file, d.line, d.column, d.code, d.message))

    def summary(self) -> str:
        """One line for a successful run: files read, services rendered, warnings."""
        files = {doc.file for p in self.projects for layer in p.documents for doc in layer}
        services = {
            path.split("/")[1]
            for r in self.rendered
            if r is not None
            for path in r.files
            if path.startswith("services/")
        }
        warnings = sum(1 for d in self.diagnostics() if not d.is_error)
        envs = [p.env for p in self.projects if p.env is not None]
        where = f"{_count(len(envs), 'environment')} ({', '.join(envs)}), " if envs else ""
        return (
            f"{where}{_count(len(files), 'overlay file')} read, {_count(len(services), 'service')} rendered, "
            f"{_count(warnings, 'warning')}"
        )


def _named(envs: list[str]) -> str:
    return f"(environment {envs[0]})" if len(envs) == 1 else f"(environments {', '.join(envs)})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def load_each(root: Path, names: list[str] | None, *, dockerfiles: bool) -> Run:
    """Load (and, where valid, render) the project once per selected environment."""
    from spinconf.loader import load_project
    from spinconf.render import render_project

    run = Run()
    envs = selected(root, names)
    if len(envs) > 1:
        # an unknown name is a usage error before any work is done
        from spinconf.project import UsageError, environment_names

        known = environment_names(root)
        for env in envs:
            if env not in known:
                raise UsageError(f"no environment {env!r} (known: {', '.join(known) or 'none'})")
    for env in envs:
        project = load_project(root, env)
        run.projects.append(project)
        run.rendered.append(render_project(project, dockerfiles=dockerfiles) if project.valid else None)
    return run
