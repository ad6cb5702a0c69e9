#!/usr/bin/env bash
# Memory per znode: the live heap of Corral's data tree and of Apache ZooKeeper 3.9.5's DataTree holding 1,000,000
# znodes of 100 B, each measured in a fresh JVM; writes its section of benchmarks/RESULTS.md (about a minute).
#   benchmarks/tree-memory.sh
#   benchmarks/tree-memory.sh --baseline-jar /tmp/before/benchmarks/target/benchmarks.jar --baseline-label "before"
# Options (passed to io.corral.bench.compare.TreeMemoryReport): --nodes N --size B --parents 1,1000 --xmx 2g
#   --baseline-jar PATH (a benchmarks.jar of another build, from commit 4c9b18b on) --baseline-label TEXT --out PATH
# Builds the jars first when they are missing (or when CORRAL_REBUILD=1). Every JVM the run starts is stopped by
# pid when it ends, also on failure or Ctrl-C.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
build_if_missing tree-memory

track_children tree-memory

quoted=""
[[ $# -gt 0 ]] && quoted="$(printf ' %q' "$@")"
run_driver timeout -k 20s 30m java -Xmx128m -cp "$jar" io.corral.bench.compare.TreeMemoryReport --root "$root" \
  --pidfile "$pidfile" --command "benchmarks/tree-memory.sh$quoted" "$@"
