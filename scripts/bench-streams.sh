#!/usr/bin/env bash
# Media streams benchmark (issue 6): concurrent streams per node core, the node's CPU and the send jitter
# consumers see, on a release build.
#
#   scripts/bench-streams.sh                        # RUNS=3 interleaved rounds of every load in LOADS
#   RUNS=5 DURATION=20 scripts/bench-streams.sh
#   LOADS="4:5x25 1:4x50" scripts/bench-streams.sh  # K:ROOMSxPUBLISHERS, K streams per publisher
#   PARLEY_BIN=path scripts/bench-streams.sh        # use this binary instead of building one
#   BENCH_OUT=dir scripts/bench-streams.sh          # also keep every loadgen report and the server log in dir
#   ENGINE_NICE=-15 scripts/bench-streams.sh        # diagnostic: renice the media engine's thread (see below)
#   LAYOUT=serve scripts/bench-streams.sh           # gateway, PostgreSQL and node in one process (as `make run`)
#
# LAYOUT=node (the default): `parley media-node` alone on core SERVER_CORE (0), as media nodes are deployed
# (dedicated workers), and `parley serve --no-media` (gateway and embedded PostgreSQL on a fresh data
# directory, nearly idle while streams run) beside `parley loadgen` on core LOADGEN_CORE (1); the node
# measured is the media-node process. LAYOUT=serve: one `parley serve` (gateway, embedded PostgreSQL, one
# media node) pinned to SERVER_CORE with everything it starts, the load generator on LOADGEN_CORE; the node
# measured is the serve process (its PostgreSQL children are not counted). For
# each load, the load generator connects ROOMS × PUBLISHERS publishers (WebRTC over real ICE, DTLS and
# SRTP; each sends a 440 Hz tone as real 20 ms Opus frames, which the node decodes), creates K streams per
# publisher through the REST API (`POST /video/v1/Rooms/{Room}/Streams`, μ-law, inbound track, HTTP Basic
# AccountSid:AuthToken) towards WebSocket consumers it runs itself on 127.0.0.1, waits for every `start`
# and WARMUP seconds, then measures DURATION seconds: media messages received against 50/s per stream,
# sequence gaps, the send jitter |inter-arrival gap − 20 ms| of every stream (p50/p99/p99.9/max), the
# consumer loop's own timer lateness (how much of that jitter the consumer itself could add), and the
# measured process's CPU (utime+stime from /proc over the window).
# Streams per core = streams ÷ that CPU fraction. The publishers then leave, which stops their streams;
# every consumer must get its `stop`. K=0 runs the publishers alone: what the node spends on them before
# any stream (no decoding: a track is decoded only while a stream listens to it).
#
# The gateway allows at most 4 in-progress streams per participant and a group room at most 50
# participants, hence several rooms. Rounds are interleaved (every load once per round), so drift on the
# machine hits every load. Prints one row per run, the medians per load, and a last line of JSON.
#
# ENGINE_NICE renices the media engine's event-loop thread (`NIO-ELT-*` in the measured process) after start:
# a diagnostic, not the measured setup, to show how much of the jitter is the engine waiting for the core
# it shares with the gateway's other threads and PostgreSQL.
set -euo pipefail
export LC_ALL=C

RUNS=${RUNS:-3}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-3}
LOADS=${LOADS:-"4:1x25 4:2x25 4:5x25 4:7x25 1:2x50 1:4x50 1:5x50 0:5x50"}
SERVER_CORE=${SERVER_CORE:-0}
LOADGEN_CORE=${LOADGEN_CORE:-1}
ENGINE_NICE=${ENGINE_NICE:-}
LAYOUT=${LAYOUT:-node}
BENCH_OUT=${BENCH_OUT:-}
PARLEY_BIN=${PARLEY_BIN:-}
SCRATCH_PATH=${SCRATCH_PATH:-.build-bench}   # its own build directory: does not block debug builds in .build

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

