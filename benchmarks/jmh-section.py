#!/usr/bin/env python3
"""Turns a JMH JSON result file (java -jar benchmarks.jar ... -rf json -rff FILE) into a Markdown section.

usage: benchmarks/jmh-section.py FILE "the command that produced FILE" benchmarks/RESULTS.md
It goes at the end of the part of RESULTS.md that compare.sh wrote (replacing an earlier one with the same title).
The figures come from the file as JMH wrote them; nothing here is typed by hand.
"""
import json
import sys

from results_top import put_in_top


def main():
    path, command, results = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(path) as f:
        runs = json.load(f)
    out = ["## JMH: " + ", ".join(sorted({r["benchmark"].split(".")[-2] for r in runs})) + "\n",
           "- command: `" + command + "`",
           "- JVM: " + runs[0].get("vmName", "?") + " " + runs[0].get("jdkVersion", "?"),
           "",
           "| benchmark | parameters | score | error (99.9%) | unit |",
           "|---|---|--:|--:|---|"]
    for r in runs:
        params = ", ".join(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
        name = r["benchmark"].split(".", 3)[-1]
        rows = [(name, r["primaryMetric"])]
        rows += [(name + ":" + k, m) for k, m in sorted(r.get("secondaryMetrics", {}).items())]
        for label, m in rows:
            err = m.get("scoreError")
            err_text = "" if err is None or err != err else f"{err:,.1f}"
            out.append(f"| {label.split('.')[-1]} | {params} | {m['score']:,.1f} | {err_text} | {m['scoreUnit']} |")
    put_in_top(results, "\n".join(out))


if __name__ == "__main__":
    main()
