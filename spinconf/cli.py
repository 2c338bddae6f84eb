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
    from spinconf.environments import Run
    from spinconf.loader import Project
    from spinconf.review import Change

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
EnvsOpt = Annotated[
    list[str] | None,
    typer.Option("--env", help="apply environments/NAME on top of the overlays (repeatable; default: every one)"),
]


def _err(message: str) -> None:
    from spinconf.diagnostics import safe_line

    # messages name folders and files of the project, which a pull request controls
    sys.stderr.write(safe_line(message.rstrip("\n")) + "\n")


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


def _print_diagnostics(project: Project | Run, fmt: str, strict: bool = False) -> int:
    from spinconf.diagnostics import REPORTERS
    from spinconf.environments import Run

    diags = project.diagnostics() if isinstance(project, Run) else project.diagnostics.sorted()
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
    env: EnvsOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json, github or sarif")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="treat warnings as errors")] = False,
) -> None:
    """Check a project (every environment): every problem at file:line:col."""

    def body() -> int:
        from spinconf.diagnostics import REPORTERS
        from spinconf.environments import load_each
        from spinconf.project import UsageError

        if fmt not in REPORTERS:
            raise UsageError(f"unknown format {fmt!r} (text, json, github or sarif)")
        # the rules that need rendered documents add their diagnostics while rendering
        run = load_each(root, env, dockerfiles=False)
        code = _print_diagnostics(run, fmt, strict)
        if code == EXIT_OK:
            _err(f"spinconf: valid: {run.summary()}")
        return code

    raise typer.Exit(_run(body))


@app.command()
def render(
    root: RootArg = Path("."),
    env: EnvsOpt = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="output folder (default out/, or out/ENV/ per environment)")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="write nothing; exit 1 if the output is not up to date")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="diagnostics format: text, json, github or sarif")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="treat warnings as errors")] = False,
) -> None:
    """Render every service's files into out/ (every environment into out/ENV/; each folder all or nothing)."""

    def body() -> int:
        from spinconf.environments import load_each
        from spinconf.render import write_output

        run = load_each(root, env, dockerfiles=True)
        code = _print_diagnostics(run, fmt, strict)
        if code != EXIT_OK or not run.valid:
            _err("spinconf: nothing written: fix the errors above")
            return EXIT_INVALID
        outputs = _outputs(run, out)
        if check:
            reviews = _review(run, outputs)
            for label, found in reviews:
                for change in found:
                    _err(f"{label}: {change.text()}")
                if found:
                    _err(f"spinconf: {label} is not up to date: run `spinconf render`")
            if fmt == "github":
                _job_summary(reviews)
            if any(found for _, found in reviews):
                return EXIT_INVALID
            _err(f"spinconf: up to date: {run.summary()}")
            return EXIT_OK
        from spinconf.output import OutputError
        from spinconf.ownership import foreign_files, refusal

        for _, files, target in outputs:
            foreign = foreign_files(target, files)
            if foreign:
                _err(f"spinconf: {refusal(_show(target), foreign)}")
                return EXIT_INVALID
        for project, files, target in outputs:
            try:
                write_output(project, files, target)
            except OutputError as exc:
                _err(f"spinconf: could not write {_show(target)}/: {exc}")
                return EXIT_INVALID
            except OSError as exc:
                # a full disk, a read-only or forbidden folder: the old output is still in place
                _err(f"spinconf: could not write {_show(target)}/: {exc.strerror or type(exc).__name__}")
                return EXIT_INVALID
            _err(f"spinconf: wrote {len(files)} files to {_show(target)}")
        _err(f"spinconf: rendered: {run.summary()}")
        return EXIT_OK

    raise typer.Exit(_run(body))


def _outputs(run: Run, out: Path | None) -> list[tuple[Project, dict[str, bytes], Path]]:
    """Each environment's files and output folder (``--out DIR`` holds DIR/ENV/ for several)."""
    from spinconf.project import UsageError
    from spinconf.render import output_dir, output_problem

    several = len(run.projects) > 1
    found = []
    for project, rendered in zip(run.projects, run.rendered, strict=True):
        assert rendered is not None, "only a valid run is written"
        target = out / project.env if (out is not None and several and project.env) else output_dir(project, out)
        problem = output_problem(project, target)
        if problem:
            raise UsageError(f"{_show(target)} {problem}")
        found.append((project, rendered.files, target))
    return found


