#!/usr/bin/env bash
# Webhook delivery benchmark: sustained deliveries/s to a local sink and enqueue→first-attempt latency,
# measured from the database (deliveries, delivery_attempts), on a release build.
#
#   scripts/bench-webhooks.sh                  # RUNS=3, F=2 subscriptions, 64 subaccounts
#   RUNS=5 BACKLOG_SECONDS=30 scripts/bench-webhooks.sh
#   BENCH_OUT=dir scripts/bench-webhooks.sh    # also keep wrk's raw output, the server and nginx logs in dir
#   PARLEY_BIN=path scripts/bench-webhooks.sh  # use this binary instead of building one
#   PG_STATS=1 scripts/bench-webhooks.sh       # also print each phase's busiest SQL (pg_stat_statements)
#   PG_ANALYZE=1 scripts/bench-webhooks.sh     # ANALYZE before the drain: the drain with fresh planner statistics
#
# Events are `account.updated`: each `POST /api/2010-04-01/Accounts/{Sid}.json` with a new FriendlyName
# writes one event and one delivery per matching subscription (F subscriptions of the owner account, all
# pointing at the sink). Updates go round-robin to ACCOUNTS subaccounts of the owner: one account would
# serialise every update on its row lock and measure that, not the engine. The sink is nginx on loopback
# (`return 200`, one worker, no access log).
#
# Each round starts from a fresh data directory and runs, in order:
#   sink      wrk straight at the nginx sink (POST, ~400-byte body): what loopback HTTP does with the sink alone
#   enqueue0  account updates with zero subscriptions (the API's update rate: enqueue cost baseline)
#   backlog   account updates with F subscriptions and no delivery workers (--delivery-concurrency 0):
#             the events queue up; then the server is stopped (SIGTERM) and started again with workers
#   drain     deliveries/s = delivered / (last date_delivered − first first-attempt start)
#   steady    workers on, account updates paced at STEADY_RATE events/s (a fixed, moderate load):
#             enqueue→first-attempt p50/p99 = attempt 1 started_at − deliveries.date_created
#   load      the same with updates at full speed (-c LOAD_CONNECTIONS): where the knee is
# Every phase gets its own subscriptions (the previous phase's are disabled), so its deliveries are
# told apart by subscription_sid. Whatever the phase, every delivery must be delivered on its first
# attempt with a 200, or the round counts as failed.
#
# wrk, nginx, Parley and PostgreSQL share this machine's cores: compare numbers from one run, or from
# runs on the same machine, not across machines. Each timed phase also prints its CPU split
# (cpu_parley_pg_nginx_other, % of one core): a large "other" means something else was using the
# machine (wrk itself is part of it during the load phases). Prints one row per round and phase, the
# medians, and a last line of JSON for tools.
set -euo pipefail
export LC_ALL=C   # wrk, psql and printf agree on "." as the decimal point

RUNS=${RUNS:-3}
FANOUT=${FANOUT:-2}                     # subscriptions per phase = deliveries per event
ACCOUNTS=${ACCOUNTS:-64}                # subaccounts the updates rotate over
BASE_SECONDS=${BASE_SECONDS:-8}         # each baseline
BACKLOG_SECONDS=${BACKLOG_SECONDS:-20}  # enqueueing with workers off
STEADY_SECONDS=${STEADY_SECONDS:-15}
STEADY_RATE=${STEADY_RATE:-250}         # events/s sent in the steady phase (×FANOUT deliveries/s)
STEADY_CONNECTIONS=${STEADY_CONNECTIONS:-8}
LOAD_SECONDS=${LOAD_SECONDS:-15}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-32}
SINK_CONNECTIONS=${SINK_CONNECTIONS:-64}
THREADS=${THREADS:-2}
DELIVERY_CONCURRENCY=${DELIVERY_CONCURRENCY:-64}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-300}     # seconds a phase may take to deliver everything it queued
BENCH_OUT=${BENCH_OUT:-}
PARLEY_BIN=${PARLEY_BIN:-}
PG_STATS=${PG_STATS:-0}                 # 1: load pg_stat_statements and print each phase's top statements
PG_ANALYZE=${PG_ANALYZE:-0}             # 1: ANALYZE the database once the backlog is queued (fresh planner statistics)
SCRATCH_PATH=${SCRATCH_PATH:-.build-bench}   # its own build directory: does not block debug builds in .build

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

