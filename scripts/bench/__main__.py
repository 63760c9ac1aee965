"""``python -m scripts.bench``: run the chosen measurements and write their results as JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

from .common import ROOT, log
from .figures import bench_figures
from .overhead import bench_overhead
from .scale import bench_scale
from .serve import bench_serve
from .weight import bench_weight


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench", description="Benchmark the book (see scripts/bench)."
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    parser.add_argument("--only", default="overhead,figures,serve,scale,weight", help="comma-separated parts")
    parser.add_argument("--sizes", default="300,3000,30000", help="synthetic data set sizes")
    parser.add_argument("--quick", action="store_true", help="smoke test: 300 models, one run, no serve")
    parser.add_argument("--json", help="write the results to this JSON file")
    parser.add_argument("--save", action="store_true", help="write the results to bench/results.json")
    args = parser.parse_args(argv)
    parts = args.only.split(",")
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.quick:
        args.runs, sizes = 1, [300]
        parts = [p for p in parts if p in ("scale", "weight", "overhead")]
    results: dict = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
        "runs": args.runs,
    }
    with tempfile.TemporaryDirectory(prefix="perf-bench-") as tmp:
        work = Path(tmp)
        steps = {
            "overhead": lambda: bench_overhead(work, args.runs),
            "figures": lambda: bench_figures(work, max(3, args.runs // 2) if not args.quick else 1),
            "serve": lambda: bench_serve(work, args.runs),
            "scale": lambda: bench_scale(work, max(3, args.runs // 2) if not args.quick else 1, sizes),
            "weight": lambda: bench_weight(work),
        }
        for name in parts:
            results[name] = steps[name]()
    dest = args.json or (str(ROOT / "bench/results.json") if args.save else None)
    if dest:
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        Path(dest).write_text(json.dumps(results, indent=1, default=str) + "\n")
        log(f"results written to {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
