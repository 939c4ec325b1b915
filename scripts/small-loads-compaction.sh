#!/usr/bin/env bash
# CPU that compaction spends on a stream of small loads (docs/benchmarks.md, "Compaction policy:
# rewrites bounded by growth, not by loads").
#
#   scripts/small-loads-compaction.sh [LOADS] [ROWS]
#
# Starts a server on free loopback ports and a temporary data directory, creates a one-bucket
# DUPLICATE KEY table and sends LOADS (default 3000) Stream Loads of ROWS (default 1000) rows each,
# one after another over one keep-alive connection; then waits until the compaction threads stop
# using CPU and reports their CPU seconds (from /proc), the load phase's wall time and the rowsets
# left in the tablet, after checking the row count. Needs Linux /proc, /usr/bin/python3 with
# pymysql, and the mariadb client.
set -euo pipefail
LOADS=${1:-3000}
ROWS=${2:-1000}
HOME_DIR=$(cd "$(dirname "$0")/.." && pwd)
read -r QUERY_PORT HTTP_PORT < <(python3 -c "
import socket
a = socket.socket(); a.bind(('127.0.0.1', 0)); b = socket.socket(); b.bind(('127.0.0.1', 0))
print(a.getsockname()[1], b.getsockname()[1])")
DATA=$(mktemp -d /tmp/basalt-small-loads-XXXXXX)
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

"$HOME_DIR/basalt" server --help >/dev/null 2>&1 # builds the server if it is stale
"$HOME_DIR/basalt" server --data-dir "$DATA/data" --query-port "$QUERY_PORT" \
  --http-port "$HTTP_PORT" >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  if mariadb -h127.0.0.1 -P"$QUERY_PORT" -uroot -e "SELECT 1" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
JAVA_PID=$(pgrep -f -- "--data-dir $DATA/data" | head -1)

/usr/bin/python3 - "$QUERY_PORT" "$HTTP_PORT" "$JAVA_PID" "$LOADS" "$ROWS" <<'PYTHON'
import base64, http.client, os, sys, time
import pymysql

query_port, http_port, pid, loads, rows = (int(a) for a in sys.argv[1:6])
sql = pymysql.connect(host="127.0.0.1", port=query_port, user="root", autocommit=True).cursor()
sql.execute("CREATE DATABASE small_loads")
sql.execute("CREATE TABLE small_loads.t (k BIGINT, a BIGINT, b VARCHAR(20))"
            " DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1")
http = http.client.HTTPConnection("127.0.0.1", http_port)
headers = {"Authorization": "Basic " + base64.b64encode(b"root:").decode(), "column_separator": ","}


def compaction_cpu_seconds():
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            if open(f"/proc/{pid}/task/{tid}/comm").read().startswith("basalt-compac"):
                fields = open(f"/proc/{pid}/task/{tid}/stat").read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
        except FileNotFoundError:
            pass
    return total


start = time.time()
for i in range(loads):
    body = "".join(f"{i * rows + r},{r},v{r % 97}\n" for r in range(rows)).encode()
    http.request("PUT", "/api/small_loads/t/_stream_load", body, dict(headers, label=f"l{i}"))
    answer = http.getresponse().read()
    if b'"Success"' not in answer:
        sys.exit(f"load {i} failed: {answer.decode()}")
load_seconds = time.time() - start
cpu = -1.0
while True:  # until the compaction threads used no CPU over two seconds
    time.sleep(2)
    now = compaction_cpu_seconds()
    if now == cpu:
        break
    cpu = now
sql.execute("SHOW TABLETS FROM small_loads.t")
columns = [d[0] for d in sql.description]
rowsets = [row[columns.index("VersionCount")] for row in sql.fetchall()]
sql.execute("SELECT COUNT(*) FROM small_loads.t")
count = sql.fetchone()[0]
if count != loads * rows:
    sys.exit(f"expected {loads * rows} rows, found {count}")
print(f"{loads} loads of {rows} rows: loads took {load_seconds:.1f} s, compaction CPU {cpu:.2f} s"
      f" ({cpu * 1e6 / (loads * rows):.2f} us per row), rowsets left {rowsets}")
PYTHON
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
