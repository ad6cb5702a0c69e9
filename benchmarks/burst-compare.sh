#!/usr/bin/env bash
# Issue 11: the time to serve a burst of N pipelined getData of a 900 KB znode, and the worst latency of bystander
# sessions meanwhile, Corral against Apache ZooKeeper 3.9.5 (child JVMs); writes its section of benchmarks/RESULTS.md.
#   benchmarks/burst-compare.sh                       # N = 100, 300, 1000, 5 runs each (about 4 minutes)
# Options (passed to io.corral.bench.compare.BurstCompare): --bursts 100,300,1000 --bystanders 4 --repeat 5 --xmx 1g
#   --servers zookeeper,corral --corral-jvm-opts "-Xlog:gc:file=/tmp/gc.log" --out PATH
# Builds the jars first when they are missing (or when CORRAL_REBUILD=1). Every server it starts is stopped by pid.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
build_if_missing burst-compare

track_children burst-compare

run_driver timeout -k 20s 10m java -Xmx1g -cp "$jar" io.corral.bench.compare.BurstCompare --root "$root" \
  --pidfile "$pidfile" --command "benchmarks/burst-compare.sh $*" "$@"
