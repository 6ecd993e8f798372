#!/usr/bin/env bash
# Chat benchmark (issue 8): latency from a REST post to its arrival on every connected chat client, and
# sustained messages a second across many conversations, on a release build.
#
#   scripts/bench-chat.sh                  # RUNS=3 rounds of both measurements
#   PARLEY_BIN=path PARTICIPANTS=100 MESSAGES=300 RATE=20 CONVERSATIONS=100 DURATION=15 scripts/bench-chat.sh
#
# One `parley serve` (embedded PostgreSQL, rate limiter off) shares the machine with the load. Latency: one
# conversation with PARTICIPANTS chat participants, each connected over the realtime WebSocket
# (/realtime/v1/Conversations) and subscribed; MESSAGES messages posted one at a time through the REST API at RATE a
# second (scripts/bench_chat.py, asyncio + websockets); every arrival on every socket is a sample, measured from
# just before its POST. Throughput: CONVERSATIONS conversations, each with one connected chat client; wrk (2
# threads, CONNECTIONS connections) posts messages round-robin over them for DURATION seconds; the API's accept rate
# (wrk's requests/s, all 201) and the rate of message_added frames the clients received over the same window.
set -euo pipefail
export LC_ALL=C

RUNS=${RUNS:-3}
PARTICIPANTS=${PARTICIPANTS:-100}
MESSAGES=${MESSAGES:-300}
RATE=${RATE:-20}
CONVERSATIONS=${CONVERSATIONS:-100}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
PARLEY_BIN=${PARLEY_BIN:-}
SCRATCH_PATH=${SCRATCH_PATH:-.build-bench}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=bench-common.sh
. "$repo/scripts/bench-common.sh"
bench_pg_path
for c in wrk curl base64 od; do command -v "$c" >/dev/null 2>&1 || die "'$c' not found (run: scripts/install-deps.sh bench)"; done
python=${PYTHON:-$repo/.venv/bin/python}
[ -x "$python" ] || die "no Python venv at .venv (run: make test once, or scripts/install-deps.sh)"

bench_release_binary

bench_work_dir chat
server_pid=
listener_pid=
stop_all() {
  if [ -n "$listener_pid" ]; then exec 4>&-; wait "$listener_pid" 2>/dev/null || true; fi
  bench_stop_server_on_exit
}
trap stop_all EXIT
BENCH_OUT=${BENCH_OUT:-}

export PARLEY_ACCOUNT_SID="AC$(bench_hex 16)"
export PARLEY_AUTH_TOKEN="$(bench_hex 16)"
port=$(bench_free_port)
base="http://127.0.0.1:$port"
"$PARLEY_BIN" serve --host 127.0.0.1 --port "$port" --data-dir "$data" --rate-limit-per-second 0 >>"$log" 2>&1 </dev/null &
server_pid=$!
bench_wait_healthy "$base/health" "$server_pid" "$log"
auth="Basic $(printf '%s:%s' "$PARLEY_ACCOUNT_SID" "$PARLEY_AUTH_TOKEN" | base64 -w0)"
key_json=$(curl -sf -H "Authorization: $auth" -d FriendlyName=bench "$base/api/2010-04-01/Accounts/$PARLEY_ACCOUNT_SID/Keys.json")
key_sid=$("$python" -c 'import json,sys; print(json.load(sys.stdin)["sid"])' <<<"$key_json")
key_secret=$("$python" -c 'import json,sys; print(json.load(sys.stdin)["secret"])' <<<"$key_json")

"$python" scripts/bench_chat.py setup "$base" "$PARLEY_ACCOUNT_SID" "$PARLEY_AUTH_TOKEN" "$CONVERSATIONS" "$work/sids"
sids_lua=$(awk '{ printf "\"%s\",", $1 }' "$work/sids")
cat >"$work/post.lua" <<LUA
local sids = { ${sids_lua%,} }
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "$auth"
request = function()
  counter = counter + 1
  local sid = sids[(counter % #sids) + 1]
  return wrk.format(nil, "/conversations/v1/Conversations/" .. sid .. "/Messages", nil, "Author=load&Body=Benchmark+message+" .. counter)
end
LUA

echo "bench: $(nproc) cores; latency: $PARTICIPANTS sockets, $MESSAGES messages at $RATE/s; throughput: $CONVERSATIONS conversations, wrk -t2 -c$CONNECTIONS -d${DURATION}s"
printf '%-4s %10s %10s %10s %12s %12s %12s\n' run p50_ms p99_ms max_ms delivered accepted/s received/s
results="$work/results"
: >"$results"
for run in $(seq 1 "$RUNS"); do
  lat=$("$python" scripts/bench_chat.py latency "$base" "$PARLEY_ACCOUNT_SID" "$PARLEY_AUTH_TOKEN" "$key_sid" "$key_secret" \
    "$PARTICIPANTS" "$MESSAGES" "$RATE" 4>&-)

  mkfifo "$work/listen.in.$run"
  "$python" scripts/bench_chat.py listen "$base" "$PARLEY_ACCOUNT_SID" "$key_sid" "$key_secret" "$work/sids" \
    <"$work/listen.in.$run" >"$work/listen.out.$run" 2>"$work/listen.err.$run" &
  listener_pid=$!
  exec 4>"$work/listen.in.$run"
  for _ in $(seq 1 300); do grep -q ready "$work/listen.out.$run" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$work/listen.out.$run" || { cat "$work/listen.err.$run" >&2; die "the listener did not start"; }
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$work/post.lua" "$base/" >"$work/wrk-$run.txt" 2>&1 4>&- || { cat "$work/wrk-$run.txt" >&2; die "wrk failed"; }
  exec 4>&-
  wait "$listener_pid" || true
  listener_pid=
  accepted=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk-$run.txt")
  bad=$(awk '/Non-2xx/ { print $NF }' "$work/wrk-$run.txt")
  [ -z "$bad" ] || die "wrk got $bad non-2xx answers (see $work/wrk-$run.txt)"
  "$python" - "$run" "$lat" "$(tail -n1 "$work/listen.out.$run")" "$accepted" >>"$results" <<'PY'
import json, sys
run, lat, listened, accepted = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), float(sys.argv[4])
span = (listened["last"] - listened["first"]) if listened["first"] else 0
received = listened["delivered"] / span if span else 0
print(json.dumps(dict(run=int(run), p50=lat["p50_ms"], p99=lat["p99_ms"], max=lat["max_ms"],
                      delivered=f'{lat["delivered"]}/{lat["expected"]}', accepted=accepted, received=received)))
PY
  tail -n1 "$results" | "$python" -c '
import json, sys
r = json.load(sys.stdin)
print("%-4d %10.2f %10.2f %10.2f %12s %12.0f %12.0f" % (r["run"], r["p50"], r["p99"], r["max"], r["delivered"], r["accepted"], r["received"]))'
done
"$python" - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
m = lambda k: statistics.median(r[k] for r in rows)
print(f"median {m('p50'):9.2f} {m('p99'):10.2f} {m('max'):10.2f} {'':>12} {m('accepted'):12.0f} {m('received'):12.0f}")
PY
