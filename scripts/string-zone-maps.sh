#!/usr/bin/env bash
# Filters on a sorted string key, two builds side by side (issue 14 item 4, docs/benchmarks.md
# "Zone maps on string columns").
#
#   scripts/string-zone-maps.sh BEFORE_HOME AFTER_HOME [ROWS] [RUNS]
#
# BEFORE_HOME and AFTER_HOME are Basalt checkouts (e.g. a worktree of the commit before a change,
# and this one). Each gets a server on free loopback ports and a temporary data directory and the
# same DUPLICATE KEY table of ROWS rows (default 4,000,000; one bucket, one Stream Load, so one
# segment of many pages sorted by its VARCHAR key k = 'key' + the row number in 9 digits; c is a
# CHAR(16) copy 'c' + the same digits, v the row number modulo 1000). Then RUNS rounds (default 5)
# run each query once on one server, then on the other (interleaved), checking that both answer the
# same, and report per query and server the median wall time and the median CPU time the server
# process used during the query (/proc/PID/stat, utime + stime).
# Needs python3 (ports), curl and the mariadb client. Environment: BASALT_HEAP (default 3g).
set -euo pipefail
BEFORE=$(cd "$1" && pwd)
AFTER=$(cd "$2" && pwd)
ROWS=${3:-4000000}
RUNS=${4:-5}
export BASALT_HEAP=${BASALT_HEAP:-3g}
WORK=$(mktemp -d /tmp/basalt-string-zone-maps-XXXXXX)
source "$(dirname "$0")/compare-servers.sh"
start_servers
for side in before after; do
  sql "$side" "CREATE DATABASE szm"
  sql "$side" "CREATE TABLE szm.t (k VARCHAR(24), c CHAR(16), v INT) DUPLICATE KEY(k)
       DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ('replication_num' = '1')"
  begin=$(now)
  answer=$(seq 0 $((ROWS - 1)) |
    awk '{ printf "key%09d\tc%09d\t%d\n", $1, $1, $1 % 1000 }' |
    curl -sS --location-trusted -u root: -H "label:szm" -H "Expect: 100-continue" -T - \
      "http://127.0.0.1:${HPORT[$side]}/api/szm/t/_stream_load")
  if ! grep -q '"Status" *: *"Success"' <<<"$answer"; then
    echo "$side: Stream Load failed: $answer" >&2
    exit 1
  fi
  echo "$side: loaded $ROWS rows in $(( ($(now) - begin) / 1000000 )) ms"
done

QUERIES=(
  "SELECT v FROM szm.t WHERE k = 'key002718281'"
  "SELECT COUNT(*), SUM(v) FROM szm.t WHERE k BETWEEN 'key001000000' AND 'key001009999'"
  "SELECT COUNT(*), SUM(v) FROM szm.t WHERE k LIKE 'key00314%'"
  "SELECT COUNT(*), SUM(v) FROM szm.t WHERE k IN ('key000100000', 'key000100001', 'key000100999')"
  "SELECT COUNT(*), SUM(v) FROM szm.t WHERE k >= 'key003990000'"
  "SELECT COUNT(*), SUM(v) FROM szm.t WHERE c = 'c002000000'"
  "SELECT COUNT(*), SUM(v) FROM szm.t WHERE k > 'key000000000'"
)
compare_queries
