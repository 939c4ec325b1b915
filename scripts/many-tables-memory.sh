#!/usr/bin/env bash
# Memory used by many merge-on-write UNIQUE KEY tables written concurrently (issue 15,
# docs/benchmarks.md).
#
#   scripts/many-tables-memory.sh [TABLES] [PARALLEL] [ROWS_PER_LOAD] [LOADS_PER_TABLE]
#
# Starts a server with BASALT_HEAP (default 1g) on free loopback ports and a temporary data
# directory, creates TABLES (default 1000) UNIQUE KEY tables, then runs LOADS_PER_TABLE (default 2)
# Stream Loads of ROWS_PER_LOAD rows (default 20000; the second load replaces half the keys of the
# first) into every table, PARALLEL (default 100) at a time. jstat samples the heap every 200 ms;
# the script reports the peak heap used, the heap used after a full collection once every load has
# finished, the peak resident set size, whether any load failed or the
# server ran out of memory, and checks the row count of every table. Needs python3, curl, the
# mariadb client and the JDK's jstat.
set -euo pipefail
TABLES=${1:-1000}
PARALLEL=${2:-100}
ROWS=${3:-20000}
LOADS=${4:-2}
export BASALT_HEAP=${BASALT_HEAP:-1g}
HOME_DIR=$(cd "$(dirname "$0")/.." && pwd)
read -r QUERY_PORT HTTP_PORT < <(python3 -c "
import socket
a = socket.socket(); a.bind(('127.0.0.1', 0)); b = socket.socket(); b.bind(('127.0.0.1', 0))
print(a.getsockname()[1], b.getsockname()[1])")
DATA=$(mktemp -d /tmp/basalt-many-tables-XXXXXX)
SERVER_PID=
JSTAT_PID=
cleanup() {
  if [[ -n $JSTAT_PID ]]; then kill "$JSTAT_PID" 2>/dev/null || true; fi
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT
sql() { mariadb -h127.0.0.1 -P"$QUERY_PORT" -uroot --batch --skip-column-names -e "$1"; }

"$HOME_DIR/basalt" server --help >/dev/null 2>&1 # builds the server if it is stale
"$HOME_DIR/basalt" server --data-dir "$DATA/data" --query-port "$QUERY_PORT" \
  --http-port "$HTTP_PORT" >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
until grep -q " ready: " "$DATA/server.log"; do sleep 0.2; done
{
  echo "CREATE DATABASE many_tables; USE many_tables;"
  for ((t = 1; t <= TABLES; t++)); do
    echo "CREATE TABLE t$t (id BIGINT, category INT, amount DECIMAL(15,2), note VARCHAR(32))
      UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ('replication_num' = '1');"
  done
} | mariadb -h127.0.0.1 -P"$QUERY_PORT" -uroot
echo "created $TABLES tables"

jstat -gc "$SERVER_PID" 200 >"$DATA/jstat.log" 2>/dev/null &
JSTAT_PID=$!
export HTTP_PORT ROWS
load_one() { # table, load number
  local first=$(( ($2 - 1) * ROWS / 2 + 1 ))
  seq "$first" $((first + ROWS - 1)) |
    awk -v p="v$2" '{ printf "%d\t%d\t%d.%02d\t%s-%d\n", $1, $1 % 20, $1 % 100000, $1 % 100, p, $1 }' |
    curl -sS --location-trusted -u root: -H "label:t$1_$2" -H "Expect: 100-continue" -T - \
      "http://127.0.0.1:$HTTP_PORT/api/many_tables/t$1/_stream_load" |
    grep -q '"Status" *: *"Success"' || echo "FAILED t$1 load $2"
}
export -f load_one
begin=$(date +%s%N)
failures=$(for ((l = 1; l <= LOADS; l++)); do for ((t = 1; t <= TABLES; t++)); do echo "$t $l"; done; done |
  xargs -P "$PARALLEL" -n 2 bash -c 'load_one "$@"' _ | wc -l)
seconds=$(( ($(date +%s%N) - begin) / 1000000000 ))
kill "$JSTAT_PID"; JSTAT_PID=
# jstat -gc columns: S0U S1U EU OU are used KiB of survivors, eden, old (names from its header).
peak_heap=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  { used = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]; if (used > max) max = used }
  END { printf "%.0f", max / 1024 }' "$DATA/jstat.log")
peak_rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")
# What the tables keep once written: heap used right after a full collection (jcmd GC.run).
jcmd "$SERVER_PID" GC.run >/dev/null
after_gc=$(jstat -gc "$SERVER_PID" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  { printf "%.0f", ($col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]) / 1024 }')
expected=$(( ROWS + (LOADS - 1) * ROWS / 2 ))
wrong=0
for ((t = 1; t <= TABLES; t += 97)); do
  [[ $(sql "SELECT count(*) FROM many_tables.t$t") == "$expected" ]] || wrong=$((wrong + 1))
done
oom=$(grep -c OutOfMemoryError "$DATA/server.log" || true)
echo "tables=$TABLES parallel=$PARALLEL rows/load=$ROWS loads/table=$LOADS heap=$BASALT_HEAP:" \
  "$seconds s, failed loads $failures, OutOfMemoryError $oom, peak heap used $peak_heap MiB," \
  "heap used after a full GC $after_gc MiB," \
  "peak RSS $peak_rss MiB, row counts wrong $wrong (sampled every 97th table)"
