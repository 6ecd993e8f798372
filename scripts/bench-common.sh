# Helpers shared by the benchmark scripts (sourced, not run).

die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

# bench_hex N: N random bytes as lowercase hex.
bench_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# bench_free_port: a TCP port on 127.0.0.1 that was free a moment ago.
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $(( 20000 + RANDOM % 20000 ))
}

# as_pg CMD...: runs CMD as the embedded cluster's owner (`postgres` when we are root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# bench_wait_healthy URL PID LOG: waits until URL answers 200; dies with LOG's tail if PID exits or 90 s pass.
bench_wait_healthy() {
  local url=$1 pid=$2 log=$3 deadline=$(( SECONDS + 90 ))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null)" = "200" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log" >&2; die "parley exited before /health answered (log above)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$log" >&2; die "/health did not answer 200 within 90 s (log above)"
    fi
    sleep 0.2
  done
}

# bench_kill_parley PID DATA: stops parley (SIGTERM: it stops its embedded PostgreSQL itself; SIGKILL
# after 30 s), then makes sure no postgres of data directory DATA outlives it.
bench_kill_parley() {
  local pid=$1 data=$2
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; fi
  [ -n "$data" ] || return 0
  local pidfile pg_ctl
  pidfile=$(find "$data" -maxdepth 4 -name postmaster.pid 2>/dev/null | head -n1)
  [ -n "$pidfile" ] || return 0
  pg_ctl=$(command -v pg_ctl || ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n1)
  if [ -n "$pg_ctl" ]; then as_pg "$pg_ctl" -D "$(dirname "$pidfile")" stop -m immediate -w >/dev/null 2>&1 || true; fi
}

# bench_read_wrk OUT NAME: from wrk's `--latency` output in file OUT, sets rps, p99 (ms) and bad (non-2xx/3xx
# responses plus socket errors).
bench_read_wrk() {
  local out=$1 name=$2 raw
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  raw=$(awk '/Latency Distribution/ { d = 1 } d && $1 == "99%" { print $2; exit }' "$out")
  [ -n "$rps" ] && [ -n "$raw" ] || { cat "$out" >&2; die "could not parse wrk output ($name)"; }
  p99=$(bench_milliseconds "$raw") || die "unknown latency unit in '$raw'"
  bad=$(awk '/Non-2xx or 3xx responses:/ { n += $NF }
             /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
             END { print n + 0 }' "$out")
}

# bench_milliseconds VALUE: a wrk duration (`812.00us`, `1.20ms`, `2.01s`) in milliseconds.
bench_milliseconds() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
    if (f < 0) exit 1
    printf "%.3f", n * f }'
}

# An EXIT trap for a benchmark that runs one server: stops it (and its PostgreSQL), keeps the server log in
# $BENCH_OUT when set, removes the work directory. Reads $server_pid, $data, $log and $work.
bench_stop_server_on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  bench_kill_parley "$server_pid" "$data"
  if [ -n "$BENCH_OUT" ] && [ -f "$log" ]; then cp "$log" "$BENCH_OUT/server.log"; fi
  rm -rf "$work"
  exit "$rc"
}

# bench_pg_path: puts the newest installed PostgreSQL's bin directory on PATH when initdb is not on it.
bench_pg_path() {
  command -v initdb >/dev/null 2>&1 && return 0
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  if [ -n "$bindir" ]; then export PATH="$PATH:$bindir"; fi
}

# bench_release_binary: unless PARLEY_BIN is set, builds the release `parley` in SCRATCH_PATH and sets PARLEY_BIN.
bench_release_binary() {
  if [ -z "${PARLEY_BIN:-}" ]; then
    command -v swift >/dev/null 2>&1 || die "'swift' not found"
    echo "bench: building release (swift build -c release --product parley --scratch-path $SCRATCH_PATH)"
    swift build -c release --product parley --scratch-path "$SCRATCH_PATH"
    PARLEY_BIN="$(swift build -c release --scratch-path "$SCRATCH_PATH" --show-bin-path)/parley"
  fi
  [ -x "$PARLEY_BIN" ] || die "no binary at $PARLEY_BIN"
}

# bench_work_dir NAME: sets work (a fresh directory), data (the server's data directory in it) and log. As root the
# embedded PostgreSQL runs as the `postgres` user, which must reach <data>/pg: others may traverse (not list) both.
bench_work_dir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/parley-bench-$1.XXXXXX")
  chmod 0711 "$work"
  data="$work/data"
  mkdir "$data"
  chmod 0711 "$data"
  log="$work/server.log"
}
