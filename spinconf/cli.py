"""The ``spinconf`` command: a thin layer over the library. Each command returns an exit code.

Exit codes: 0 success (warnings allowed), 1 invalid config or stale output, 2 usage
error, 3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from spinconf.loader import Project

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

app = typer.Typer(
    name="spinconf",
    help="Validate and render Spinnaker configuration from overlay files.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state = {"debug": False}

RootArg = Annotated[Path, typer.Argument(help="project folder", show_default=True)]
EnvOpt = Annotated[str | None, typer.Option("--env", help="apply environments/NAME on top of the overlays")]


def _err(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def _run(fn: Callable[[], int]) -> int:
    """Run a command body: usage errors exit 2, bugs exit 3 with one line (traceback with --debug)."""
    from spinconf.project import UsageError

    try:
        return fn()
    except UsageError as exc:
        _err(f"spinconf: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("spinconf: interrupted")
        return 130
    except Exception as exc:
        if _state["debug"]:
            raise
        _err(
            f"spinconf: internal error ({type(exc).__name__}); please report it with the output of "
            "--debug at https://github.com/spinconf/spinconf/issues"
        )
        return EXIT_BUG


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="show tracebacks of internal errors")] = False,
    version: Annotated[bool, typer.Option("--version", help="print the version and exit")] = False,
) -> None:
    _state["debug"] = debug
    if version:
        from spinconf import __version__

        typer.echo(f"spinconf {__version__}")
        raise typer.Exit(EXIT_OK)


def _print_diagnostics(project: Project, fmt: str, strict: bool = False) -> int:
    from spinconf.diagnostics import REPORTERS

    diags = project.diagnostics.sorted()
    out = REPORTERS[fmt](diags)
    if fmt == "text":
        sys.stderr.write(out)
    else:
        sys.stdout.write(out)
    failed = any(d.is_error for d in diags) or (strict and bool(diags))
    return EXIT_INVALID if failed else EXIT_OK


@app.command()
def validate(
    root: RootArg = Path("."),
    env: EnvOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json, github or sarif")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="treat warnings as errors")] = False,
) -> None:
    """Check a project: every problem at file:line:col."""

    def body() -> int:
        from spinconf.diagnostics import REPORTERS
        from spinconf.loader import load_project
        from spinconf.project import UsageError

        if fmt not in REPORTERS:
            raise UsageError(f"unknown format {fmt!r} (text, json, github or sarif)")
        project = load_project(root, env)
        if project.valid:
            from spinconf.render import render_project

            # the rules that need rendered documents add diagnostics here
            render_project(project, dockerfiles=False)
        return _print_diagnostics(project, fmt, strict)

    raise typer.Exit(_run(body))


@app.command()
def render(
    root: RootArg = Path("."),
    env: EnvOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="output folder (default out/, or out/ENV/)")] = None,
    check: Annotated[
        bool, typer.Option("--check", help="write nothing; exit 1 if the output is not up to date")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="diagnostics format: text, json, github or sarif")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="treat warnings as errors")] = False,
) -> None:
    """Render every service's files into out/ (all or nothing)."""

    def body() -> int:
        from spinconf.loader import load_project
        from spinconf.output import differences
        from spinconf.project import UsageError
        from spinconf.render import output_dir, output_problem, render_project, write_output

        project = load_project(root, env)
        rendered = render_project(project) if project.valid else None
        code = _print_diagnostics(project, fmt, strict)
        if code != EXIT_OK or rendered is None:
            _err("spinconf: nothing written: fix the errors above")
            return EXIT_INVALID
        target = output_dir(project, out)
        problem = output_problem(project, target)
        if problem:
            raise UsageError(f"{_show(target)} {problem}")
        if check:
            diffs = differences(target, rendered.files)
            for line in diffs:
                _err(f"{_show(target)}: {line}")
            if diffs:
                _err(f"spinconf: {_show(target)} is not up to date: run `spinconf render`")
                return EXIT_INVALID
            return EXIT_OK
        write_output(project, rendered.files, out)
        _err(f"spinconf: wrote {len(rendered.files)} files to {_show(target)}")
        return EXIT_OK

    raise typer.Exit(_run(body))