# shellcheck source=bench-common.sh
. "$repo/scripts/bench-common.sh"
# The embedded PostgreSQL needs initdb and pg_ctl; Debian keeps them out of PATH.
bench_pg_path
for c in curl taskset awk sort od base64; do
  command -v "$c" >/dev/null 2>&1 || die "'$c' not found (run: scripts/install-deps.sh bench)"
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ && "$DURATION" =~ ^[1-9][0-9]*$ && "$WARMUP" =~ ^[0-9]+$ ]] ||
  die "RUNS and DURATION must be positive integers, WARMUP a non-negative one"
[ "$(nproc)" -gt "$(( SERVER_CORE > LOADGEN_CORE ? SERVER_CORE : LOADGEN_CORE ))" ] ||
  die "cores $SERVER_CORE and $LOADGEN_CORE are needed (SERVER_CORE, LOADGEN_CORE)"
[ "$LAYOUT" = serve ] || [ "$LAYOUT" = node ] || die "LAYOUT is serve or node (is '$LAYOUT')"
for load in $LOADS; do
  [[ "$load" =~ ^[0-4]:[1-9][0-9]*x[1-9][0-9]*$ ]] || die "a load is K:ROOMSxPUBLISHERS with K 0-4 (is '$load')"
  p=${load#*x}
  [ "$p" -le 50 ] || die "a group room holds at most 50 participants (load '$load')"
done

# ---- build ---------------------------------------------------------------------------------
bench_release_binary

# ---- cleanup -------------------------------------------------------------------------------
bench_work_dir streams
server_pid=
node_pid=

# The media node (LAYOUT=node) goes first: it drains its rooms while the gateway and database still run.
stop_all_on_exit() {
  if [ -n "$node_pid" ]; then bench_kill_parley "$node_pid" ""; fi
  bench_stop_server_on_exit
}
trap stop_all_on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ -n "$BENCH_OUT" ]; then mkdir -p "$BENCH_OUT"; fi

# A copy: a rebuild of the tree during the run must not swap the binary under the server.
bin="$work/parley"
cp "$PARLEY_BIN" "$bin"

# ---- server --------------------------------------------------------------------------------
export PARLEY_ACCOUNT_SID="AC$(bench_hex 16)"
export PARLEY_AUTH_TOKEN="$(bench_hex 16)"
port=$(bench_free_port)
base="http://127.0.0.1:$port"
# The rate limiter is off (hundreds of stream creates and ticket requests in a few seconds); the egress
# guard lets the node reach the consumers on loopback.
if [ "$LAYOUT" = serve ]; then
  taskset -c "$SERVER_CORE" "$bin" serve --host 127.0.0.1 --port "$port" --data-dir "$data" --rate-limit-per-second 0 \
    --egress-allow 127.0.0.0/8 >>"$log" 2>&1 </dev/null &
  server_pid=$!
  bench_wait_healthy "$base/health" "$server_pid" "$log"
  measured_pid=$server_pid
else
  taskset -c "$LOADGEN_CORE" "$bin" serve --host 127.0.0.1 --port "$port" --data-dir "$data" --rate-limit-per-second 0 \
    --egress-allow 127.0.0.0/8 --no-media >>"$log" 2>&1 </dev/null &
  server_pid=$!
  bench_wait_healthy "$base/health" "$server_pid" "$log"
  taskset -c "$SERVER_CORE" "$bin" media-node --database-url "postgres://parley@localhost/parley?host=$data/pg/run" \
    --host 127.0.0.1 --port 0 --name bench --egress-allow 127.0.0.0/8 >>"$log" 2>&1 </dev/null &
  node_pid=$!
  for _ in $(seq 1 300); do
    curl -s -u "$PARLEY_ACCOUNT_SID:$PARLEY_AUTH_TOKEN" "$base/media/v1/Nodes?Status=active" | grep -q '"name" *: *"bench"' && break
    kill -0 "$node_pid" 2>/dev/null || { tail -n 20 "$log" >&2; die "the media node exited"; }
    sleep 0.2
  done
  curl -s -u "$PARLEY_ACCOUNT_SID:$PARLEY_AUTH_TOKEN" "$base/media/v1/Nodes?Status=active" | grep -q '"name" *: *"bench"' ||
    { tail -n 20 "$log" >&2; die "the media node did not register"; }
  measured_pid=$node_pid
fi

