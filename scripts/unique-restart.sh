#!/usr/bin/env bash
# Restart to first query of a large merge-on-write UNIQUE KEY table (issue 15, docs/benchmarks.md).
#
#   scripts/unique-restart.sh [ROWS] [UPDATE_LOADS]
#
# Starts a server on free loopback ports and a temporary data directory, creates a UNIQUE KEY table
# (8 buckets) and loads ROWS rows (default 10,000,000) with Stream Loads of CHUNK rows (default
# 1,000,000), generated on the fly by seq and awk and streamed by curl (nothing holds the data in
# memory); then UPDATE_LOADS (default 3) Stream Loads each replace 10 % of the keys. Then it stops
# the server cleanly, starts it again, kills it with SIGKILL after one lookup, starts it again on
# the same data and reports the time from the new
# process's start to the first answered primary-key lookup (checked), with the CPU time the new
# process used until then, and to the first count(*).
# Needs python3 (free ports), /usr/bin/python3 with pymysql (the timed lookup), curl and the
# mariadb client. Environment: BASALT_HEAP (server heap),
# CHUNK.
set -euo pipefail
ROWS=${1:-10000000}
UPDATE_LOADS=${2:-3}
CHUNK=${CHUNK:-1000000}
HOME_DIR=$(cd "$(dirname "$0")/.." && pwd)
read -r QUERY_PORT HTTP_PORT < <(python3 -c "
import socket
a = socket.socket(); a.bind(('127.0.0.1', 0)); b = socket.socket(); b.bind(('127.0.0.1', 0))
print(a.getsockname()[1], b.getsockname()[1])")
DATA=$(mktemp -d /tmp/basalt-unique-restart-XXXXXX)
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

now() { date +%s%N; }
start_server() {
  "$HOME_DIR/basalt" server --data-dir "$DATA/data" --query-port "$QUERY_PORT" \
    --http-port "$HTTP_PORT" >>"$DATA/server.log" 2>&1 &
  SERVER_PID=$!
}
sql() { mariadb -h127.0.0.1 -P"$QUERY_PORT" -uroot --batch --skip-column-names -e "$1" 2>/dev/null; }
load() { # label, first key, last key, note prefix
  local answer
  answer=$(seq "$2" "$3" |
    awk -v p="$4" '{ printf "%d\t%d\t%d.%02d\t%s-%d\n", $1, $1 % 20, $1 % 100000, $1 % 100, p, $1 }' |
    curl -sS --location-trusted -u root: -H "label:$1" -H "Expect: 100-continue" -T - \
      "http://127.0.0.1:$HTTP_PORT/api/restart_bench/t/_stream_load")
  if ! grep -q '"Status" *: *"Success"' <<<"$answer"; then
    echo "Stream Load $1 failed: $answer" >&2
    exit 1
  fi
}

"$HOME_DIR/basalt" server --help >/dev/null 2>&1 # builds the server if it is stale, untimed
start_server
until grep -q " ready: " "$DATA/server.log"; do sleep 0.2; done
sql "CREATE DATABASE restart_bench"
sql "CREATE TABLE restart_bench.t (id BIGINT, category INT, amount DECIMAL(15,2), note VARCHAR(32))
     UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 8 PROPERTIES ('replication_num' = '1')"
begin=$(now)
for ((first = 1; first <= ROWS; first += CHUNK)); do
  last=$((first + CHUNK - 1 < ROWS ? first + CHUNK - 1 : ROWS))
  load "base_$first" "$first" "$last" v0
done
echo "loaded $ROWS rows in $(( ($(now) - begin) / 1000000 )) ms"
step=$((ROWS / 10))
for ((update = 1; update <= UPDATE_LOADS; update++)); do
  first=$(( (update - 1) * step % ROWS + 1 ))
  begin=$(now)
  load "update_$update" "$first" $((first + step - 1)) "v$update"
  echo "update load $update: $step rows replaced in $(( ($(now) - begin) / 1000000 )) ms"
done
key=$((step / 2 + 1))
expected=$(sql "SELECT note FROM restart_bench.t WHERE id = $key")
echo "before the restart: id $key -> $expected; count $(sql "SELECT count(*) FROM restart_bench.t")"

# A clean stop first: it writes the build's class data sharing archive if there is none yet (the
# launcher's, see ./basalt), with the classes loads and queries use, as a server that has run for a
# while would; then a start, one lookup and the crash whose restart is timed.
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
: >"$DATA/server.log"
start_server
until [[ $(sql "SELECT note FROM restart_bench.t WHERE id = $key" || true) == "$expected" ]]; do
  sleep 0.1
done
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
: >"$DATA/server.log"
begin=$(now)
start_server
# One polling client process (a new mariadb process every 20 ms would take CPU from the server on
# two cores): connects and asks every 20 ms until the answer is right.
/usr/bin/python3 - "$QUERY_PORT" "$key" "$expected" <<'PYTHON'
import sys, time
import pymysql

port, key, expected = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
while True:
    try:
        connection = pymysql.connect(host="127.0.0.1", port=port, user="root", connect_timeout=5)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT note FROM restart_bench.t WHERE id = {key}")
            row = cursor.fetchone()
        connection.close()
        if row is not None and row[0] == expected:
            break
    except pymysql.err.MySQLError:
        pass
    time.sleep(0.02)
PYTHON
lookup=$(( ($(now) - begin) / 1000000 ))
# CPU time the new process used until then (user + system, in clock ticks): on a machine shared
# with other work the wall time mostly measures waiting for a core.
ticks=$(awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat")
cpu=$(( ticks * 1000 / $(getconf CLK_TCK) ))
count=$(sql "SELECT count(*) FROM restart_bench.t")
aggregate=$(( ($(now) - begin) / 1000000 ))
echo "restart (kill -9, new process) to first primary-key lookup answered: $lookup ms (server CPU $cpu ms)"
echo "restart to count(*) answered: $aggregate ms (count $count)"
