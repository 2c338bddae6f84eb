"""Benchmark runner: medians of whole-process runs and peak memory (RSS) on this machine.

    python benchmarks/run.py            # the table
    python benchmarks/run.py --quick    # fewer runs, no 10,000-account case

Each measurement starts a fresh `python -m spinconf ...` process, as a pre-commit hook or a
CI job would, and reads that process's own peak RSS from wait4().
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import write_project  # noqa: E402

# An installed package has its bytecode compiled (pip does it); a checkout run with
# PYTHONDONTWRITEBYTECODE=1 would recompile every module on every start instead.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB, exit code of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "spinconf", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def measure(label: str, args: list[str], runs: int) -> dict[str, object]:
    run_once(args)  # warm the OS file cache, as every later run of a hook would be
    times, peaks, codes = [], [], set()
    for _ in range(runs):
        t, m, code = run_once(args)
        times.append(t)
        peaks.append(m)
        codes.add(code)
    return {
        "case": label,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "peak_mb": max(peaks),
        "exit": ",".join(map(str, sorted(codes))),
    }


def kleat_project(tmp: Path) -> Path:
    root = tmp / "kleat"
    (root / "overlays").mkdir(parents=True)
    shutil.copy(REPO / "tests" / "conformance" / "kleat" / "testdata" / "halconfig.yml", root / "overlays")
    (root / "spinconf.yml").write_text("plaintextSecrets: warn\n")
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 runs each, no 10,000-account project")
    parser.add_argument("--runs", type=int, default=None)
    opts = parser.parse_args()
    runs = opts.runs or (3 if opts.quick else 7)
    rows = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        rows.append(measure("spinconf --help (cold start)", ["--help"], runs))
        rows.append(measure("validate default project", ["validate", str(REPO)], runs))
        rows.append(measure("render default project", ["render", str(REPO), "--out", str(tmp / "o0")], runs))
        kleat = kleat_project(tmp)
        rows.append(measure("validate kleat large halconfig", ["validate", str(kleat)], runs))
        rows.append(measure("render kleat large halconfig", ["render", str(kleat), "--out", str(tmp / "o1")], runs))
        sizes = (1000, 5000) if opts.quick else (1000, 5000, 10000)
        for n in sizes:
            root = write_project(tmp / f"p{n}", n)
            size = sum(p.stat().st_size for p in (root / "overlays").rglob("*.yml"))
            label = f"{n} AWS + {n // 2} k8s + {n // 10} registries ({size / 1e6:.1f} MB)"
            big_runs = max(3, runs // 2)
            rows.append(measure(f"validate {label}", ["validate", str(root)], big_runs))
            rows.append(measure(f"render {label}", ["render", str(root), "--out", str(tmp / f"o{n}")], big_runs))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    print(f"{'case':<72} {'median s':>9} {'min s':>7} {'peak MB':>8} {'exit':>5}")
    for r in rows:
        print(f"{r['case']:<72} {r['median_s']:>9.3f} {r['min_s']:>7.3f} {r['peak_mb']:>8.0f} {r['exit']:>5}")
    render = {n: r for n in (5000, 10000) for r in rows if r["case"].startswith(f"render {n} ")}  # type: ignore[union-attr]
    if len(render) == 2:
        ratio = float(render[10000]["median_s"]) / float(render[5000]["median_s"])  # type: ignore[arg-type]
        print(f"render 10,000 / 5,000 accounts: {ratio:.2f}x (linear is 2.0x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
