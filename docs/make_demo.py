#!/usr/bin/env python3
"""Regenerate docs/demo.cast and docs/demo.svg (run after the shell's output changes):

    .venv/bin/python docs/make_demo.py            # record the cast, then render the SVG
    .venv/bin/python docs/make_demo.py --svg-only # only re-render the SVG from demo.cast

1. Records docs/examples/cross_account.sql, played into a 100x30 pseudo-terminal on a fresh
   warehouse with a fixed clock, in a temporary HOME (no history, settings or warehouse of the
   user's is read or written):

       cd $TMP && COLUMNS=100 LINES=30 HOME=$TMP XDG_CONFIG_HOME=$TMP/config \\
           XDG_STATE_HOME=$TMP/state XDG_DATA_HOME=$TMP/data \\
           cloneshell --record docs/demo.cast --play docs/examples/cross_account.sql \\
           --typing-delay 30ms --idle-limit 1 -w warehouse --clock 2024-01-15T10:00:00 \\
           --frozen-timing

   (an empty config.toml keeps the first-run "Wrote the default settings" line out of the demo;
   the relative `-w warehouse` keeps a temporary path out of the banner).
2. Checks the cast with `asciinema cat` (tests/shell/test_record.py checks it more strictly).
3. Renders docs/demo.svg with the npm package svg-term-cli, installed into a temporary directory
   (nothing npm-related lands in the repository), from a copy of the cast whose output events
   are merged into frames of 1/8 s: one frame per keystroke would make a 2.5 MB file; this
   one is about 0.5 MB and looks the same at reading speed.

Needs Node.js/npm for step 3. Requires the venv's `cloneshell` and `asciinema` (`.[test]`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
CAST = DOCS / "demo.cast"
SVG = DOCS / "demo.svg"
SCRIPT = DOCS / "examples" / "cross_account.sql"
BIN = Path(sys.executable).parent
SIZE = (100, 30)
FPS = 8
SVG_TERM = "svg-term-cli@2.1.1"
MAX_SVG_BYTES = 2_000_000


def record(tmp: Path) -> None:
    """Step 1: play the script into the shell and record it."""
    (tmp / "config" / "cloneshell").mkdir(parents=True)
    (tmp / "config" / "cloneshell" / "config.toml").write_text("", encoding="utf-8")
    env = {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "HOME": str(tmp),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "XDG_STATE_HOME": str(tmp / "state"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "COLUMNS": str(SIZE[0]),
        "LINES": str(SIZE[1]),
        "SHELL": "/bin/bash",
        "LANG": "C.UTF-8",
    }
    command = [
        str(BIN / "cloneshell"),
        "--record",
        str(CAST),
        "--play",
        str(SCRIPT),
        "--typing-delay",
        "30ms",
        "--idle-limit",
        "1",
        "-w",
        "warehouse",
        "--clock",
        "2024-01-15T10:00:00",
        "--frozen-timing",
    ]
    print("recording", CAST.relative_to(ROOT), "...", file=sys.stderr)
    # --play exits 1 when a played statement failed: the walkthrough ends on purpose with a
    # read refused after REMOVE USER, so 1 is this script's normal end; anything else is not.
    done = subprocess.run(command, cwd=tmp, env=env, check=False, stdout=subprocess.DEVNULL)
    if done.returncode not in (0, 1):
        raise SystemExit(f"recording failed with exit status {done.returncode}")


def check() -> None:
    """Step 2: the reference player reads the cast."""
    subprocess.run(
        [str(BIN / "asciinema"), "cat", str(CAST)],
        check=True,
        stdout=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )


def frames(cast: Path, out: Path, fps: int) -> None:
    """A copy of `cast` with its output events merged into 1/fps-second frames (markers
    dropped: svg-term has no use for them)."""
    header, *events = cast.read_text(encoding="utf-8").splitlines()
    merged: list[list[object]] = []
    for line in events:
        t, code, data = json.loads(line)
        if code != "o":
            continue
        slot = round(int(t * fps) / fps, 6)
        if merged and merged[-1][0] == slot:
            merged[-1][2] = str(merged[-1][2]) + data
        else:
            merged.append([slot, "o", data])
    lines = [header, *(json.dumps(e, ensure_ascii=False) for e in merged)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def render(tmp: Path) -> None:
    """Step 3: the animated SVG."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("make_demo: npm not found (Node.js is needed to render the SVG)")
    prefix = tmp / "npm"
    subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", SVG_TERM],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    preview = tmp / "preview.cast"
    frames(CAST, preview, FPS)
    subprocess.run(
        [
            str(prefix / "node_modules" / ".bin" / "svg-term"),
            "--in",
            str(preview),
            "--out",
            str(SVG),
            "--window",
            "--width",
            str(SIZE[0]),
            "--height",
            str(SIZE[1]),
        ],
        check=True,
    )
    size = SVG.stat().st_size
    print(f"wrote {SVG.relative_to(ROOT)} ({size / 1e6:.2f} MB)", file=sys.stderr)
    if size > MAX_SVG_BYTES:
        sys.exit(f"make_demo: {SVG.name} is larger than {MAX_SVG_BYTES} bytes; lower FPS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--svg-only", action="store_true", help="only re-render demo.svg")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cloneshell-demo-") as name:
        tmp = Path(name)
        if not args.svg_only:
            record(tmp)
        check()
        render(tmp)


if __name__ == "__main__":
    main()
