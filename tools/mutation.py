"""Mutation testing of spinconf's core with mutmut 3, one module group at a time.

    python tools/mutation.py                 # every group, results in benchmarks/mutation/
    python tools/mutation.py fargate output  # some groups
    python tools/mutation.py --list          # the groups, their files and test files

Each group runs in its own scratch copy of the work tree (``$TMPDIR/spinconf-mutation/<group>``)
under ``nice -n 15`` with one worker (``--workers N`` for more), and only the test files that exercise the group's modules
run against its mutants (mutmut then narrows that further to the tests that call the mutated
function). The work tree is never modified. Per group it writes
``benchmarks/mutation/<group>.txt``: the counts, then every surviving mutant with its diff.
See benchmarks/README.md ("Mutation testing") for why mutmut and what a run costs.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "mutation"


@dataclass(frozen=True)
class Group:
    name: str
    modules: tuple[str, ...]  # files mutated
    tests: tuple[str, ...]  # test files run against the mutants
    functions: tuple[str, ...] = ()  # mutant name globs when only some functions of a module matter
    # tests left out (a pytest -k expression): those whose work is a subprocess mutmut cannot see,
    # minutes per mutant (terraform apply against moto), checked by the same file's in-process tests
    deselect: str = ""


GROUPS: tuple[Group, ...] = (
    Group(
        "merge",
        ("spinconf/merge.py",),
        (
            "tests/test_merge_edges.py",
            "tests/test_validate.py",
            "tests/test_explain.py",
            "tests/test_properties.py",
            "tests/checks/test_fixtures.py",
            "tests/secrets/test_placeholders.py",
            "tests/test_merge_scaling.py",
        ),
    ),
    Group(
        "secrets",
        ("spinconf/checks/secret_fields.py", "spinconf/checks/placeholders.py"),
        (
            "tests/secrets/test_plaintext.py",
            "tests/secrets/test_placeholders.py",
            "tests/secrets/test_references.py",
            "tests/secrets/test_declarations.py",
            "tests/secrets/test_secret_edges.py",
            "tests/secrets/test_secret_messages.py",
            "tests/test_untrusted_secrets.py",
            "tests/test_untrusted_reports.py",
            "tests/targets/test_ecs_checks.py",
        ),
    ),
    Group(
        "deck-filter",
        ("spinconf/services/deck.py",),
        ("tests/services/test_deck.py", "tests/secrets/test_render_uses.py"),
        ("spinconf.services.deck.x_without_references__mutmut_*",),
    ),
    Group(
        "fargate",
        ("spinconf/targets/fargate.py",),
        (
            "tests/targets/test_fargate_table.py",
            "tests/targets/test_ecs.py",
            "tests/targets/test_ecs_checks.py",
            "tests/targets/test_sidecars.py",
        ),
    ),
    Group(
        "releases",
        ("spinconf/releases.py", "spinconf/targets/images.py"),
        (
            "tests/test_release_edges.py",
            "tests/targets/test_docker.py",
            "tests/targets/test_ecs.py",
            "tests/test_validate.py",
        ),
    ),
    Group(
        "output",
        ("spinconf/output.py",),
        (
            "tests/test_output.py",
            "tests/test_output_recovery.py",
            "tests/test_untrusted_output.py",
            "tests/test_messages.py",
            "tests/test_review.py",
        ),
    ),
    Group(
        "explain",
        ("spinconf/explain.py",),
        (
            "tests/test_explain.py",
            "tests/test_explain_edges.py",
            "tests/test_provenance.py",
            "tests/test_untrusted_secrets.py",
            "tests/test_untrusted_reports.py",
            "tests/targets/test_gate_ports.py",
        ),
    ),
    Group(
        "ecs-iam",
        (
            "spinconf/targets/ecs.py",
            "spinconf/targets/ecs_service.py",
            "spinconf/targets/iam.py",
            # how peers find each other and which ports gate serves: part of every task and service
            "spinconf/targets/discovery.py",
            "spinconf/targets/gate_ports.py",
            "spinconf/targets/load_balancers.py",
        ),
        (
            "tests/targets/test_ecs.py",
            "tests/targets/test_ecs_checks.py",
            "tests/targets/test_ecs_edges.py",
            "tests/targets/test_docker.py",
            "tests/targets/test_discovery.py",
            "tests/targets/test_gate_ports.py",
            "tests/targets/test_ecs_environment.py",
            "tests/targets/test_sidecars.py",
            "tests/targets/test_apm_datadog.py",
            "tests/targets/test_apm_opentelemetry.py",
            "tests/targets/test_terraform.py",
            "tests/targets/test_iam_policies.py",
            "tests/checks/test_scaling.py",
        ),
        deselect="applied_with or example_infra or module_validates or deterministic_across",
    ),
)

# What the scratch copy needs besides the package and the tests (templates, schemas, examples...).
_COPY_EXCLUDE = {".git", "out", "mutants", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__"}
_COUNT = re.compile(r"^\s+(\S+): (\w[\w ]*)$")


def _keep(group: Group) -> str:
    # wall-clock limits (tests that say "under a second", "walk fast") measure the machine, not
    # behaviour: under coverage tracing on a busy machine they fail before any mutant runs
    keep = "not under_a_second and not walk_fast"
    return f"{keep} and not ({group.deselect})" if group.deselect else keep


def _scratch(group: Group, base: Path) -> Path:
    root = base / group.name
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(*_COPY_EXCLUDE))
    tests = [t for t in group.tests if (REPO / t).exists()]
    pyproject = (root / "pyproject.toml").read_text()
    # one process per mutant run: no xdist; the copy's own folder first on the path
    pyproject = pyproject.replace(
        'addopts = "-ra --strict-markers -n auto"', 'addopts = "-ra --strict-markers"\npythonpath = ["."]'
    )
    pyproject += (
        "\n[tool.mutmut]\n"
        'source_paths = ["spinconf/"]\n'
        f"only_mutate = {list(group.modules)!r}\n"
        f'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-k", "{_keep(group)}"]\n'
        f"pytest_add_cli_args_test_selection = {tests!r}\n"
        'also_copy = ["templates/", "schemas/", "examples/", "overlays/", "versions.txt", "tools/", "spinconf/data/"]\n'
    ).replace("'", '"')
    (root / "pyproject.toml").write_text(pyproject)
    # mutmut runs, for each mutant, the tests that called the mutated function while it collected
    # coverage; a fixture shared by a module runs once, inside its first test, so the other tests
    # of the module would never be chosen: in the copy each test gets its own
    for test_file in (root / "tests").rglob("*.py"):
        text = test_file.read_text()
        if '@pytest.fixture(scope="module")' in text:
            test_file.write_text(text.replace('@pytest.fixture(scope="module")', "@pytest.fixture"))
    (root / "mutants").mkdir()  # exists before the interpreter starts, so PYTHONPATH keeps it
    return root


def _results(root: Path, env: dict[str, str]) -> list[tuple[str, str]]:
    proc = subprocess.run(
        ["mutmut", "results", "--all", "true"], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    return [(m.group(1), m.group(2)) for line in proc.stdout.splitlines() if (m := _COUNT.match(line))]


def _functions(path: Path) -> dict[str, str]:
    """Every function's source in a mutated module, by name (methods as mutmut names them)."""
    text = path.read_text()
    lines = text.splitlines()
    return {
        node.name: "\n".join(lines[node.lineno - 1 : node.end_lineno])
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _diff(root: Path, name: str) -> list[str]:
    """The changed lines of one mutant against the original function (what ``mutmut show`` prints, faster)."""
    module, _, function = name.rpartition(".")
    path = root / "mutants" / (module.replace(".", "/") + ".py")
    try:
        if path not in _FUNCTIONS:
            _FUNCTIONS[path] = _functions(path)
        functions = _FUNCTIONS[path]
    except (OSError, SyntaxError):
        return ["(source not found)"]
    base = function.rsplit("__mutmut_", 1)[0]
    original = functions.get(base + "__mutmut_orig", "")
    mutant = functions.get(function, "").replace(function, base + "__mutmut_orig", 1)
    diff = difflib.unified_diff(original.splitlines(), mutant.splitlines(), lineterm="", n=0)
    return [ln for ln in diff if ln.startswith(("-", "+")) and not ln.startswith(("---", "+++", "@@"))]


_FUNCTIONS: dict[Path, dict[str, str]] = {}


def run_group(group: Group, base: Path, report_only: bool = False, workers: int = 1) -> str:
    root = base / group.name if report_only else _scratch(group, base)
    # subprocesses the tests start (python -m spinconf) import the mutated copy too
    env = {**os.environ, "PYTHONPATH": str(root / "mutants"), "PYTHONDONTWRITEBYTECODE": "1"}
    log = root / "mutmut.log"
    if not report_only:
        started = time.monotonic()
        with log.open("w") as fh:
            proc = subprocess.run(
                ["nice", "-n", "15", "mutmut", "run", "--max-children", str(workers), *group.functions],
                cwd=root,
                env=env,
                stdout=fh,
                stderr=subprocess.STDOUT,
                check=False,
            )
        (root / "run.txt").write_text(f"{proc.returncode} {time.monotonic() - started:.0f}\n")
    returncode, elapsed = (root / "run.txt").read_text().split() if (root / "run.txt").exists() else ("?", "?")
    results = _results(root, env)
    if group.functions:
        prefixes = tuple(f.rstrip("*") for f in group.functions)
        results = [(n, s) for n, s in results if n.startswith(prefixes)]
    counts: dict[str, int] = {}
    for _, status in results:
        counts[status] = counts.get(status, 0) + 1
    lines = [
        f"# mutation group {group.name}: mutmut 3 on {', '.join(group.modules)}",
        f"# tests: {', '.join(group.tests)}",
        f"# mutmut exit code {returncode}, {elapsed} s, {len(results)} mutants: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
        "",
    ]
    for name, status in results if counts.get("killed") else []:  # nothing killed: mutmut did not run
        if status in ("killed", "skipped"):
            continue
        lines.append(f"## {name}: {status}")
        lines.extend(_diff(root, name))
        lines.append("")
    if returncode != "0" or not results:
        lines.append(f"# mutmut did not finish cleanly; the end of its log ({log}):")
        lines.extend("# " + ln for ln in log.read_text(errors="replace")[-3000:].splitlines())
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("groups", nargs="*", help="group names (default: all)")
    parser.add_argument("--list", action="store_true", help="show the groups and exit")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "spinconf-mutation")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the per-group reports go")
    parser.add_argument("--report-only", action="store_true", help="write the reports of finished scratch copies")
    parser.add_argument("--workers", type=int, default=1, help="mutants run at once (one per idle core)")
    args = parser.parse_args(argv)
    by_name = {g.name: g for g in GROUPS}
    if args.list:
        for g in GROUPS:
            print(f"{g.name}: {' '.join(g.modules)} <- {' '.join(g.tests)}")
        return 0
    unknown = [n for n in args.groups if n not in by_name]
    if unknown:
        parser.error(f"unknown group(s) {unknown}; known: {sorted(by_name)}")
    if shutil.which("mutmut") is None:
        parser.error("mutmut is not installed: pip install 'mutmut>=3.8,<4'")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.groups or list(by_name):
        report = run_group(by_name[name], args.scratch, args.report_only, args.workers)
        (args.out / f"{name}.txt").write_text(report)
        print(report.split("\n", 3)[2], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