def _show(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return str(path)


@app.command()
def explain(
    service: Annotated[str, typer.Argument(help="a service, `spinnaker` (the shared file) or `deck`")],
    key: Annotated[str, typer.Argument(help="dotted key in that file, e.g. services.gate.baseUrl")],
    root: RootArg = Path("."),
    env: EnvOpt = None,
) -> None:
    """Show a rendered key's final value and where it came from."""

    def body() -> int:
        from spinconf.explain import explain_key
        from spinconf.loader import load_project

        project = load_project(root, env)
        if not project.valid:
            _print_diagnostics(project, "text")
            return EXIT_INVALID
        text, ok = explain_key(project, service, key)
        (sys.stdout if ok else sys.stderr).write(text)
        return EXIT_OK if ok else EXIT_INVALID

    raise typer.Exit(_run(body))


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", help="folder to write the JSON Schema into")] = Path("schemas"),
) -> None:
    """Write the JSON Schema of overlay files (for editors and CI)."""

    def body() -> int:
        from spinconf.schema import write_schemas

        for path in write_schemas(out):
            typer.echo(str(path))
        return EXIT_OK

    raise typer.Exit(_run(body))


@app.command("import-hal")
def import_hal(
    halconfig: Annotated[Path, typer.Argument(help="Halyard config (~/.hal/config) or a bare deployment document")],
    to: Annotated[Path, typer.Option("--to", help="folder of the new project")],
    deployment: Annotated[str | None, typer.Option("--deployment", help="default: currentDeployment")] = None,
    secret_prefix: Annotated[str, typer.Option("--secret-prefix", help="SSM path of the secrets")] = "/spinnaker/",  # noqa: S107
    force: Annotated[bool, typer.Option("--force", help="write into a folder that is not empty")] = False,
) -> None:
    """Turn a Halyard halconfig (with its profiles/ and service-settings/) into a project."""

    def body() -> int:
        from spinconf.halimport import HalImportError, import_hal, summary, write_imported
        from spinconf.loader import load_project
        from spinconf.project import UsageError
        from spinconf.scaffold import refuse_non_empty

        if (message := refuse_non_empty(to, force)) is not None:
            _err(f"spinconf: {message}")
            return EXIT_INVALID
        try:
            imported = import_hal(halconfig, deployment, secret_prefix)
        except HalImportError as exc:
            raise UsageError(str(exc)) from None
        write_imported(imported, to)
        typer.echo(summary(imported, _show(to)), nl=False)
        project = load_project(to)
        if project.valid:
            from spinconf.render import render_project

            render_project(project, dockerfiles=False)
        return _print_diagnostics(project, "text")

    raise typer.Exit(_run(body))


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="folder of the new project")],
    force: Annotated[bool, typer.Option("--force", help="write into a folder that is not empty")] = False,
) -> None:
    """Start a new project: commented overlays, versions.txt, pre-commit, Makefile and CI."""

    def body() -> int:
        from spinconf.scaffold import create_project, refuse_non_empty

        if (message := refuse_non_empty(directory, force)) is not None:
            _err(f"spinconf: {message}")
            return EXIT_INVALID
        for rel in create_project(directory):
            typer.echo(rel)
        _err(f"spinconf: new project in {_show(directory)}: edit overlays/, then run `spinconf validate`")
        return EXIT_OK

    raise typer.Exit(_run(body))


@app.command()
def fix(
    root: RootArg = Path("."),
    check: Annotated[bool, typer.Option("--check", help="write nothing; exit 1 if something would change")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="print the changes as a unified diff")] = False,
) -> None:
    """Rewrite Halyard's forms, unique misspellings and renamed keys in the overlays (comments kept)."""

    def body() -> int:
        from spinconf.fix import fix_project, write
        from spinconf.project import UsageError

        if not root.is_dir():
            raise UsageError(f"{root} is not a folder")
        fixes = fix_project(root)
        for item in fixes:
            if diff:
                typer.echo(item.diff(), nl=False)
            for note in item.notes:
                _err(f"{item.shown}: {note}")
        if check:
            if fixes:
                _err(f"spinconf: {len(fixes)} file(s) would change: run `spinconf fix`")
                return EXIT_INVALID
            return EXIT_OK
        write(fixes)
        _err(f"spinconf: fixed {len(fixes)} file(s)" if fixes else "spinconf: nothing to fix")
        return EXIT_OK

    raise typer.Exit(_run(body))


@app.command()
def reference() -> None:
    """Print the config reference (every key, its type, default, files, secrets, rules) as Markdown."""

    def body() -> int:
        from spinconf.reference import render

        sys.stdout.write(render())
        return EXIT_OK

    raise typer.Exit(_run(body))


def run() -> None:
    """Console-script entry point."""
    import gc

    # A run is short and builds hundreds of thousands of small containers (one per YAML node) that
    # live until it ends: the cyclic collector would walk them again and again for nothing
    # (a third of the time of a 5,000-account render). Reference counting still frees the rest.
    gc.disable()
    app()


if __name__ == "__main__":  # pragma: no cover
    run()