# shellcheck source=bench-common.sh
. "$repo/scripts/bench-common.sh"
for c in wrk curl psql base64 od awk; do
  command -v "$c" >/dev/null 2>&1 || die "'$c' not found (run: scripts/install-deps.sh bench)"
done
nginx=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
[ -n "$nginx" ] || die "nginx not found (run: scripts/install-deps.sh bench)"
for v in RUNS FANOUT ACCOUNTS BASE_SECONDS BACKLOG_SECONDS STEADY_SECONDS STEADY_RATE STEADY_CONNECTIONS \
         LOAD_SECONDS LOAD_CONNECTIONS SINK_CONNECTIONS THREADS DELIVERY_CONCURRENCY DRAIN_TIMEOUT; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (is '${!v}')"
done
[ "$THREADS" -le "$LOAD_CONNECTIONS" ] && [ "$THREADS" -le "$SINK_CONNECTIONS" ] ||
  die "THREADS must not exceed LOAD_CONNECTIONS or SINK_CONNECTIONS"

# ---- build ---------------------------------------------------------------------------------
bench_release_binary
bin=$PARLEY_BIN

# ---- cleanup -------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/parley-bench-wh.XXXXXX")
# As root the embedded PostgreSQL runs as the `postgres` user, which must be able to reach
# <data>/pg: let others traverse (not list) the work directory and the data directories.
chmod 0711 "$work"
server_pid=
nginx_pid=
data=
log=

kill_server() {
  bench_kill_parley "$server_pid" "$data"
  server_pid=
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  kill_server
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true   # graceful: the master stops its worker
    for _ in $(seq 1 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  if [ -n "$BENCH_OUT" ]; then
    cp "$work"/nginx/logs/error.log "$BENCH_OUT/nginx-error.log" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "$BENCH_OUT" ]; then mkdir -p "$BENCH_OUT"; fi

# ---- sink ----------------------------------------------------------------------------------
sink_port=$(bench_free_port)
mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    server {
        listen 127.0.0.1:$sink_port;
        location / { return 200 "ok"; }
    }
}
EOF
"$nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf" >"$work/nginx/logs/stdout.log" 2>&1 </dev/null &
nginx_pid=$!
sink="http://127.0.0.1:$sink_port"
deadline=$(( SECONDS + 10 ))
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -X POST -d x=1 "$sink/hook" 2>/dev/null)" = "200" ]; do
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$work/nginx/logs/"*.log >&2; die "nginx exited (log above)"; }
  [ "$SECONDS" -lt "$deadline" ] || die "the nginx sink did not answer within 10 s"
  sleep 0.1
done

# ---- server --------------------------------------------------------------------------------
export PARLEY_ACCOUNT_SID="AC$(bench_hex 16)"
export PARLEY_AUTH_TOKEN="$(bench_hex 16)"
sid=$PARLEY_ACCOUNT_SID
port=$(bench_free_port)
base="http://127.0.0.1:$port"
auth="Authorization: Basic $(printf '%s:%s' "$PARLEY_ACCOUNT_SID" "$PARLEY_AUTH_TOKEN" | base64 -w0)"

# start_server CONCURRENCY: starts parley on $data (workers off with 0) and waits for /health.
start_server() {
  # The rate limiter is off: a 429 would measure the limiter, not the engine.
  "$bin" serve --host 127.0.0.1 --port "$port" --data-dir "$data" --rate-limit-per-second 0 \
    --egress-allow 127.0.0.0/8 --delivery-concurrency "$1" >>"$log" 2>&1 </dev/null &
  server_pid=$!
  bench_wait_healthy "$base/health" "$server_pid" "$log"
}