key_json=$(curl -s -u "$PARLEY_ACCOUNT_SID:$PARLEY_AUTH_TOKEN" -X POST \
  "$base/api/2010-04-01/Accounts/$PARLEY_ACCOUNT_SID/Keys.json" -d FriendlyName=bench-streams)
api_key=$(printf '%s' "$key_json" | grep -o '"sid" *: *"SK[0-9a-f]*"' | sed 's/.*"\(SK[0-9a-f]*\)"$/\1/')
api_secret=$(printf '%s' "$key_json" | grep -o '"secret" *: *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
[ -n "$api_key" ] && [ -n "$api_secret" ] || die "could not create an API key: $key_json"

if [ -n "$ENGINE_NICE" ]; then
  for task in /proc/"$measured_pid"/task/*; do
    if [[ "$(cat "$task/comm")" == NIO-ELT-* ]]; then
      renice -n "$ENGINE_NICE" -p "${task##*/}" >/dev/null
      echo "bench: media engine thread ${task##*/} reniced to $ENGINE_NICE (diagnostic)"
    fi
  done
fi

# cpu_ticks PID: utime+stime of a process, in clock ticks (hz a second).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

echo "bench: $(nproc) cores, LAYOUT=$LAYOUT: the node measured (pid $measured_pid) on core $SERVER_CORE, loadgen on core $LOADGEN_CORE;" \
  "RUNS=$RUNS DURATION=${DURATION}s WARMUP=${WARMUP}s"
echo "bench: loads (K streams per publisher : rooms x publishers): $LOADS"

