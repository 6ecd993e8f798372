#!/usr/bin/env bash
# Load benchmark: authenticated `GET /api/2010-04-01/Accounts/{Sid}.json` against a same-run
# baseline of `GET /health` (no auth, one database round trip), on a release build.
#
#   scripts/bench-accounts.sh                 # RUNS=3 DURATION=20 WARMUP=3 CONNECTIONS=64 THREADS=2
#   RUNS=5 DURATION=30 scripts/bench-accounts.sh
#   BENCH_OUT=dir scripts/bench-accounts.sh   # also keep wrk's raw output and the server log in dir
#
# Each round runs both endpoints back to back (interleaved), so drift on the machine hits both.
# The load generator and the server share this machine's cores: compare numbers from one run,
# or from runs on the same machine, not across machines.
# Prints one row per run, the medians, and a last line of JSON for tools.
set -euo pipefail
export LC_ALL=C   # wrk and printf agree on "." as the decimal point

RUNS=${RUNS:-3}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
BENCH_OUT=${BENCH_OUT:-}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

# shellcheck source=bench-common.sh
. "$repo/scripts/bench-common.sh"
for c in wrk curl swift base64 od; do
  command -v "$c" >/dev/null 2>&1 || die "'$c' not found (run: scripts/install-deps.sh bench)"
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ && "$DURATION" =~ ^[1-9][0-9]*$ && "$WARMUP" =~ ^[0-9]+$ ]] ||
  die "RUNS and DURATION must be positive integers, WARMUP a non-negative one"

# ---- build -------------------------------------------------------------------------------
echo "bench: building release (swift build -c release --product parley)"
swift build -c release --product parley
bin="$(swift build -c release --show-bin-path)/parley"
[ -x "$bin" ] || die "no binary at $bin"

# ---- server --------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/parley-bench.XXXXXX")
data="$work/data"
mkdir "$data"
# As root the embedded PostgreSQL runs as the `postgres` user, which must be able to reach
# <data>/pg: let others traverse (not list) the work and data directories.
chmod 0711 "$work" "$data"
log="$work/server.log"
server_pid=

trap bench_stop_server_on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "$BENCH_OUT" ]; then mkdir -p "$BENCH_OUT"; fi

export PARLEY_ACCOUNT_SID="AC$(bench_hex 16)"
export PARLEY_AUTH_TOKEN="$(bench_hex 16)"

port=$(bench_free_port)
base="http://127.0.0.1:$port"

# The rate limiter stays in the request path (so its cost is measured) but with limits far above
# what this machine can send, so it never throttles: a 429 would measure the limiter, not the API.
"$bin" serve --host 127.0.0.1 --port "$port" --data-dir "$data" \
  --rate-limit-per-second 1000000 --rate-limit-burst 1000000 >"$log" 2>&1 </dev/null &
server_pid=$!

echo "bench: waiting for $base/health"
bench_wait_healthy "$base/health" "$server_pid" "$log"

accounts_url="$base/api/2010-04-01/Accounts/$PARLEY_ACCOUNT_SID.json"
health_url="$base/health"
auth="Authorization: Basic $(printf '%s:%s' "$PARLEY_ACCOUNT_SID" "$PARLEY_AUTH_TOKEN" | base64 -w0)"

code=$(curl -s -o "$work/sample.json" -w '%{http_code}' -H "$auth" "$accounts_url")
[ "$code" = "200" ] || { cat "$work/sample.json" >&2; echo >&2; die "sample GET $accounts_url answered $code, not 200"; }
grep -q "\"sid\" *: *\"$PARLEY_ACCOUNT_SID\"" "$work/sample.json" || die "sample response does not carry the account sid"

# ---- load ----------------------------------------------------------------------------------
# run_wrk NAME URL SECONDS [HEADER] -> sets rps, p99, bad (non-2xx/3xx + socket errors)
run_wrk() {
  local name=$1 url=$2 secs=$3 out
  out="$work/wrk-$name.txt"
  if [ $# -ge 4 ]; then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency -H "$4" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  else
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  fi
  bench_read_wrk "$out" "$name"
  if [ -n "$BENCH_OUT" ]; then cp "$out" "$BENCH_OUT/wrk-$name.txt"; fi
}

if [ "$WARMUP" -gt 0 ]; then
  echo "bench: warming up (${WARMUP}s each)"
  run_wrk warmup-accounts "$accounts_url" "$WARMUP" "$auth"
  run_wrk warmup-health "$health_url" "$WARMUP"
fi

echo "bench: $(git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $RUNS runs"
printf '%-4s %-9s %12s %10s %8s\n' run endpoint req/s p99_ms errors
rows="$work/rows"
: >"$rows"
failed=0
for i in $(seq 1 "$RUNS"); do
  run_wrk "accounts-$i" "$accounts_url" "$DURATION" "$auth"
  printf '%-4s %-9s %12.2f %10.3f %8d\n' "$i" accounts "$rps" "$p99" "$bad"
  echo "accounts $rps $p99 $bad" >>"$rows"
  [ "$bad" -eq 0 ] || failed=1
  run_wrk "health-$i" "$health_url" "$DURATION"
  printf '%-4s %-9s %12.2f %10.3f %8d\n' "$i" health "$rps" "$p99" "$bad"
  echo "health $rps $p99 $bad" >>"$rows"
  [ "$bad" -eq 0 ] || failed=1
done

# median COLUMN ENDPOINT
median() {
  awk -v e="$2" -v c="$1" '$1 == e { print $c }' "$rows" | sort -g |
    awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
a_rps=$(median 2 accounts); a_p99=$(median 3 accounts)
h_rps=$(median 2 health);   h_p99=$(median 3 health)
printf '%-4s %-9s %12.2f %10.3f\n' med accounts "$a_rps" "$a_p99"
printf '%-4s %-9s %12.2f %10.3f\n' med health "$h_rps" "$h_p99"

if [ "$failed" -ne 0 ]; then
  echo "bench: some requests failed (non-2xx/3xx or socket errors): these numbers do not measure the API" >&2
fi
printf '{"runs":%d,"duration_s":%d,"connections":%d,"threads":%d,"accounts":{"rps_median":%s,"p99_ms_median":%s},"health":{"rps_median":%s,"p99_ms_median":%s},"errors":%s}\n' \
  "$RUNS" "$DURATION" "$CONNECTIONS" "$THREADS" "$a_rps" "$a_p99" "$h_rps" "$h_p99" "$([ "$failed" -eq 0 ] && echo false || echo true)"
exit "$failed"