# A graceful stop that must succeed (the data directory is used again).
stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  local deadline=$(( SECONDS + 60 ))
  while kill -0 "$server_pid" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 30 "$log" >&2; die "parley did not stop within 60 s of SIGTERM"; }
    sleep 0.2
  done
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# sql QUERY: one query on the embedded database over its unix socket; unaligned, space-separated.
sql() {
  as_pg psql -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -h "$data/pg/run" -U parley -d parley -c "$1"
}

# With PG_STATS=1: pg_stat_statements in the embedded cluster (loaded at its next start; parley
# rewrites only parley.conf, so a line in postgresql.conf stays), reset at a phase's start and its
# busiest statements printed at the end.
pg_stats_enable() {
  [ "$PG_STATS" = 1 ] || return 0
  grep -q '^shared_preload_libraries' "$data/pg/data/postgresql.conf" ||
    printf '%s\n' "shared_preload_libraries = 'pg_stat_statements'" 'pg_stat_statements.track = all' >>"$data/pg/data/postgresql.conf"
}
pg_stats_reset() {
  [ "$PG_STATS" = 1 ] || return 0
  sql "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null &&
    sql "SELECT pg_stat_statements_reset()" >/dev/null ||
    echo "bench: pg_stat_statements is not available" >&2
}
pg_stats_print() {
  [ "$PG_STATS" = 1 ] || return 0
  echo "    calls  total_ms  mean_ms     rows  statement ($1)"
  sql "SELECT lpad(calls::text, 9), lpad(round(total_exec_time)::text, 9), lpad(round(mean_exec_time::numeric, 3)::text, 8),
              lpad(rows::text, 8), left(regexp_replace(query, '\s+', ' ', 'g'), 80)
       FROM pg_stat_statements WHERE query !~* 'pg_stat_statements' ORDER BY total_exec_time DESC LIMIT 8" || true
}

# api METHOD PATH [curl args...]: a call with the owner's credentials that must answer 2xx; prints the body.
api() {
  local method=$1 path=$2 out="$work/api.out" code
  shift 2
  code=$(curl -s -o "$out" -w '%{http_code}' -u "$PARLEY_ACCOUNT_SID:$PARLEY_AUTH_TOKEN" -X "$method" "$base$path" "$@") || true
  [[ "$code" == 2?? ]] || { cat "$out" >&2; echo >&2; die "$method $path answered $code"; }
  cat "$out"
}
json_sid() { grep -o "\"sid\" *: *\"$1[0-9a-f]*\"" | head -n1 | sed 's/.*"\([A-Z][A-Z][0-9a-f]*\)"$/\1/'; }

subs=()   # the current phase's subscriptions
new_subscriptions() {
  local s
  for s in "${subs[@]}"; do api POST "/events/v1/Subscriptions/$s" -d Enabled=false >/dev/null; done
  subs=()
  for _ in $(seq 1 "$FANOUT"); do
    s=$(api POST /events/v1/Subscriptions -d "Url=$sink/hook" -d EventTypes=account.updated | json_sid ES)
    [ -n "$s" ] || die "no subscription sid in the create response"
    subs+=("$s")
  done
}
disable_subscriptions() {
  local s
  for s in "${subs[@]}"; do api POST "/events/v1/Subscriptions/$s" -d Enabled=false >/dev/null; done
  subs=()
}
subs_sql() { local IFS=,; printf "ARRAY['%s']::text[]" "$(printf '%s' "${subs[*]}" | sed "s/,/','/g")"; }

# ---- load ----------------------------------------------------------------------------------
# Account updates: round-robin over the subaccounts, a FriendlyName no request has used before
# (phase tag, thread, counter). Arguments: TAG RATE SID...; with update-paced.lua each thread sends
# RATE requests/s on a schedule kept on the monotonic clock (LuaJIT's FFI, fed to wrk's delay()),
# so the load stays fixed whatever the latency, as long as the connections suffice.
cat >"$work/update.lua" <<'EOF'
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  tag, rate, n, sids = args[1], tonumber(args[2]), 0, {}
  for i = 3, #args do sids[#sids + 1] = args[i] end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