def _review(run: Run, outputs: list[tuple[Project, dict[str, bytes], Path]]) -> list[tuple[str, list[Change]]]:
    from spinconf.review import Masker, changes

    masker = Masker.of(run.projects)
    return [(_show(target), changes(target, files, masker)) for _, files, target in outputs]


def _job_summary(reviews: list[tuple[str, list[Change]]]) -> bool:
    """Append the Markdown review to the GitHub job summary; False outside GitHub Actions."""
    import os

    from spinconf.review import markdown

    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with open(path, "a", encoding="utf-8") as summary:
        summary.write(markdown(reviews))
    return True


@app.command()
def diff(
    root: RootArg = Path("."),
    env: EnvsOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="output folder to compare with (as render)")] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="text, markdown (a pull-request comment) or github (the job summary)")
    ] = "text",
) -> None:
    """Show what `render` would change, per environment, document and key (secrets masked)."""

    def body() -> int:
        from spinconf.environments import load_each
        from spinconf.project import UsageError
        from spinconf.review import markdown

        if fmt not in ("text", "markdown", "github"):
            raise UsageError(f"unknown format {fmt!r} (text, markdown or github)")
        run = load_each(root, env, dockerfiles=True)
        if _print_diagnostics(run, "text") != EXIT_OK or not run.valid:
            _err("spinconf: nothing to compare: fix the errors above")
            return EXIT_INVALID
        reviews = _review(run, _outputs(run, out))
        if fmt == "markdown" or (fmt == "github" and not _job_summary(reviews)):
            sys.stdout.write(markdown(reviews))
        elif fmt == "text":
            for label, found in reviews:
                for change in found:
                    sys.stdout.write(f"{label}: {change.text()}\n")
        changed = sum(len(found) for _, found in reviews)
        _err(f"spinconf: {changed} change{'s' if changed != 1 else ''} in {len(reviews)} output folder(s)")
        return EXIT_OK

    raise typer.Exit(_run(body))


def _show(path: Path) -> str:
    try:
        import os

        # realpath, not resolve(): a link loop (committed by a pull request) is shown, not a crash
        return Path(os.path.realpath(path)).relative_to(os.path.realpath(Path.cwd())).as_posix() or "."
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
        from spinconf.diagnostics import safe_line

        text, ok = explain_key(project, service, key)
        # values come from the overlays: no line of them may read as a CI command
        (sys.stdout if ok else sys.stderr).write("\n".join(safe_line(line) for line in text.split("\n")))
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
    kubernetes_secret: Annotated[
        str | None,
        typer.Option("--kubernetes-secret", help="keep the secrets as keys of this Kubernetes Secret, not in SSM"),
    ] = None,
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
        if kubernetes_secret is not None:
            from spinconf.model.secrets import kubernetes_secret_problem

            if (problem := kubernetes_secret_problem(kubernetes_secret)) is not None:
                raise UsageError(f"--kubernetes-secret: {problem}")
        try:
            imported = import_hal(halconfig, deployment, secret_prefix, kubernetes_secret)
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
    ci: Annotated[str, typer.Option("--ci", help="the CI definition to write: github, gitlab or jenkins")] = "github",
) -> None:
    """Start a new project: commented overlays, versions.txt, pre-commit, Makefile and CI."""

    def body() -> int:
        from spinconf.project import UsageError
        from spinconf.scaffold import CIS, create_project, refuse_non_empty

        if ci not in CIS:
            raise UsageError(f"unknown CI {ci!r} ({', '.join(CIS)})")
        if (message := refuse_non_empty(directory, force)) is not None:
            _err(f"spinconf: {message}")
            return EXIT_INVALID
        for rel in create_project(directory, ci):
            typer.echo(rel)
        _err(
            f"spinconf: new project in {_show(directory)}: edit overlays/, run `spinconf validate` and "
            "`spinconf render`, and commit out/ with the overlays"
        )
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
