#!/usr/bin/env bash
# The group-commit step of `bench ingest` (100 clients sending 10-row Stream Loads over kept-alive
# connections) against two builds' servers side by side, runs interleaved (issue 13,
# docs/benchmarks.md "Stream Load: a kept-alive connection read on its own thread").
#
#   scripts/group-commit-front-door.sh BEFORE_HOME AFTER_HOME [ROUNDS] [WARM_RUNS]
#
# BEFORE_HOME and AFTER_HOME are Basalt checkouts, each built by its own ./basalt. Each gets a
# server on free ports and a temporary data directory; each is warmed by WARM_RUNS (default 2)
# runs of the step, then ROUNDS (default 3) rounds run the step once against each in turn. Prints
# the bench's line for each run: rows/s, ack p50/p99 and the server's CPU per row (utime+stime of
# the server process over the step, warm-up rows included). Needs /work/bench-data/sf1 or
# BENCH_DATA pointing at the bench's data directory for sf 1. PROFILE=1 records one more run of each
# server with JFR before the rounds.
set -euo pipefail
before=$1 after=$2 rounds=${3:-3} warm=${4:-2}
data=${BENCH_DATA:-/work/bench-data/sf1}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/gc-front-door.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -A pid query http
start() { # name home
  query[$1]=$(free_port) http[$1]=$(free_port)
  "$2/basalt" server --data-dir "$work/$1" --query-port "${query[$1]}" --http-port "${http[$1]}" \
    >"$work/$1.log" 2>&1 &
  pid[$1]=$!
  for _ in $(seq 600); do
    (echo >"/dev/tcp/127.0.0.1/${query[$1]}") 2>/dev/null && return
    sleep 0.2
  done
  echo "the $1 server did not start; see $work/$1.log" >&2
  exit 1
}
stop() { kill "${pid[before]}" "${pid[after]}" 2>/dev/null || true; }
# The data directories are left for a look at the servers' logs; remove them with rm -r "$work".
trap stop EXIT
start before "$before"
start after "$after"
bench() { # name
  (cd "$here" && ./basalt bench ingest --sf 1 --rows 2000000 --data-dir "$data" --steps group \
    --clients 100 --seconds 10 --warmup-seconds 5 --port "${query[$1]}" \
    --http-port "${http[$1]}" --server-pid "${pid[$1]}" 2>&1) |
    grep -E 'rows/s' | grep -iv 'jdbc' | sed "s/^/$1 $(date -u +%H:%M) load $(cut -d' ' -f1 /proc/loadavg): /"
}
for _ in $(seq "$warm"); do bench before >/dev/null; bench after >/dev/null; done
if [[ -n ${PROFILE:-} ]]; then
  # One more run each under JFR's execution sampler (not among the rounds); the recordings stay
  # in the temporary directory: jfr print --events jdk.ExecutionSample FILE.
  for name in before after; do
    jcmd "${pid[$name]}" JFR.start name=front-door settings=profile >/dev/null
    bench "$name" >/dev/null
    jcmd "${pid[$name]}" JFR.stop name=front-door filename="$work/$name.jfr" >/dev/null
    echo "$name profile: $work/$name.jfr"
  done
fi
# AFTER_FIRST=1 runs the after server first in each round, to see whether the order matters.
for _ in $(seq "$rounds"); do
  if [[ -n ${AFTER_FIRST:-} ]]; then bench after; bench before; else bench before; bench after; fi
done
