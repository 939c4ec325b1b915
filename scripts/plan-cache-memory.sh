#!/usr/bin/env bash
# Heap held by the plan cache with many tables (docs/benchmarks.md, "Plan cache memory with many
# tables").
#
#   scripts/plan-cache-memory.sh [TABLES]
#
# Starts a server with BASALT_HEAP (default 2g) on free loopback ports and a temporary data
# directory, creates TABLES (default 1000) six-column DUPLICATE KEY tables in one database, then
# runs one distinct query per table (each text gets its own cached plan) and reports the heap used
# after a full collection before and after the queries, and that difference per plan. Needs
# python3, the mariadb client and the JDK's jcmd.
set -euo pipefail
TABLES=${1:-1000}
export BASALT_HEAP=${BASALT_HEAP:-2g}
HOME_DIR=$(cd "$(dirname "$0")/.." && pwd)
source "$HOME_DIR/scripts/find-java.sh"
basalt_find_java
read -r QUERY_PORT HTTP_PORT < <(python3 -c "
import socket
a = socket.socket(); a.bind(('127.0.0.1', 0)); b = socket.socket(); b.bind(('127.0.0.1', 0))
print(a.getsockname()[1], b.getsockname()[1])")
DATA=$(mktemp -d /tmp/basalt-plan-cache-XXXXXX)
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT
sql() { mariadb -h127.0.0.1 -P"$QUERY_PORT" -uroot --batch --skip-column-names "$@"; }

"$HOME_DIR/basalt" server --help >/dev/null 2>&1 # builds the server if it is stale
"$HOME_DIR/basalt" server --data-dir "$DATA/data" --query-port "$QUERY_PORT" \
  --http-port "$HTTP_PORT" >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  if sql -e "SELECT 1" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
JAVA_PID=$(pgrep -f -- "--data-dir $DATA/data" | head -1)

# The heap used after a full collection, in KiB.
heap_used_kib() {
  "$BASALT_FOUND_JAVA_HOME/bin/jcmd" "$JAVA_PID" GC.run >/dev/null
  "$BASALT_FOUND_JAVA_HOME/bin/jcmd" "$JAVA_PID" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1
}

sql -e "CREATE DATABASE many"
for ((i = 0; i < TABLES; i++)); do
  echo "CREATE TABLE t$i (k INT, a VARCHAR(20), b BIGINT, c DECIMAL(10,2), d DATE, e DOUBLE)
    DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1;"
done | sql many
before=$(heap_used_kib)
start=$(date +%s.%N)
for ((i = 0; i < TABLES; i++)); do
  echo "SELECT COUNT(*), SUM(b) FROM t$i WHERE k > 5;"
done | sql many >/dev/null
seconds=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
after=$(heap_used_kib)
python3 -c "
b, a, n = $before, $after, $TABLES
print(f'tables {n}: heap after a full collection {b / 1024:.1f} MiB before the queries, '
      f'{a / 1024:.1f} MiB after {n} distinct queries ({(a - b) / n:.1f} KiB per cached plan); '
      f'queries took $seconds s')"