function request()
  n = n + 1
  local path = "/api/2010-04-01/Accounts/" .. sids[(n * 7 + id) % #sids + 1] .. ".json"
  return wrk.format(nil, path, nil, "FriendlyName=" .. tag .. "-" .. id .. "-" .. n)
end
EOF
{ cat "$work/update.lua"; cat <<'EOF'
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local slot = nil
function delay()
  ffi.C.clock_gettime(1, ts)   -- CLOCK_MONOTONIC
  local now = tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  if slot == nil or slot < now - 100 then slot = now end   -- more than 100 ms behind: no burst to catch up
  slot = slot + 1000 / rate
  return math.max(0, math.floor(slot - now))
end
EOF
} >"$work/update-paced.lua"

# A webhook-sized POST for the sink baseline.
payload=$(printf '{"id":"EV%s","type":"account.updated","timestamp":"2026-01-01T00:00:00.000Z","account_sid":"%s","data":{"sid":"%s","friendly_name":"bench-1-1","status":"active","owner_account_sid":"%s","date_created":"2026-01-01T00:00:00.000Z","date_updated":"2026-01-01T00:00:00.000Z"}}' \
  "$(bench_hex 16)" "$sid" "$sid" "$sid")
cat >"$work/sink.lua" <<EOF
wrk.method = "POST"
wrk.body = '$payload'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["webhook-id"] = "EV$(bench_hex 16)"
wrk.headers["webhook-timestamp"] = "1767225600"
wrk.headers["webhook-signature"] = "v1,$(bench_hex 32 | base64 -w0 | cut -c1-44)"
EOF

# run_wrk NAME THREADS CONNECTIONS SECONDS URL [SCRIPT [ARGS...]] -> sets rps, p99, bad
run_wrk() {
  local name=$1 t=$2 c=$3 secs=$4 url=$5 out
  shift 5
  out="$work/wrk-$name.txt"
  local cmd=(wrk -t"$t" -c"$c" -d"${secs}s" --latency)
  if [ $# -ge 1 ]; then
    local script=$1; shift
    cmd+=(-H "$auth" -s "$script" "$url" -- "$@")
  else
    cmd+=("$url")
  fi
  "${cmd[@]}" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  bench_read_wrk "$out" "$name"
  if [ -n "$BENCH_OUT" ]; then cp "$out" "$BENCH_OUT/wrk-$name.txt"; fi
}

# CPU seconds (user + system) used so far by parley, by the embedded PostgreSQL (postmaster and
# its children), by nginx (master and worker), and by the whole machine (all busy time, /proc/stat):
# "parley pg nginx machine". The machine's rest is wrk and anything else running here.
hz=$(getconf CLK_TCK)
ticks() {
  local t=0 p f
  for p in $1; do
    f=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    f=${f##*) }
    # shellcheck disable=SC2086
    set -- $f
    t=$(( t + ${12} + ${13} ))
  done
  echo "$t"
}
cpu_now() {
  local pm pids_pg pids_ng
  pm=$(head -n1 "$data/pg/data/postmaster.pid" 2>/dev/null || true)
  pids_pg=$( { [ -n "$pm" ] && echo "$pm" && ps -o pid= --ppid "$pm"; } 2>/dev/null | tr -d ' ' | tr '\n' ' ' || true)
  pids_ng=$( { echo "$nginx_pid"; ps -o pid= --ppid "$nginx_pid"; } 2>/dev/null | tr -d ' ' | tr '\n' ' ' || true)
  awk -v a="$(ticks "$server_pid")" -v b="$(ticks "$pids_pg")" -v c="$(ticks "$pids_ng")" -v hz="$hz" '
    $1 == "cpu" { busy = $2 + $3 + $4 + $7 + $8 + $9; exit }
    END { printf "%.2f %.2f %.2f %.2f", a / hz, b / hz, c / hz, busy / hz }' /proc/stat
}
# cpu_share BEFORE AFTER SECONDS -> "parley/pg/nginx/other" in % of one core (the machine has $(nproc) × 100%)
cpu_share() {
  awk -v b="$1" -v a="$2" -v s="$3" 'BEGIN { split(b, x, " "); split(a, y, " ")
    p = (y[1] - x[1]) * 100 / s; g = (y[2] - x[2]) * 100 / s; n = (y[3] - x[3]) * 100 / s; m = (y[4] - x[4]) * 100 / s
    o = m - p - g - n; if (o < 0) o = 0
    printf "%.0f/%.0f/%.0f/%.0f", p, g, n, o }'
}
now() { date +%s.%N; }

# Waits until the phase's subscriptions have nothing pending; fails after DRAIN_TIMEOUT.
wait_drained() {
  local deadline=$(( SECONDS + DRAIN_TIMEOUT )) pending
  while true; do
    pending=$(sql "SELECT count(*) FROM deliveries WHERE status = 'pending' AND subscription_sid = ANY($(subs_sql))")
    [ "$pending" -eq 0 ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || die "$pending deliveries still pending after ${DRAIN_TIMEOUT}s"
    sleep 0.5   # the rates come from the database's timestamps, not from this loop
  done
}

# phase_stats -> "deliveries events delivered problems window_s delivered_per_s first_p50 first_p99 first_max lat_p50 lat_p99"
# over the current phase's deliveries. window: first delivery created (or, for the drain, first
# first attempt started) to last delivery recorded. first_*: attempt 1 started_at − date_created, ms.
phase_stats() {
  local from=$1   # SQL for the window start: 'created' or 'attempt'
  sql "
    WITH d AS (SELECT sid, event_sid, status, attempt_count, date_created, date_delivered
               FROM deliveries WHERE subscription_sid = ANY($(subs_sql))),
         a AS (SELECT a.delivery_sid, a.number, a.started_at, a.latency_ms, a.response_code
               FROM delivery_attempts a JOIN d ON d.sid = a.delivery_sid),
         f AS (SELECT extract(epoch FROM a.started_at - d.date_created) * 1000 AS ms
               FROM a JOIN d ON d.sid = a.delivery_sid WHERE a.number = 1),
         w AS (SELECT CASE WHEN '$from' = 'attempt' THEN (SELECT min(started_at) FROM a WHERE number = 1)
                           ELSE (SELECT min(date_created) FROM d) END AS start,
                      (SELECT max(date_delivered) FROM d) AS stop)
    SELECT (SELECT count(*) FROM d), (SELECT count(DISTINCT event_sid) FROM d),
           (SELECT count(*) FROM d WHERE status = 'delivered'),
           (SELECT count(*) FROM d WHERE status <> 'delivered' OR attempt_count <> 1)
             + (SELECT count(*) FROM a WHERE response_code IS DISTINCT FROM 200),
           round(extract(epoch FROM w.stop - w.start)::numeric, 3),
           round(((SELECT count(*) FROM d WHERE status = 'delivered') / nullif(extract(epoch FROM w.stop - w.start), 0))::numeric, 1),
           (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) FROM f),
           (SELECT round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 2) FROM f),
           (SELECT round(max(ms)::numeric, 2) FROM f),
           (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms)::numeric, 2) FROM a),
           (SELECT round(percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms)::numeric, 2) FROM a)
    FROM w"
}

