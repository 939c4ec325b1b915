#!/bin/bash
# Server CPU per run of one TPC-H query on two running servers, interleaved: the figure a loaded
# machine distorts least (docs/benchmarks.md). Start a server from each checkout on its own copy
# of a data directory loaded by `./basalt bench tpch --port P --http-port Q` (database
# tpch_bench), e.g.
#   BEFORE/basalt server --data-dir /tmp/d1 --query-port 19130 --http-port 18130 &
#   AFTER/basalt server --data-dir /tmp/d2 --query-port 19131 --http-port 18131 &
# then: scripts/tpch-query-cpu.sh QUERY.sql ROUNDS [BEFORE_PORT AFTER_PORT]
set -euo pipefail
query=$(cat "$1")
rounds=$2
ports=("${3:-19130}" "${4:-19131}")
server_pid() { pgrep -f "query-port $1" | head -1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)
for round in $(seq 1 "$rounds"); do
  for port in "${ports[@]}"; do
    pid=$(server_pid "$port")
    before=$(cpu_ticks "$pid")
    start=$(date +%s%N)
    for _ in 1 2 3; do mariadb -h127.0.0.1 -P"$port" -uroot tpch_bench -e "$query" > /dev/null; done
    end=$(date +%s%N)
    after=$(cpu_ticks "$pid")
    echo "port $port round $round: server CPU $(( (after - before) * 1000 / ticks_per_second / 3 )) ms per query," \
      "wall $(( (end - start) / 3000000 )) ms per query, load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
