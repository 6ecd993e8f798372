#!/usr/bin/env bash
# Flows benchmark (issue 9): durable executions started and completed a second through PostgreSQL, on a release
# build. Each request is `POST /studio/v2/Flows/{FW}/Executions` for a new contact of a compute-only flow (trigger →
# set-variables → split → set-variables → end): the execution is created, runs its 4 steps and is stored, ended,
# with its steps, before the 201. The interpreter alone is measured by the micro-benchmark in Benchmarks/.
#
#   scripts/bench-flows.sh                        # RUNS=3 runs of DURATION=15 s
#   PARLEY_BIN=path CONNECTIONS=32 scripts/bench-flows.sh
#
# Baseline in the same run: `GET` of the flow (authenticated, one query), right after each run. Prints one row per run
# (executions/s = wrk's 201s/s, p99 latency, failures; the baseline's requests/s and p99) and the medians, then the
# executions by status in the database (all should be `ended`, with 4 steps each).
set -euo pipefail
export LC_ALL=C

RUNS=${RUNS:-3}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
PARLEY_BIN=${PARLEY_BIN:-}
SCRATCH_PATH=${SCRATCH_PATH:-.build-bench}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=bench-common.sh
. "$repo/scripts/bench-common.sh"
bench_pg_path
for c in wrk curl base64 od psql; do command -v "$c" >/dev/null 2>&1 || die "'$c' not found (run: scripts/install-deps.sh bench)"; done
bench_release_binary

bench_work_dir flows
server_pid=
trap bench_stop_server_on_exit EXIT
BENCH_OUT=${BENCH_OUT:-}

export PARLEY_ACCOUNT_SID="AC$(bench_hex 16)"
export PARLEY_AUTH_TOKEN="$(bench_hex 16)"
port=$(bench_free_port)
base="http://127.0.0.1:$port"
"$PARLEY_BIN" serve --host 127.0.0.1 --port "$port" --data-dir "$data" --rate-limit-per-second 0 >>"$log" 2>&1 </dev/null &
server_pid=$!
bench_wait_healthy "$base/health" "$server_pid" "$log"
auth="Basic $(printf '%s:%s' "$PARLEY_ACCOUNT_SID" "$PARLEY_AUTH_TOKEN" | base64 -w0)"

definition='{"description":"bench","initial_state":"Trigger","flags":{"allow_concurrent_calls":true},"states":[
 {"name":"Trigger","type":"trigger","properties":{},"transitions":[{"event":"incomingRequest","next":"remember"}]},
 {"name":"remember","type":"set-variables","properties":{"variables":[{"key":"tier","value":"{{flow.data.tier | default: \"basic\" | downcase}}"}]},
  "transitions":[{"event":"next","next":"route"}]},
 {"name":"route","type":"split-based-on","properties":{"input":"{{flow.variables.tier}}"},"transitions":[
  {"event":"noMatch","next":"greet"},
  {"event":"match","next":"greet","conditions":[{"friendly_name":"gold","arguments":["{{flow.variables.tier}}"],"type":"equal_to","value":"gold"}]}]},
 {"name":"greet","type":"set-variables","properties":{"variables":[{"key":"greeting","value":"Hello {{contact.channel.address}}, {{flow.variables.tier}}"}]},
  "transitions":[{"event":"next"}]}]}'
flow=$(curl -sf -H "Authorization: $auth" --data-urlencode "FriendlyName=bench" --data-urlencode "Status=published" \
  --data-urlencode "Definition=$definition" "$base/studio/v2/Flows" | sed -n 's/.*"sid": *"\(FW[0-9a-f]*\)".*/\1/p')
[ -n "$flow" ] || die "could not create the flow"

cat >"$work/post.lua" <<LUA
local counter = 0
local thread_id = 0
function setup(thread)
  thread_id = thread_id + 1
  thread:set("prefix", tostring(thread_id))
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "$auth"
request = function()
  counter = counter + 1
  -- A new contact every time: one active execution per contact is Studio's rule.
  local body = "To=%2B1" .. prefix .. string.format("%09d", counter) .. "&From=%2B15005550006&Parameters=%7B%22tier%22%3A%22Gold%22%7D"
  return wrk.format(nil, "/studio/v2/Flows/$flow/Executions", nil, body)
end
LUA

echo "bench: $(nproc) cores; wrk -t2 -c$CONNECTIONS -d${DURATION}s; flow $flow"
printf '%-4s %14s %10s %8s %14s %10s\n' run executions/s p99_ms failed baseline_rps base_p99
results="$work/results"
: >"$results"
for run in $(seq 1 "$RUNS"); do
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/post.lua" "$base/" >"$work/wrk-$run.txt" 2>&1 || { cat "$work/wrk-$run.txt" >&2; die "wrk failed"; }
  bench_read_wrk "$work/wrk-$run.txt" "run $run"
  exec_rps=$rps exec_p99=$p99 exec_bad=$bad
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: $auth" "$base/studio/v2/Flows/$flow" >"$work/base-$run.txt" 2>&1 \
    || { cat "$work/base-$run.txt" >&2; die "wrk failed"; }
  bench_read_wrk "$work/base-$run.txt" "baseline $run"
  printf '%-4s %14.0f %10.2f %8d %14.0f %10.2f\n' "$run" "$exec_rps" "$exec_p99" "$exec_bad" "$rps" "$p99"
  echo "$exec_rps $rps" >>"$results"
done
median() { cut -d' ' -f"$1" "$results" | sort -n | awk '{ r[NR] = $1 } END { print r[int((NR + 1) / 2)] }'; }
printf 'median %10.0f %28.0f\n' "$(median 1)" "$(median 2)"
as_pg psql -h "$data/pg/run" -U parley -d parley -Atc \
  "SELECT 'executions by status at the end: ' || string_agg(status || ' ' || n, ', ') FROM (SELECT status, count(*) AS n FROM flow_executions GROUP BY 1 ORDER BY 1) s"
as_pg psql -h "$data/pg/run" -U parley -d parley -Atc \
  "SELECT 'steps per execution: ' || string_agg(steps || ' steps × ' || n, ', ') FROM (SELECT steps, count(*) AS n FROM (SELECT count(*) AS steps FROM flow_steps GROUP BY execution_sid) c GROUP BY 1) s"
