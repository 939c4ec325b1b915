# Two Basalt builds' servers side by side, for the bash scripts that compare them
# (aggregate-scan.sh, dictionary-strings.sh); sourced, not run. The sourcing script sets BEFORE and
# AFTER (checkouts), RUNS and WORK (a temporary directory, deleted on exit), then calls
# start_servers [extra server options], and compare_queries once its QUERIES array is set.

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s%N; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Starts a server per build ("before", "after") on free loopback ports in $WORK/<side>, with the
# given extra options, and waits until both are ready.
declare -A QPORT HPORT PID
start_servers() {
  local side home q h
  for side in before after; do
    home=$BEFORE
    [[ $side == after ]] && home=$AFTER
    "$home/basalt" server --help >/dev/null 2>&1 # builds the server if it is stale, untimed
    read -r q h < <(python3 -c "
import socket
a = socket.socket(); a.bind(('127.0.0.1', 0)); b = socket.socket(); b.bind(('127.0.0.1', 0))
print(a.getsockname()[1], b.getsockname()[1])")
    QPORT[$side]=$q
    HPORT[$side]=$h
    mkdir -p "$WORK/$side"
    "$home/basalt" server --data-dir "$WORK/$side/data" --query-port "$q" --http-port "$h" \
      "$@" >>"$WORK/$side/server.log" 2>&1 &
    PID[$side]=$!
    PIDS+=("$!")
  done
  for side in before after; do
    until grep -q " ready: " "$WORK/$side/server.log"; do sleep 0.2; done
  done
}

sql() { mariadb -h127.0.0.1 -P"${QPORT[$1]}" -uroot --batch --skip-column-names -e "$2"; }

# Runs each of QUERIES once on one server, then on the other, RUNS rounds, checking that both
# answer the same; prints per query and server the median wall time and the median CPU time the
# server process used during the query (/proc/PID/stat, utime + stime).
compare_queries() {
  local run q side ticks begin wall used width=0
  echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
  declare -A WALL CPU
  for ((run = 1; run <= RUNS; run++)); do
    for ((q = 0; q < ${#QUERIES[@]}; q++)); do
      declare -A ANSWER=()
      for side in before after; do
        ticks=$(cpu_ticks "$(pgrep -P "${PID[$side]}" java || echo "${PID[$side]}")")
        begin=$(now)
        ANSWER[$side]=$(sql "$side" "${QUERIES[$q]}" 2>&1 | tr '\n\t' '; ')
        wall=$(( ($(now) - begin) / 1000000 ))
        used=$(( ($(cpu_ticks "$(pgrep -P "${PID[$side]}" java || echo "${PID[$side]}")") - ticks) * 1000 / $(getconf CLK_TCK) ))
        WALL[$side,$q]+="$wall "
        CPU[$side,$q]+="$used "
      done
      if [[ ${ANSWER[before]} != "${ANSWER[after]}" ]]; then
        echo "answers differ for ${QUERIES[$q]}: before ${ANSWER[before]} after ${ANSWER[after]}" >&2
      fi
      [[ $run == 1 ]] && echo "answer: ${QUERIES[$q]} -> ${ANSWER[after]}"
    done
  done
  median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
  echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
  for ((q = 0; q < ${#QUERIES[@]}; q++)); do
    (( ${#QUERIES[$q]} > width )) && width=${#QUERIES[$q]}
  done
  printf "%-${width}s %8s %8s %8s %8s\n" query "before" "after" "before" "after"
  printf "%-${width}s %8s %8s %8s %8s\n" "" "wall ms" "wall ms" "cpu ms" "cpu ms"
  for ((q = 0; q < ${#QUERIES[@]}; q++)); do
    printf "%-${width}s %8s %8s %8s %8s\n" "${QUERIES[$q]}" "$(median "${WALL[before,$q]}")" \
      "$(median "${WALL[after,$q]}")" "$(median "${CPU[before,$q]}")" "$(median "${CPU[after,$q]}")"
  done
}
