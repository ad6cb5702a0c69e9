#!/usr/bin/env bash
# Corral's reactive client against the official ZooKeeper 3.9.5 client, on a Corral server and on an Apache
# ZooKeeper server, at equal requests in flight; writes its section of benchmarks/RESULTS.md (about 90 s).
#   benchmarks/client-compare.sh
# Options (passed to io.corral.bench.compare.ClientCompare): --duration S --warmup S --clients C --inflight K
#   --watchers N --out PATH --time-limit-s S
# Builds the jars first when they are missing (or when CORRAL_REBUILD=1). Every server and load-tool process the
# run starts is stopped by pid when it ends, also on failure or Ctrl-C.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
build_if_missing client-compare

track_children client-compare

run_driver timeout -k 20s 4m java -Xmx256m -cp "$jar" io.corral.bench.compare.ClientCompare --root "$root" \
  --pidfile "$pidfile" --command "benchmarks/client-compare.sh $*" "$@"
