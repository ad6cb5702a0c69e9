#!/usr/bin/env bash
# A JFR profile of Corral under load: starts Corral (the flags of bin/corral-server, -Xmx2g) on a free port of
# 127.0.0.1 with a flight recording (method sampling every 1 ms), runs the load tool against it, stops it, and
# prints where the server's threads spent their samples.
#   benchmarks/profile.sh                         setData 100 B, 4 sessions x 16 in flight, 30 s
#   benchmarks/profile.sh --workload get --duration 20     (any load-tool options)
# The recording stays in benchmarks/target/profile/corral.jfr (jfr print --events jdk.ExecutionSample ...).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="$root/benchmarks/target/benchmarks.jar"
if [[ ! -f "$jar" || ! -f "$root/reactive-core/target/corral-server.jar" || "${CORRAL_REBUILD:-0}" == "1" ]]; then
  mvn -q -B -ntp -o -DskipTests -pl benchmarks -am package >&2 || mvn -q -B -ntp -DskipTests -pl benchmarks -am package >&2
fi

duration=30
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[$i]}" == "--duration" ]]; then duration="${args[$((i + 1))]}"; fi
done

out="$root/benchmarks/target/profile"
rm -rf "$out" && mkdir -p "$out/data"
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
sed -E 's/(method-sampling-(java|native)-interval">)[0-9]+ ms/\11 ms/' "$java_home/lib/jfr/profile.jfc" > "$out/sampling.jfc"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 23181)"
cat > "$out/zoo.cfg" <<CFG
tickTime=2000
dataDir=$out/data
clientPort=$port
clientPortAddress=127.0.0.1
maxClientCnxns=0
4lw.commands.whitelist=srvr
CFG

server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

record_s=$((duration + 5))
CORRAL_JVM_OPTS="-Xmx2g -XX:+FlightRecorder -XX:StartFlightRecording=duration=${record_s}s,settings=$out/sampling.jfc,filename=$out/corral.jfr" \
  "$root/bin/corral-server" "$out/zoo.cfg" > "$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done

java -cp "$jar" io.corral.bench.load.LoadTool --connect "127.0.0.1:$port" --workload set --warmup 2 --duration "$duration" "$@" \
  | tee "$out/load.json"
sleep 4   # the recording ends duration + 5 s after start and is written then
cleanup
server_pid=""
java -cp "$jar" io.corral.bench.compare.JfrTop "$out/corral.jfr" 15 | tee "$out/top.txt"
