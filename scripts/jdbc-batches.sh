#!/usr/bin/env bash
# JDBC batched INSERTs on servers of two builds, interleaved (docs/benchmarks.md, "JDBC batches
# share a commit" and "JDBC batches: answers without an event-loop wake-up"). With the shared
# commit on both builds: EXTRA = --jdbc-properties
# 'rewriteBatchedStatements=true&sessionVariables=enable_insert_shared_commit=1' (a bench that has
# it also takes --jdbc-shared-commit).
#
#   scripts/jdbc-batches.sh BEFORE_CHECKOUT AFTER_CHECKOUT [ROUNDS] [ROWS] [EXTRA BENCH OPTIONS...]
#
# Per round and build (before, then after): a fresh server of that checkout (BASALT_HEAP=3g,
# BASALT_CDS=0, a temporary data directory, free loopback ports), `./basalt bench ingest --steps
# jdbc` with 100,000 rows as a warm-up (WARMUP_ROWS overrides it: a longer warm-up leaves less of
# a fresh server's JIT in the measured step), then with ROWS rows (default 200,000) measured, with
# --server-pid so that the bench reports the server's CPU per row; then the server is stopped.
# The lineitem rows come from sf 1 in /work/bench-data/sf1 (BENCH_DATA overrides it). Prints each
# measured run's summary line, the bench's own CPU per row (a bench that reports it) and the
# server's CPU per thread group over the measured step.
set -euo pipefail
BEFORE=$(cd "$1" && pwd)
AFTER=$(cd "$2" && pwd)
ROUNDS=${3:-2}
ROWS=${4:-200000}
shift $(($# < 4 ? $# : 4))
EXTRA=("$@")
DATA_DIR=${BENCH_DATA:-/work/bench-data/sf1}
WARMUP_ROWS=${WARMUP_ROWS:-100000}

thread_cpu() { # PID: CPU seconds per thread-name prefix, summed
  local pid=$1
  python3 - "$pid" <<'PYTHON'
import os, re, sys
pid = sys.argv[1]
tick = os.sysconf("SC_CLK_TCK")
groups = {}
for tid in os.listdir(f"/proc/{pid}/task"):
    try:
        name = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
        fields = open(f"/proc/{pid}/task/{tid}/stat").read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        continue
    group = re.sub(r"[-#]?\d+$", "", name)
    groups[group] = groups.get(group, 0) + (int(fields[11]) + int(fields[12])) / tick
print(" ".join(f"{k}={v:.2f}" for k, v in sorted(groups.items(), key=lambda e: -e[1])[:8]))
PYTHON
}

run_one() { # CHECKOUT LABEL
  local home=$1 label=$2 ports data pid server
  read -r ports < <(python3 -c "
import socket
a = socket.socket(); a.bind(('127.0.0.1', 0)); b = socket.socket(); b.bind(('127.0.0.1', 0))
print(a.getsockname()[1], b.getsockname()[1])")
  local query_port=${ports% *} http_port=${ports#* }
  data=$(mktemp -d /tmp/basalt-jdbc-batches-XXXXXX)
  BASALT_CDS=0 BASALT_HEAP=3g nice -n 19 "$home/basalt" server --data-dir "$data/data" \
    --query-port "$query_port" --http-port "$http_port" >"$data/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 240); do
    if mariadb -h127.0.0.1 -P"$query_port" -uroot -e "SELECT 1" >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  pid=$(pgrep -f -- "java.*--data-dir $data/data" | head -1 || true)
  pid=${pid:-$server}
  "$home/basalt" bench ingest --sf 1 --data-dir "$DATA_DIR" --steps jdbc --rows "$WARMUP_ROWS" \
    --port "$query_port" --http-port "$http_port" --server-pid "$pid" "${EXTRA[@]}" \
    >"$data/warmup.out" 2>&1 || true
  local before_threads
  before_threads=$(thread_cpu "$pid")
  "$home/basalt" bench ingest --sf 1 --data-dir "$DATA_DIR" --steps jdbc --rows "$ROWS" \
    --port "$query_port" --http-port "$http_port" --server-pid "$pid" "${EXTRA[@]}" \
    >"$data/measured.out" 2>&1 || true
  echo "$(date -u +%H:%M) $label load=$(cut -d' ' -f1 /proc/loadavg): $(tail -1 "$data/measured.out")"
  grep -i "jdbc" "$data/measured.out" | grep -v "^basalt" | head -3
  grep "client CPU" "$data/measured.out" || true
  echo "  threads before step: $before_threads"
  echo "  threads after step:  $(thread_cpu "$pid")"
  kill "$server" 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data"
}

for round in $(seq 1 "$ROUNDS"); do
  run_one "$BEFORE" "before"
  run_one "$AFTER" "after"
done
