#!/usr/bin/env bash
# Three-server Corral ensembles against three-server Apache ZooKeeper 3.9.5 ensembles on loopback, in one run:
# write and read throughput, setData p99 at a fixed rate, time from kill -9 of the leader to the next acknowledged
# write, and Corral's setData throughput with an observer added; writes its section of benchmarks/RESULTS.md
# (about 5 minutes, hard limit 7).
#   benchmarks/ensemble-compare.sh
# Options (passed to io.corral.bench.compare.EnsembleCompare): --rounds N --duration S --warmup S --clients C
#   --inflight K --rate R --writers W --observers N --xmx 1g --failover-timeout-s S --out PATH --time-limit-min M
#   --kills N (also N successive leader kills under load per system, each killed member restarted at once: its own
#   section of RESULTS.md) --stops N (the same with SIGTERM: a rolling restart's stops) --faults-only (only those), e.g.
#   benchmarks/ensemble-compare.sh --kills 5 --faults-only --time-limit-min 6
# Builds the jars first when they are missing (or when CORRAL_REBUILD=1). Every server and load-tool process the
# run starts is stopped by pid when it ends, also on failure or Ctrl-C.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
build_if_missing ensemble-compare

track_children ensemble-compare

# the hard limit: 7 minutes, or 1.5 more than --time-limit-min when it is given (a run with --kills or --stops takes longer)
limit=7m
prev=""
for arg in "$@"; do
  if [[ "$prev" == "--time-limit-min" ]]; then
    limit="$(awk -v m="$arg" 'BEGIN { printf "%ds", (m + 1.5) * 60 }')"
  fi
  prev="$arg"
done

run_driver timeout -k 20s "$limit" java -Xmx512m -cp "$jar" io.corral.bench.compare.EnsembleCompare --root "$root" \
  --pidfile "$pidfile" --command "benchmarks/ensemble-compare.sh${*:+ $*}" "$@"
