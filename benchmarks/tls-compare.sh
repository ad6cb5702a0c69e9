#!/usr/bin/env bash
# TLS on the client port: Corral with the JDK's TLS and with OpenSSL (netty-tcnative) vs Apache ZooKeeper 3.9.5 with
# its Netty server factory (on its own Netty 4.1), same machine, same run; writes its section of benchmarks/RESULTS.md.
#   benchmarks/tls-compare.sh                         5 s measurements after 2 s warm-up (about 5 minutes)
#   benchmarks/tls-compare.sh --duration 10 --warmup 3 --rate 4000 --clients 4 --inflight 16
# Builds the jars first when they are missing (or when CORRAL_REBUILD=1). Every server and load-tool process the
# run starts is stopped by pid when it ends, also on failure or Ctrl-C.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
build_if_missing tls-compare

track_children tls-compare 3

run_driver timeout -k 30s 29m java -Xmx512m -cp "$jar" io.corral.bench.compare.TlsCompare --root "$root" \
  --pidfile "$pidfile" --command "benchmarks/tls-compare.sh $*" "$@"
