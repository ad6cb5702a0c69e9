#!/usr/bin/env bash
# Three-server Corral ensembles against three-server Apache ZooKeeper 3.9.5 ensembles on loopback, in one run:
# write and read throughput, setData p99 at a fixed rate, time from kill -9 of the leader to the next acknowledged
# write, and Corral's setData throughput with an observer added; writes its section of benchmarks/RESULTS.md
# (about 5 minutes, hard limit 7).
#   benchmarks/ensemble-compare.sh
# Options (passed to io.corral.bench.compare.EnsembleCompare): --rounds N --duration S --warmup S --clients C
#   --inflight K --rate R --writers W --observers N --xmx 1g --failover-timeout-s S --out PATH --time-limit-min M
# Builds the jars first when they are missing (or when CORRAL_REBUILD=1). Every server and load-tool process the
# run starts is stopped by pid when it ends, also on failure or Ctrl-C.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="$root/benchmarks/target/benchmarks.jar"
server_jar="$root/reactive-core/target/corral-server.jar"

if [[ ! -f "$jar" || ! -f "$server_jar" || ! -d "$root/reactive-core/target/lib" || "${CORRAL_REBUILD:-0}" == "1" ]]; then
  echo "ensemble-compare: building (mvn package, tests skipped)..." >&2
  mvn -q -B -ntp -o -DskipTests -pl benchmarks -am package >&2 || mvn -q -B -ntp -DskipTests -pl benchmarks -am package >&2
fi

pidfile="$(mktemp -t corral-ensemble-compare-pids.XXXXXX)"
run_pid=""
cleanup() {
  # EnsembleCompare stops its children itself; this is the fallback if it was killed: only the pids it recorded.
  if [[ -n "$run_pid" ]] && kill -0 "$run_pid" 2>/dev/null; then
    kill -TERM "$run_pid" 2>/dev/null || true
    sleep 2
  fi
  if [[ -s "$pidfile" ]]; then
    while read -r pid; do
      [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
    done < "$pidfile"
  fi
  rm -f "$pidfile"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

timeout -k 20s 7m java -Xmx512m -cp "$jar" io.corral.bench.compare.EnsembleCompare --root "$root" \
  --pidfile "$pidfile" --command "benchmarks/ensemble-compare.sh${*:+ $*}" "$@" &
run_pid=$!
wait "$run_pid"
