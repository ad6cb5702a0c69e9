# Sourced by benchmarks/compare.sh, client-compare.sh and ensemble-compare.sh: the repository root, the jars, the
# build when they are missing, and the trap that ends, by pid only, whatever the driver JVM recorded in its pidfile.
# Sets: root (and cd's there), jar, server_jar, pidfile, run_pid.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
jar="$root/benchmarks/target/benchmarks.jar"
server_jar="$root/reactive-core/target/corral-server.jar"

# build_if_missing NAME: mvn package (tests skipped) when a jar is missing or CORRAL_REBUILD=1; NAME prefixes the
# message.
build_if_missing() {
  if [[ ! -f "$jar" || ! -f "$server_jar" || ! -d "$root/reactive-core/target/lib" || "${CORRAL_REBUILD:-0}" == "1" ]]; then
    echo "$1: building (mvn package, tests skipped)..." >&2
    mvn -q -B -ntp -o -DskipTests -pl benchmarks -am package >&2 || mvn -q -B -ntp -DskipTests -pl benchmarks -am package >&2
  fi
}

# track_children NAME [TERM_GRACE_S]: creates the pidfile the driver writes its children's pids to, and the trap
# that, should the driver die, ends them: SIGKILL to each, or first SIGTERM and TERM_GRACE_S seconds when given.
track_children() {
  pidfile="$(mktemp -t "corral-$1-pids.XXXXXX")"
  run_pid=""
  children_term_grace_s="${2:-}"
  trap cleanup_children EXIT
  trap 'exit 130' INT TERM
}

cleanup_children() {
  # the driver stops its children itself; this is the fallback if it was killed: only the pids it recorded.
  if [[ -n "$run_pid" ]] && kill -0 "$run_pid" 2>/dev/null; then
    kill -TERM "$run_pid" 2>/dev/null || true
    sleep 2
  fi
  if [[ -s "$pidfile" ]]; then
    if [[ -n "$children_term_grace_s" ]]; then
      while read -r pid; do
        [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
      done < "$pidfile"
      sleep "$children_term_grace_s"
    fi
    while read -r pid; do
      [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
    done < "$pidfile"
  fi
  rm -f "$pidfile"
}

# run_driver COMMAND...: runs the driver in the background (so the trap can reach it) and waits for it.
run_driver() {
  "$@" &
  run_pid=$!
  wait "$run_pid"
}
