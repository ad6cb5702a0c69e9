#!/usr/bin/env bash
# Corral vs Apache ZooKeeper 3.9.5 on this machine; writes benchmarks/RESULTS.md.
#   benchmarks/compare.sh --quick          about 3-4 minutes: 3 rounds, 2 s measurements, bulk load of 20,000 znodes
#   benchmarks/compare.sh                  the full run (about 20 minutes, hard limit 29): 10 s measurements, 1,000,000 znodes
# Options (passed to io.corral.bench.compare.Compare): --rounds N --duration S --warmup S --bulk-count N
#   --watchers N --open-rate R --clients C --inflight K --xmx 2g --out PATH --time-limit-min M
#   --corral-jvm-opts "-XX:... -XX:..."   (e.g. a JFR recording)
# Builds the jars first when they are missing (or when CORRAL_REBUILD=1). Every server and load-tool process the
# run starts is stopped by pid when it ends, also on failure or Ctrl-C.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="$root/benchmarks/target/benchmarks.jar"
server_jar="$root/reactive-core/target/corral-server.jar"

if [[ ! -f "$jar" || ! -f "$server_jar" || ! -d "$root/reactive-core/target/lib" || "${CORRAL_REBUILD:-0}" == "1" ]]; then
  echo "compare: building (mvn package, tests skipped)..." >&2
  mvn -q -B -ntp -o -DskipTests -pl benchmarks -am package >&2 || mvn -q -B -ntp -DskipTests -pl benchmarks -am package >&2
fi

limit=29m
for arg in "$@"; do
  if [[ "$arg" == "--quick" ]]; then limit=9m; fi
done

pidfile="$(mktemp -t corral-compare-pids.XXXXXX)"
compare_pid=""
cleanup() {
  # Compare stops its children itself; this is the fallback if it was killed: only the pids it recorded.
  if [[ -n "$compare_pid" ]] && kill -0 "$compare_pid" 2>/dev/null; then
    kill -TERM "$compare_pid" 2>/dev/null || true
    sleep 2
  fi
  if [[ -s "$pidfile" ]]; then
    while read -r pid; do
      [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
    done < "$pidfile"
    sleep 3
    while read -r pid; do
      [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
    done < "$pidfile"
  fi
  rm -f "$pidfile"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

timeout -k 30s "$limit" java -Xmx512m -cp "$jar" io.corral.bench.compare.Compare --root "$root" --pidfile "$pidfile" \
  --command "benchmarks/compare.sh $*" "$@" &
compare_pid=$!
wait "$compare_pid"