rows="$work/rows"
: >"$rows"
failed=0
# row ROUND PHASE key=value...: prints a table row and keeps it for the medians
row() {
  local r=$1 ph=$2; shift 2
  echo "$r $ph $*" >>"$rows"
  printf '%-3s %-9s %s\n' "$r" "$ph" "$*"
}
check_bad() { if [ "$bad" -ne 0 ]; then echo "bench: $1: $bad failed requests" >&2; failed=1; fi; }

echo "bench: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- Sources Package.swift 2>/dev/null || echo '+changes') on $(nproc) cores; $RUNS rounds;" \
  "F=$FANOUT subscriptions, $ACCOUNTS subaccounts, workers $DELIVERY_CONCURRENCY, sink nginx $sink$([ "$PG_ANALYZE" = 1 ] && echo ', ANALYZE before the drain')"
for r in $(seq 1 "$RUNS"); do
  data="$work/data-$r"
  log="$work/server-$r.log"
  mkdir "$data"; chmod 0711 "$data"
  start_server 0
  [ "$(sql 'SELECT 1')" = "1" ] || die "psql cannot reach the embedded database at $data/pg/run"
  accounts=()
  for i in $(seq 1 "$ACCOUNTS"); do
    accounts+=("$(api POST /api/2010-04-01/Accounts.json -d "FriendlyName=bench-sub-$i" | json_sid AC)")
  done
  [ -n "${accounts[$((ACCOUNTS - 1))]}" ] || die "could not create subaccounts"
  subs=()

  # Baselines: the sink alone, then account updates with nothing subscribed.
  run_wrk "sink-$r" "$THREADS" "$SINK_CONNECTIONS" "$BASE_SECONDS" "$sink/hook" "$work/sink.lua"
  check_bad sink; row "$r" sink "req_s=$rps p99_ms=$p99"
  run_wrk "enqueue0-$r" "$THREADS" "$LOAD_CONNECTIONS" "$BASE_SECONDS" "$base" "$work/update.lua" "e0r$r" 0 "${accounts[@]}"
  check_bad enqueue0; row "$r" enqueue0 "events_s=$rps p99_ms=$p99"

  # Backlog with workers off, then the drain with workers on.
  new_subscriptions
  run_wrk "backlog-$r" "$THREADS" "$LOAD_CONNECTIONS" "$BACKLOG_SECONDS" "$base" "$work/update.lua" "blr$r" 0 "${accounts[@]}"
  check_bad backlog; backlog_rps=$rps
  if [ "$PG_ANALYZE" = 1 ]; then sql "ANALYZE" >/dev/null; fi
  stop_server
  pg_stats_enable
  start_server "$DELIVERY_CONCURRENCY"
  t0=$(now); c0=$(cpu_now)
  pg_stats_reset
  wait_drained
  t1=$(now); c1=$(cpu_now)
  pg_stats_print "round $r drain"
  read -r n ev ok prob win dps f50 f99 fmax l50 l99 <<<"$(phase_stats attempt)"
  [ "$prob" -eq 0 ] || { echo "bench: drain: $prob deliveries not delivered on a first 200" >&2; failed=1; }
  row "$r" backlog "events_s=$backlog_rps deliveries=$n"
  row "$r" drain "deliveries_s=$dps window_s=$win attempt_p50_ms=$l50 attempt_p99_ms=$l99 cpu_parley_pg_nginx_other=$(cpu_share "$c0" "$c1" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")"

  # Latency at a moderate, paced load, then at full load.
  for ph in steady load; do
    new_subscriptions
    pg_stats_reset
    t0=$(now); c0=$(cpu_now)
    if [ "$ph" = steady ]; then
      run_wrk "$ph-$r" 1 "$STEADY_CONNECTIONS" "$STEADY_SECONDS" "$base" "$work/update-paced.lua" "str$r" "$STEADY_RATE" "${accounts[@]}"
    else
      run_wrk "$ph-$r" "$THREADS" "$LOAD_CONNECTIONS" "$LOAD_SECONDS" "$base" "$work/update.lua" "ldr$r" 0 "${accounts[@]}"
    fi
    check_bad "$ph"; ev_rps=$rps; api_p99=$p99
    left=$(sql "SELECT count(*) FROM deliveries WHERE status = 'pending' AND subscription_sid = ANY($(subs_sql))")
    t1=$(now); c1=$(cpu_now)
    wait_drained
    pg_stats_print "round $r $ph"
    read -r n ev ok prob win dps f50 f99 fmax l50 l99 <<<"$(phase_stats created)"
    [ "$prob" -eq 0 ] || { echo "bench: $ph: $prob deliveries not delivered on a first 200" >&2; failed=1; }
    row "$r" "$ph" "events_s=$ev_rps deliveries_s=$dps first_p50_ms=$f50 first_p99_ms=$f99 first_max_ms=$fmax attempt_p50_ms=$l50 attempt_p99_ms=$l99 api_p99_ms=$api_p99 pending_at_end=$left cpu_parley_pg_nginx_other=$(cpu_share "$c0" "$c1" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")"
  done
  disable_subscriptions
  stop_server
  if [ -n "$BENCH_OUT" ]; then cp "$log" "$BENCH_OUT/server-$r.log"; fi
  rm -rf "$data"; data=
