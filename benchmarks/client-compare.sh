#!/usr/bin/env bash
# Corral's reactive client against the official ZooKeeper 3.9.5 client, on a Corral server and on an Apache
# ZooKeeper server, at equal requests in flight; writes its section of benchmarks/RESULTS.md (about 90 s).
#   benchmarks/client-compare.sh
# Options (passed to io.corral.bench.compare.ClientCompare): --duration S --warmup S --clients C --inflight K
#   --watchers N --out PATH --time-limit-s S
# Builds the jars first when they are missing (or when CORRAL_REBUILD=1). Every server and load-tool process the
# run starts is stopped by pid when it ends, also on failure or Ctrl-C.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="$root/benchmarks/target/benchmarks.jar"
server_jar="$root/reactive-core/target/corral-server.jar"

if [[ ! -f "$jar" || ! -f "$server_jar" || ! -d "$root/reactive-core/target/lib" || "${CORRAL_REBUILD:-0}" == "1" ]]; then
  echo "client-compare: building (mvn package, tests skipped)..." >&2
  mvn -q -B -ntp -o -DskipTests -pl benchmarks -am package >&2 || mvn -q -B -ntp -DskipTests -pl benchmarks -am package >&2
fi

pidfile="$(mktemp -t corral-client-compare-pids.XXXXXX)"
run_pid=""
cleanup() {
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

timeout -k 20s 4m java -Xmx256m -cp "$jar" io.corral.bench.compare.ClientCompare --root "$root" --pidfile "$pidfile" \
  --command "benchmarks/client-compare.sh $*" "$@" &
run_pid=$!
wait "$run_pid"
