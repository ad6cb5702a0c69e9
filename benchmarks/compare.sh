#!/usr/bin/env bash
# Corral vs Apache ZooKeeper 3.9.5 on this machine; writes benchmarks/RESULTS.md.
#   benchmarks/compare.sh --quick          about 3-4 minutes: 3 rounds, 2 s measurements, bulk load of 20,000 znodes
#   benchmarks/compare.sh                  the full run (about 20 minutes, hard limit 29): 10 s measurements, 1,000,000 znodes
# Options (passed to io.corral.bench.compare.Compare): --rounds N --duration S --warmup S --bulk-count N
#   --watchers N --open-rate R --clients C --inflight K --xmx 2g --out PATH --time-limit-min M
#   --corral-jvm-opts "-XX:... -XX:..."   (e.g. a JFR recording)
#   --cpu-only [--cpu-rates 2000,5000,10000] [--cpu-read-rates 5000,20000] [--corral-baseline DIR --corral-baseline-label TEXT]
#                                         only server CPU per setData (its own section of RESULTS.md, ~12 min)
#   --restart-only                        only the bulk load, memory (anonymous / file-mapped) and restart on its
#                                         data (its own section of RESULTS.md, ~4 min a round)
# Builds the jars first when they are missing (or when CORRAL_REBUILD=1). Every server and load-tool process the
# run starts is stopped by pid when it ends, also on failure or Ctrl-C.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
build_if_missing compare

limit=29m
for arg in "$@"; do
  if [[ "$arg" == "--quick" ]]; then limit=9m; fi
done

track_children compare 3

run_driver timeout -k 30s "$limit" java -Xmx512m -cp "$jar" io.corral.bench.compare.Compare --root "$root" \
  --pidfile "$pidfile" --command "benchmarks/compare.sh $*" "$@"