# ---- runs ----------------------------------------------------------------------------------
# One short unrecorded run first: the server's first rooms, streams and consumer connections (page faults,
# PostgreSQL's caches) are not any load's measurement.
first=${LOADS%% *}
echo "bench: warm-up run ($first, 3 s, not recorded)"
shape=${first#*:}
taskset -c "$LOADGEN_CORE" "$bin" loadgen --gateway "$base" --account-sid "$PARLEY_ACCOUNT_SID" \
  --auth-token "$PARLEY_AUTH_TOKEN" --api-key "$api_key" --api-secret "$api_secret" --room warm-up \
  --rooms "${shape%x*}" -p "${shape#*x}" --streams-per-publisher "${first%%:*}" --duration 3 --warm-up 1 \
  --node-pid "$measured_pid" >"$work/warm-up.txt" 2>&1 || { cat "$work/warm-up.txt" >&2; die "the warm-up run failed"; }

results="$work/results"
: >"$results"
fields="streams node_cpu_pct per_core jitter_p50_ms jitter_p99_ms jitter_p999_ms jitter_max_ms msgs_per_s shortfall_pct gaps reconnects lateness_p99_ms gen_cpu_pct stopped"
printf '%-6s %-7s %7s %6s %8s %8s %8s %8s %8s %8s %8s %7s %5s %4s %8s %7s %9s\n' round load streams idle node_cpu per_core \
  j_p50 j_p99 j_p99.9 j_max msgs/s short% gaps reco c_late99 gen_cpu stopped
failed=0
for round in $(seq 1 "$RUNS"); do
  for load in $LOADS; do
    k=${load%%:*}
    shape=${load#*:}
    rooms=${shape%x*}
    publishers=${shape#*x}
    out="$work/run-$round-${k}-${shape}.txt"
    # The previous run's teardown (hundreds of participants leaving) must be over: wait until the node measured
    # uses under 5% of a core for a second (at most 60 s), then record its CPU over 3 s as "idle".
    for _ in $(seq 1 60); do
      t0=$(cpu_ticks "$measured_pid"); sleep 1; t1=$(cpu_ticks "$measured_pid")
      [ $(( (t1 - t0) * 100 )) -ge $(( 5 * hz )) ] || break
    done
    t0=$(cpu_ticks "$measured_pid"); sleep 3; t1=$(cpu_ticks "$measured_pid")
    idle=$(awk -v d=$(( t1 - t0 )) -v hz="$hz" 'BEGIN { printf "%.1f", 100 * d / hz / 3 }')
    if ! taskset -c "$LOADGEN_CORE" "$bin" loadgen --gateway "$base" --account-sid "$PARLEY_ACCOUNT_SID" \
        --auth-token "$PARLEY_AUTH_TOKEN" --api-key "$api_key" --api-secret "$api_secret" \
        --room "r$round-k$k-$shape" --rooms "$rooms" -p "$publishers" --streams-per-publisher "$k" \
        --duration "$DURATION" --warm-up "$WARMUP" --node-pid "$measured_pid" >"$out" 2>&1; then
      echo "bench: round $round load $load FAILED:" >&2
      tail -n 15 "$out" >&2
      failed=1
      continue
    fi
    [ -z "$BENCH_OUT" ] || cp "$out" "$BENCH_OUT/"
    line=$(grep '^RESULT ' "$out") || { cat "$out" >&2; die "no RESULT line (round $round, load $load)"; }
    # key=value pairs → "round load idle v1 v2 …" in the order of $fields.
    row=$(printf '%s\n' "$line" | awk -v fields="$fields" -v round="$round" -v load="$load" -v idle="$idle" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      n = split(fields, f, " "); s = round " " load " " idle
      for (i = 1; i <= n; i++) s = s " " (f[i] in v ? v[f[i]] : "-")
      print s }')
    echo "$row" >>"$results"
    # round load idle streams cpu per_core j50 j99 j999 jmax msgs shortfall gaps reconnects late99 gen stopped
    printf '%s\n' "$row" | awk '{ printf "%-6s %-7s %7s %5s%% %7s%% %8s %8s %8s %8s %8s %8s %7s %5s %4s %8s %6s%% %9s\n",
      $1, $2, $4, $3, $5, ($4 == 0 ? "-" : $6), $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17 "/" $4 }'
    if [ "$(printf '%s\n' "$row" | awk '{ print ($17 != $4) ? 1 : 0 }')" = 1 ]; then
      echo "bench: round $round load $load: not every consumer got its stop" >&2
      failed=1
    fi
  done
done

# ---- medians -------------------------------------------------------------------------------
# median FILE-COLUMN LOAD: the median of one column over the rounds of a load (the lower middle of an even count).
median() {
  awk -v c="$1" -v load="$2" '$2 == load { print $c }' "$results" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print v[int((NR + 1) / 2)] }'
}
runs_of() {
  awk -v c="$1" -v load="$2" '$2 == load { s = s (s == "" ? "" : " / ") $c } END { print s }' "$results"
}

echo
echo "bench: medians over $RUNS rounds (runs in parentheses; jitter = |gap − 20 ms| per stream, all streams)"
printf '%-7s %7s %-24s %-24s %9s %-26s %9s %8s %10s %9s\n' load streams "node CPU %" "streams/core" "j p50 ms" "j p99 ms" \
  "j p99.9" "j max" "msgs/s" "c_late99"
json="["
for load in $LOADS; do
  n=$(awk -v load="$load" '$2 == load' "$results" | wc -l)
  [ "$n" -gt 0 ] || continue
  streams=$(median 4 "$load")
  cpu=$(median 5 "$load"); per=$(median 6 "$load"); j50=$(median 7 "$load"); j99=$(median 8 "$load")
  j999=$(median 9 "$load"); jmax=$(median 10 "$load"); msgs=$(median 11 "$load"); late=$(median 15 "$load")
  if [ "$streams" = 0 ]; then per="-"; per_runs="-"; else per_runs="($(runs_of 6 "$load"))"; fi
  printf '%-7s %7s %-24s %-24s %9s %-26s %9s %8s %10s %9s\n' "$load" "$streams" "$cpu ($(runs_of 5 "$load"))" \
    "$per $per_runs" "$j50" "$j99 ($(runs_of 8 "$load"))" "$j999" "$jmax" "$msgs" "$late"
  json="$json$( [ "$json" = "[" ] || printf ','){\"load\":\"$load\",\"streams\":$streams,\"node_cpu_pct\":$cpu,\"per_core\":\"$per\",\"jitter_p50_ms\":$j50,\"jitter_p99_ms\":$j99,\"jitter_p999_ms\":$j999,\"jitter_max_ms\":$jmax,\"msgs_per_s\":$msgs,\"runs\":$n}"
done
echo "$json]"
exit "$failed"
