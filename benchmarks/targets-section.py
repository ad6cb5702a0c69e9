#!/usr/bin/env python3
"""Reads the results table that Compare wrote into RESULTS.md and prints a Markdown section that sets each
ratio against the project's targets (standalone writes >= 3x ZooKeeper, reads >= 4x, p99 at a fixed rate <= 0.5x,
memory per znode <= 0.5x, restart <= 0.5x). Generated from the run's own numbers; append it to RESULTS.md:

    benchmarks/targets-section.py benchmarks/RESULTS.md >> benchmarks/RESULTS.md
"""
import re
import sys

# (row title prefix in the results table, target ratio, True when higher is better)
TARGETS = [
    ("setData 100 B throughput (closed loop", 3.0, True),
    ("setData 100 B throughput, Corral's client", 3.0, True),
    ("create 100 B throughput", 3.0, True),
    ("getData 100 B throughput (closed loop", 4.0, True),
    ("getData 100 B throughput, Corral's client", 4.0, True),
    ("p99 latency, open loop", 0.5, False),
    ("live heap after that full GC", 0.5, False),
    ("resident memory after bulk load", 0.5, False),
    ("restart to serving", 0.5, False),
]


def main():
    rows = {}
    in_results = False
    with open(sys.argv[1]) as f:
        for line in f:
            if line.startswith("## "):
                in_results = line.strip() == "## Results"
            if in_results and line.startswith("| ") and not line.startswith("| figure") and "---" not in line:
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                rows[cells[0]] = cells
    print("\n## Against the targets\n")
    print("Computed from the median ratios above by `benchmarks/targets-section.py`.\n")
    print("| figure | target (Corral / ZooKeeper) | measured | verdict |")
    print("|---|--:|--:|---|")
    for prefix, target, higher in TARGETS:
        for title, cells in rows.items():
            if not title.startswith(prefix):
                continue
            try:
                ratio = float(re.sub(r"[^0-9.]", "", cells[4]))
            except (ValueError, IndexError):
                print(f"| {title} | {'>=' if higher else '<='} {target} | {cells[4] if len(cells) > 4 else '?'} | no figure |")
                continue
            met = ratio >= target if higher else ratio <= target
            print(f"| {title} | {'>=' if higher else '<='} {target} | {ratio:.2f} | {'meets it' if met else '**falls short**'} |")


if __name__ == "__main__":
    main()
