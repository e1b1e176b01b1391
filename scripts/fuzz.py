"""The full fuzz run (through scripts/fuzz): grammar-generated and corpus-mutated inputs, plus
inputs drawn by hypothesis from the Lark grammar, through parse() and real sealed sessions of
both dialects (tests/trust/fuzz_harness.py says what counts as a finding).

    scripts/fuzz [--inputs N] [--hypothesis N] [--workers W] [--seed S] [--out DIR]

Workers are separate processes, each with its own sandbox warehouses. A worker stops any input
that runs over 5 s itself (alarm, then DuckDB's interrupt); should one ever stick where no
signal reaches (inside C code), the parent kills it after `--kill-after` seconds of silence,
records a hang for the input it was on, and starts a new worker for the rest. Prints the
figures and writes every finding (with the input, to reproduce it) to DIR/findings.json. Exits 1
when anything was found.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import queue
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "trust"))

import fuzz_harness as fh  # noqa: E402  (a test helper module, found through the path above)


def _worker(
    index: int, seed: int, start: int, count: int, work: str, out: Any, hypothesis: int
) -> None:
    """Run inputs [start, count) of this worker's seeded stream; report each on `out`."""
    sandbox = fh.Sandbox(Path(work))
    runner = fh.Runner(sandbox)
    sent = 0

    def report(origin: str, n: int, text: str) -> None:
        nonlocal sent
        before = len(runner.stats.findings)
        out.put(("start", index, n, text[:20_000]))
        runner.run(text)
        for f in runner.stats.findings[before:]:
            out.put(("finding", index, n, asdict(f)))
        out.put(("done", index, n, origin))
        sent += 1

    for n, (origin, text) in enumerate(fh.inputs(seed, count)):
        if n >= start:
            report(origin, n, text)
    if hypothesis:
        _hypothesis_inputs(hypothesis, lambda text: report("hypothesis", count, text))
    stats = runner.stats
    out.put(
        (
            "stats",
            index,
            0,
            {
                "executions": stats.executions,
                "ok": stats.ok,
                "errors": stats.errors,
                "slowest": stats.slowest,
                "slowest_text": stats.slowest_text,
            },
        )
    )
    sandbox.close()


def _hypothesis_inputs(count: int, run: Any) -> None:
    """`count` strings drawn by hypothesis from the Lark grammar (hypothesis.extra.lark)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis.extra.lark import from_lark

    from cloneshell.grammar.parser import build_parser

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(from_lark(build_parser(cache=False), start="start"))
    def each(text: str) -> None:
        run(text)

    each()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/fuzz", description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=100_000, help="generated + mutated inputs")
    ap.add_argument("--hypothesis", type=int, default=2_000, help="inputs drawn by hypothesis")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--kill-after", type=float, default=60.0)
    ap.add_argument("--out", type=Path, default=None, help="where findings.json goes")
    args = ap.parse_args(argv)

    out_dir = args.out or Path(tempfile.mkdtemp(prefix="cloneshell-fuzz-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="cloneshell-fuzz-work-"))
    ctx = mp.get_context("fork")
    messages: Any = ctx.Queue()
    per_worker = [args.inputs // args.workers] * args.workers
    per_worker[-1] += args.inputs - sum(per_worker)
    hyp = [args.hypothesis // args.workers] * args.workers
    hyp[-1] += args.hypothesis - sum(hyp)

    def spawn(i: int, start: int) -> Any:
        p = ctx.Process(
            target=_worker,
            args=(
                i,
                args.seed + 1000 * i,
                start,
                per_worker[i],
                str(work / f"w{i}_{start}"),
                messages,
                hyp[i],
            ),
            daemon=True,
        )
        p.start()
        return p

    print(
        f"fuzz: {args.inputs:,} generated/mutated + {args.hypothesis:,} hypothesis inputs, "
        f"{args.workers} workers, seed {args.seed}, hang limit {fh.HANG_SECONDS:g} s",
        flush=True,
    )
    started = time.monotonic()
    procs = {i: spawn(i, 0) for i in range(args.workers)}
    current: dict[int, tuple[int, str, float]] = {}
    origins: dict[str, int] = {}
    findings: list[dict[str, str]] = []
    worker_stats: dict[int, dict[str, Any]] = {}
    done = 0
    last_report = started
    while len(worker_stats) < args.workers:
        try:
            kind, i, n, payload = messages.get(timeout=1.0)
        except queue.Empty:
            kind = ""
        now = time.monotonic()
        if kind == "start":
            current[i] = (n, payload, now)
        elif kind == "done":
            origins[payload] = origins.get(payload, 0) + 1
            done += 1
            current.pop(i, None)
        elif kind == "finding":
            findings.append(payload)
            print(f"  FINDING {payload['kind']} at {payload['where']}: {payload['text'][:200]!r}")
        elif kind == "stats":
            worker_stats[i] = payload
        for w, (n, text, since) in list(current.items()):
            if now - since > args.kill_after:  # stuck where no alarm reaches: kill, go on
                procs[w].kill()
                findings.append({"kind": "hang", "where": "worker", "text": text, "detail": ""})
                print(f"  FINDING hang (worker killed): {text[:200]!r}")
                current.pop(w)
                procs[w] = spawn(w, n + 1)
        for w, p in procs.items():
            # A worker that died (not one that finished: its figures may still be queued).
            if w not in worker_stats and not p.is_alive() and p.exitcode not in (0, None):
                text = current.pop(w, (0, "", 0.0))[1]
                detail = f"worker exit status {p.exitcode}"
                findings.append(
                    {"kind": "crash", "where": "worker", "text": text, "detail": detail}
                )
                worker_stats[w] = {}
        if now - last_report > 30:
            rate = done / (now - started)
            print(f"  {done:,} inputs, {now - started:.0f} s ({rate:.0f}/s)", flush=True)
            last_report = now
    elapsed = time.monotonic() - started
    (out_dir / "findings.json").write_text(json.dumps(findings, indent=2), encoding="utf-8")
    ok = sum(s.get("ok", 0) for s in worker_stats.values())
    errors = sum(s.get("errors", 0) for s in worker_stats.values())
    slowest = max(worker_stats.values(), key=lambda s: s.get("slowest", 0.0), default={})
    print(f"fuzz: {done:,} inputs in {elapsed:.0f} s ({done / elapsed:.0f}/s)")
    print("  by origin: " + ", ".join(f"{k} {v:,}" for k, v in sorted(origins.items())))
    print(f"  corpus: {len(fh.corpus()):,} statements from tests/ and docs/examples/")
    print(
        f"  each input through parse() in both dialects and a session of each: "
        f"{ok + errors:,} statements run, {ok:,} succeeded, {errors:,} coded errors"
    )
    if slowest:
        print(f"  slowest input: {slowest['slowest']:.2f} s ({slowest['slowest_text'][:80]!r})")
    kinds: dict[str, int] = {}
    for f in findings:
        kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "none"
    print(f"  findings: {len(findings)} ({summary}); details in {out_dir / 'findings.json'}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
