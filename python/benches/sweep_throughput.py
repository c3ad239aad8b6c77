"""Throughput of a sweep of 100 variants x 1,000 runs on the local and the Ray backend.

Run from the repository root with the package installed (not a test: it times, and asserts
only that both backends give the same table):

    target/py-venv/bin/python python/benches/sweep_throughput.py [--variants-side 10] [--runs 1000]

It prints, per backend, the wall time of the sweep, variants per second and runs per second;
for Ray, apart, the time to start a local cluster of as many CPUs as the machine has.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import skyshield

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "iskander-patriot-thaad.yaml"


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--variants-side", type=int, default=10, help="grid side (variants: side^2)")
    args.add_argument("--runs", type=int, default=1000, help="runs per variant")
    opts = args.parse_args()
    side = opts.variants_side
    grid = {
        "batteries.patriot-1.launchers": list(range(1, side + 1)),
        "batteries.thaad-1.rounds_per_launcher": list(range(1, side + 1)),
    }
    scenario = skyshield.load(SCENARIO)
    variants = side * side
    tables = {}
    print(f"{scenario.name}: {variants} variants x {opts.runs} runs, {os.cpu_count()} CPUs")
    for backend in ("local", "ray"):
        if backend == "ray":
            import ray

            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
            start = time.perf_counter()
            ray.init(include_dashboard=False, log_to_driver=False)
            print(f"   ray: cluster started in {time.perf_counter() - start:.2f} s")
        start = time.perf_counter()
        tables[backend] = skyshield.sweep(
            scenario, grid, runs=opts.runs, seed=1, backend=backend, progress=False
        )
        wall = time.perf_counter() - start
        print(
            f"{backend:>6}: {wall:7.2f} s  {variants / wall:8.2f} variants/s  "
            f"{variants * opts.runs / wall:10.0f} runs/s"
        )
    if not tables["local"].equals(tables["ray"]):
        raise SystemExit("the local and the Ray tables differ")
    print("the two tables are equal")


if __name__ == "__main__":
    main()
