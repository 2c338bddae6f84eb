"""Many files: N AWS accounts one per overlay file, against the same accounts in 4 files.

    python benchmarks/files.py            # 2,500, 5,000 and 10,000 accounts
    python benchmarks/files.py --quick    # 2,500 and 5,000, 3 runs each

Merging used to re-check and re-index the whole account list for every file (quadratic in the
number of files); this shows the validate time per layout and the ratio between the two.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import measure  # noqa: E402
from synthetic import write_split_project  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 runs each, no 10,000-account case")
    parser.add_argument("--runs", type=int, default=None)
    opts = parser.parse_args()
    runs = opts.runs or (3 if opts.quick else 5)
    sizes = (2500, 5000) if opts.quick else (2500, 5000, 10000)
    print(f"{'accounts':>8} {'one per file s':>15} {'in 4 files s':>13} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for n in sizes:
            split = write_split_project(tmp / f"split{n}", n)
            few = write_split_project(tmp / f"few{n}", n, files=4)
            one = measure(f"validate {n} files", ["validate", str(split)], runs)
            four = measure(f"validate {n} accounts in 4 files", ["validate", str(few)], runs)
            for row in (one, four):
                assert row["exit"] == "0", row
            a, b = float(one["median_s"]), float(four["median_s"])  # type: ignore[arg-type]
            print(f"{n:>8} {a:>15.3f} {b:>13.3f} {a / b:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