done

# ---- medians -------------------------------------------------------------------------------
# median PHASE KEY
median() {
  awk -v p="$2" -v k="$1" '$2 == p { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$rows" |
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { printf "null"; exit }
      printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
sink_rps=$(median req_s sink)
e0=$(median events_s enqueue0)
bl=$(median events_s backlog); bl_n=$(median deliveries backlog)
drain=$(median deliveries_s drain); drain_a50=$(median attempt_p50_ms drain); drain_a99=$(median attempt_p99_ms drain)
st_ev=$(median events_s steady); st_d=$(median deliveries_s steady)
st_f50=$(median first_p50_ms steady); st_f99=$(median first_p99_ms steady); st_fmax=$(median first_max_ms steady)
st_a50=$(median attempt_p50_ms steady); st_a99=$(median attempt_p99_ms steady)
ld_ev=$(median events_s load); ld_d=$(median deliveries_s load)
ld_f50=$(median first_p50_ms load); ld_f99=$(median first_p99_ms load); ld_fmax=$(median first_max_ms load)
ld_a50=$(median attempt_p50_ms load); ld_a99=$(median attempt_p99_ms load)
echo "median:"
printf '  sink baseline       %10s req/s\n' "$sink_rps"
printf '  enqueue, 0 subs     %10s events/s\n' "$e0"
printf '  enqueue, %d subs     %10s events/s (backlog %s deliveries)\n' "$FANOUT" "$bl" "$bl_n"
printf '  drain               %10s deliveries/s   attempt p50 %s ms p99 %s ms\n' "$drain" "$drain_a50" "$drain_a99"
printf '  steady              %10s deliveries/s (%s events/s)   enqueue→first attempt p50 %s ms p99 %s ms max %s ms\n' \
  "$st_d" "$st_ev" "$st_f50" "$st_f99" "$st_fmax"
printf '  load                %10s deliveries/s (%s events/s)   enqueue→first attempt p50 %s ms p99 %s ms max %s ms\n' \
  "$ld_d" "$ld_ev" "$ld_f50" "$ld_f99" "$ld_fmax"

if [ "$failed" -ne 0 ]; then
  echo "bench: some requests or deliveries failed: these numbers do not measure the engine" >&2
fi
printf '{"runs":%d,"fanout":%d,"accounts":%d,"delivery_concurrency":%d,"steady_rate":%d,"pg_analyze":%s,"sink":{"rps_median":%s},"enqueue_no_subscriptions":{"events_per_s_median":%s},"backlog":{"events_per_s_median":%s,"deliveries_median":%s},"drain":{"deliveries_per_s_median":%s,"attempt_p50_ms_median":%s,"attempt_p99_ms_median":%s},"steady":{"events_per_s_median":%s,"deliveries_per_s_median":%s,"first_attempt_p50_ms_median":%s,"first_attempt_p99_ms_median":%s,"first_attempt_max_ms_median":%s,"attempt_p50_ms_median":%s,"attempt_p99_ms_median":%s},"load":{"events_per_s_median":%s,"deliveries_per_s_median":%s,"first_attempt_p50_ms_median":%s,"first_attempt_p99_ms_median":%s,"first_attempt_max_ms_median":%s,"attempt_p50_ms_median":%s,"attempt_p99_ms_median":%s},"errors":%s}\n' \
  "$RUNS" "$FANOUT" "$ACCOUNTS" "$DELIVERY_CONCURRENCY" "$STEADY_RATE" "$([ "$PG_ANALYZE" = 1 ] && echo true || echo false)" "$sink_rps" "$e0" "$bl" "$bl_n" "$drain" "$drain_a50" "$drain_a99" \
  "$st_ev" "$st_d" "$st_f50" "$st_f99" "$st_fmax" "$st_a50" "$st_a99" \
  "$ld_ev" "$ld_d" "$ld_f50" "$ld_f99" "$ld_fmax" "$ld_a50" "$ld_a99" "$([ "$failed" -eq 0 ] && echo false || echo true)"
exit "$failed"
