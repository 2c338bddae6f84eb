"""spinconf: a configuration compiler for Spinnaker.

The library API: load a project, read its diagnostics, render its files, write them.

    >>> import spinconf
    >>> project = spinconf.load_project("path/to/project")
    >>> for d in project.diagnostics: print(d.text())
    >>> files = spinconf.render_files(project)    # {"services/gate/gate.yml": b"...", ...}
    >>> spinconf.write_output(project, files)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from spinconf.diagnostics import Diagnostic, Diagnostics, Severity
    from spinconf.loader import Project, load_project
    from spinconf.model.config import Config
    from spinconf.render import render_files, write_output

__all__ = [
    "Config",
    "Diagnostic",
    "Diagnostics",
    "Project",
    "Severity",
    "__version__",
    "load_project",
    "render_files",
    "write_output",
]

_LAZY = {
    "Config": "spinconf.model.config",
    "Diagnostic": "spinconf.diagnostics",
    "Diagnostics": "spinconf.diagnostics",
    "Severity": "spinconf.diagnostics",
    "Project": "spinconf.loader",
    "load_project": "spinconf.loader",
    "render_files": "spinconf.render",
    "write_output": "spinconf.render",
}


def __getattr__(name: str) -> Any:
    # imported on first use so that `spinconf --help` and library users pay only for what they touch
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'spinconf' has no attribute {name!r}")
