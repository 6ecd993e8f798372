#!/usr/bin/env bash
# Messages benchmark (issue 7): messages a second from the API accepting them (POST Messages.json, 201) to
# submit_sm on a test SMSC, with the numbers' rate limits lifted, on a release build.
#
#   scripts/bench-messages.sh                      # RUNS=3 runs of DURATION=15 s
#   PARLEY_BIN=path CONNECTIONS=32 scripts/bench-messages.sh
#
# One `parley serve` (embedded PostgreSQL, `--smpp` to the SMSC, rate limiter off) and the test SMSC of the
# compatibility suite (Tests/Compatibility/smsc.py, Python, receipts on) share the machine with wrk, which posts
# messages from NUMBERS numbers (sms_rate 10000: no per-number pacing) over CONNECTIONS connections. Per run:
# the API's accept rate (wrk's requests/s, all 201), the SMSC's submit_sm rate over the same window, and how
# long after the load the last submit_sm came (the queue draining). Prints one row per run, the medians, and the
# messages' statuses at the end (every one should be `delivered`: its receipt was recorded too).
set -euo pipefail
export LC_ALL=C

RUNS=${RUNS:-3}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
NUMBERS=${NUMBERS:-20}
PARLEY_BIN=${PARLEY_BIN:-}
SCRATCH_PATH=${SCRATCH_PATH:-.build-bench}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=bench-common.sh
. "$repo/scripts/bench-common.sh"
bench_pg_path
for c in wrk curl base64 od psql; do command -v "$c" >/dev/null 2>&1 || die "'$c' not found (run: scripts/install-deps.sh bench)"; done
python=${PYTHON:-$repo/.venv/bin/python}
[ -x "$python" ] || die "no Python venv at .venv (run: make test once, or scripts/install-deps.sh)"

bench_release_binary

bench_work_dir messages
server_pid=
smsc_pid=
stop_all() {
  if [ -n "$smsc_pid" ]; then exec 4>&-; wait "$smsc_pid" 2>/dev/null || true; fi
  bench_stop_server_on_exit
}
trap stop_all EXIT
BENCH_OUT=${BENCH_OUT:-}

# ---- the SMSC and the server ----------------------------------------------------------------
mkfifo "$work/smsc.in"
"$python" scripts/bench_smsc.py "$work/smsc.port" <"$work/smsc.in" >"$work/smsc.out" 2>"$work/smsc.err" &
smsc_pid=$!
# Its stdin stays open as long as fd 4 does: no other process may inherit it (`4>&-`).
exec 4>"$work/smsc.in"
for _ in $(seq 1 100); do [ -s "$work/smsc.port" ] && break; sleep 0.1; done
[ -s "$work/smsc.port" ] || { cat "$work/smsc.err" >&2; die "the SMSC did not start"; }
smsc_port=$(cat "$work/smsc.port")

export PARLEY_ACCOUNT_SID="AC$(bench_hex 16)"
export PARLEY_AUTH_TOKEN="$(bench_hex 16)"
port=$(bench_free_port)
base="http://127.0.0.1:$port"
"$PARLEY_BIN" serve --host 127.0.0.1 --port "$port" --data-dir "$data" --rate-limit-per-second 0 \
  --smpp "name=bench,host=127.0.0.1,port=$smsc_port,system-id=parley,password=secret" >>"$log" 2>&1 </dev/null 4>&- &
server_pid=$!
bench_wait_healthy "$base/health" "$server_pid" "$log"

{
  echo "phone_number,iso_country,type,capabilities,connection,sms_rate"
  for i in $(seq 1 "$NUMBERS"); do printf '+1212555%04d,US,local,sms,bench,10000\n' "$i"; done
} >"$work/numbers.csv"
"$PARLEY_BIN" numbers import "$work/numbers.csv" --data-dir "$data" >/dev/null
auth="Basic $(printf '%s:%s' "$PARLEY_ACCOUNT_SID" "$PARLEY_AUTH_TOKEN" | base64 -w0)"
froms=""
for i in $(seq 1 "$NUMBERS"); do
  number=$(printf '+1212555%04d' "$i")
  curl -sf -o /dev/null -H "Authorization: $auth" --data-urlencode "PhoneNumber=$number" \
    "$base/api/2010-04-01/Accounts/$PARLEY_ACCOUNT_SID/IncomingPhoneNumbers.json" || die "could not buy $number"
  froms="$froms\"%2B1212555$(printf '%04d' "$i")\","
done

cat >"$work/post.lua" <<LUA
local froms = { ${froms%,} }
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "$auth"
request = function()
  counter = counter + 1
  local body = "To=%2B1500555" .. string.format("%04d", counter % 10000) .. "&From=" .. froms[(counter % #froms) + 1]
    .. "&Body=Benchmark+message+" .. counter
  return wrk.format(nil, "/api/2010-04-01/Accounts/$PARLEY_ACCOUNT_SID/Messages.json", nil, body)
end
LUA

# ---- runs -----------------------------------------------------------------------------------
echo "bench: $(nproc) cores; wrk -t2 -c$CONNECTIONS -d${DURATION}s; $NUMBERS numbers; SMSC on 127.0.0.1:$smsc_port"
printf '%-4s %12s %12s %10s %12s\n' run accepted/s submitted/s non-2xx drain_s
windows="$work/windows"
: >"$windows"
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s.%N)
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$work/post.lua" "$base/" >"$work/wrk-$run.txt" 2>&1 4>&- || { cat "$work/wrk-$run.txt" >&2; die "wrk failed"; }
  end=$(date +%s.%N)
  echo "$run $start $end $(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk-$run.txt") $(awk '/Non-2xx/ { print $NF }' "$work/wrk-$run.txt")" >>"$windows"
  sleep 10   # let the queue drain before the next run
done
statuses=$(as_pg psql -h "$data/pg/run" -U parley -d parley -Atc \
  "SELECT string_agg(status || ' ' || n, ', ') FROM (SELECT status, count(*) AS n FROM messages GROUP BY 1 ORDER BY 1) s")
exec 4>&-
wait "$smsc_pid" || true
smsc_pid=
"$python" - "$work/smsc.out" "$windows" <<'PY'
import json, statistics, sys
times = json.loads(open(sys.argv[1]).read())["times"]
rows = []
for line in open(sys.argv[2]):
    run, start, end, accepted, *bad = line.split()
    start, end = float(start), float(end)
    inside = [t for t in times if start <= t <= end]
    after = [t for t in times if end < t <= end + 10]
    drain = (max(after) - end) if after else 0.0
    rows.append((int(run), float(accepted), len(inside) / (end - start), int(bad[0]) if bad else 0, drain))
    print(f"{run:<4} {float(accepted):12.0f} {len(inside) / (end - start):12.0f} {rows[-1][3]:10d} {drain:12.2f}")
print(f"median {statistics.median(r[1] for r in rows):8.0f} {statistics.median(r[2] for r in rows):12.0f}"
      f" {'':10} {statistics.median(r[4] for r in rows):12.2f}")
PY
echo "messages by status at the end: $statuses"
