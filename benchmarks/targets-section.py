#!/usr/bin/env python3
"""Reads the results table that Compare wrote into RESULTS.md and prints a Markdown section that sets each
ratio against the project's targets (standalone writes >= 3x ZooKeeper, reads >= 4x, p99 at a fixed rate <= 0.5x,
memory per znode <= 0.5x, restart <= 0.5x). Generated from the run's own numbers; it goes at the end of the part
of RESULTS.md that compare.sh wrote (replacing an earlier one there):

    benchmarks/targets-section.py benchmarks/RESULTS.md
"""
import re
import sys

from results_top import put_in_top

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
    out = ["## Against the targets\n",
           "Computed from the median ratios above by `benchmarks/targets-section.py`.\n",
           "| figure | target (Corral / ZooKeeper) | measured | verdict |",
           "|---|--:|--:|---|"]
    for prefix, target, higher in TARGETS:
        for title, cells in rows.items():
            if not title.startswith(prefix):
                continue
            try:
                ratio = float(re.sub(r"[^0-9.]", "", cells[4]))
            except (ValueError, IndexError):
                out.append(f"| {title} | {'>=' if higher else '<='} {target} | {cells[4] if len(cells) > 4 else '?'} "
                           "| no figure |")
                continue
            met = ratio >= target if higher else ratio <= target
            out.append(f"| {title} | {'>=' if higher else '<='} {target} | {ratio:.2f} "
                       f"| {'meets it' if met else '**falls short**'} |")
    put_in_top(sys.argv[1], "\n".join(out))


if __name__ == "__main__":
    main()
