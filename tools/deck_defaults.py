"""Check spinconf/data/deck/<era>.json against deck's own settings.js, release branch by release branch.

    python tools/deck_defaults.py --deck DECK_GIT_DIR --spinnaker SPINNAKER_GIT_DIR

DECK_GIT_DIR is a clone of spinnaker/deck (release-1.20.x .. release-1.38.x), SPINNAKER_GIT_DIR one of
the spinnaker/spinnaker monorepo (deck/ from release-2025.0.x). For every release branch, deck's
settings.js is evaluated in node as the image's build leaves it (empty ``process.env`` and
``import.meta.env``), and ``window.spinnakerSettings`` is compared with the data file of the era
that covers that release (the newest era not after it). Exit 1 on any difference, listing them.

This is the review step for the data files: they are made from deck's source, not from spinconf,
so nothing in spinconf can regenerate them to agree with itself.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "spinconf" / "data" / "deck"

_EVAL = r"""
const vm = require('vm');
const fs = require('fs');
const src = fs.readFileSync(0, 'utf8').replace(/import\.meta\.env/g, '__importMetaEnv');
const window = {};
const ctx = { window, process: { env: {} }, __importMetaEnv: {}, console };
vm.createContext(ctx);
vm.runInContext(src, ctx, { filename: 'settings.js' });
process.stdout.write(JSON.stringify(ctx.window.spinnakerSettings));
"""
_PATHS = ("packages/app/src/settings.js", "app/scripts/modules/app/src/settings.js", "settings.js")


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


def settings_of(git_dir: Path, branch: str, prefix: str = "") -> Any:
    for rel in _PATHS:
        show = subprocess.run(
            ["git", "--git-dir", str(git_dir), "show", f"{branch}:{prefix}{rel}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if show.returncode == 0:
            node = subprocess.run(["node", "-e", _EVAL], input=show.stdout, capture_output=True, text=True, check=True)
            return json.loads(node.stdout)
    raise SystemExit(f"{branch}: no settings.js under {prefix or '/'}")


def branches(git_dir: Path, pattern: str) -> list[str]:
    out = subprocess.run(
        ["git", "--git-dir", str(git_dir), "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    found = {m.group(1) for ref in out if (m := re.search(rf"(?:^|/)release-({pattern})\.x$", ref))}
    return sorted(found, key=_key)


def differences(want: Any, got: Any, path: str = "") -> list[str]:
    if isinstance(want, dict) and isinstance(got, dict):
        out = []
        for k in sorted(set(want) | set(got)):
            sub = f"{path}.{k}" if path else k
            if k not in got:
                out.append(f"{sub}: only in deck's settings.js ({want[k]!r})")
            elif k not in want:
                out.append(f"{sub}: only in the data file ({got[k]!r})")
            else:
                out.extend(differences(want[k], got[k], sub))
        return out
    if want != got or type(want) is not type(got):
        return [f"{path}: deck {want!r}, data file {got!r}"]
    return []


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deck", type=Path, required=True, help="git dir of spinnaker/deck")
    parser.add_argument("--spinnaker", type=Path, required=True, help="git dir of spinnaker/spinnaker")
    args = parser.parse_args(argv)
    eras = sorted((p.stem for p in DATA.glob("*.json")), key=_key)
    releases = [(args.deck, v, "") for v in branches(args.deck, r"1\.\d+") if _key(v) >= _key(eras[0])]
    releases += [(args.spinnaker, v, "deck/") for v in branches(args.spinnaker, r"20\d\d\.\d+")]
    failed = 0
    for git_dir, version, prefix in releases:
        era = [e for e in eras if _key(e) <= _key(version)][-1]
        data = json.loads((DATA / f"{era}.json").read_text())["settings"]
        problems = differences(settings_of(git_dir, f"release-{version}.x", prefix), data)
        print(f"release-{version}.x vs {era}.json: {'same' if not problems else f'{len(problems)} differences'}")
        for problem in problems:
            print("  " + problem)
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
