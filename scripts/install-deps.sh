#!/usr/bin/env bash
# Installs what Parley needs to build, test and run, and nothing that is already there.
#
#   scripts/install-deps.sh            system packages + the Python venv for Tests/Compatibility
#   scripts/install-deps.sh bench      the same, plus the load generator (wrk)
#   scripts/install-deps.sh --no-venv  system packages only
#
# Idempotent: a second run makes no changes and asks no registry. System packages come from
# Debian's apt (apt-get update runs only when something is missing); the venv at .venv is
# (re)built from Tests/Compatibility/requirements.txt only when that file changed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian package names. postgresql brings the server (initdb, pg_ctl, postgres) that
# `parley serve` runs embedded; util-linux brings setpriv/runuser (dropping root to `postgres`).
# nodejs: the browser client's checks; chromium + chromium-driver: the headless browser of the WebRTC tests;
# coturn: the TURN server of the relay test.
packages=(postgresql libssl-dev libsrtp2-dev libopus-dev python3-venv pkg-config util-linux nodejs chromium chromium-driver coturn)
bench_packages=(wrk curl nginx)   # nginx: the local webhook sink of scripts/bench-webhooks.sh

want_venv=1
for arg in "$@"; do
  case "$arg" in
    bench) packages+=("${bench_packages[@]}") ;;
    --no-venv) want_venv=0 ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-deps: unknown argument '$arg' (expected: bench, --no-venv)" >&2; exit 2 ;;
  esac
done

say() { printf 'install-deps: %s\n' "$*"; }
die() { printf 'install-deps: error: %s\n' "$*" >&2; exit 1; }

# Runs a command quietly; on failure shows the tail of its output and exits.
quiet() {
  local what=$1; shift
  local log; log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    printf 'install-deps: error: %s failed: %s\n' "$what" "$*" >&2
    tail -n 40 "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
}

# ---- system packages -------------------------------------------------------------------
is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | cut -c1-2)" = "ii" ]
}

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do
    is_installed "$p" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
      as_root=()
    elif command -v sudo >/dev/null 2>&1; then
      as_root=(sudo -n)   # -n: never prompt (CI has no stdin); fails clearly instead
    else
      die "missing packages: ${missing[*]}; run this script as root (or install sudo)."
    fi
    say "installing ${missing[*]}"
    apt_env=(env DEBIAN_FRONTEND=noninteractive)
    apt_opts=(-y -q -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)
    if ! "${as_root[@]}" "${apt_env[@]}" apt-get "${apt_opts[@]}" update >/dev/null 2>&1; then
      sleep 5   # one retry: mirrors hiccup now and then
      quiet "apt-get update" "${as_root[@]}" "${apt_env[@]}" apt-get "${apt_opts[@]}" update
    fi
    quiet "apt-get install" "${as_root[@]}" "${apt_env[@]}" apt-get "${apt_opts[@]}" \
      install --no-install-recommends "${missing[@]}"
    for p in "${missing[@]}"; do
      is_installed "$p" || die "package $p is still not installed after apt-get install."
    done
  fi
else
  # Not Debian: we cannot install, only check the commands the build and tests use.
  for c in pkg-config setpriv; do
    command -v "$c" >/dev/null 2>&1 ||
      die "no apt-get here and '$c' is missing: install PostgreSQL, pkg-config, util-linux and the OpenSSL, libsrtp2 and libopus development files by hand."
  done
fi

# The embedded database needs the server binaries, which Debian keeps off PATH.
if ! command -v initdb >/dev/null 2>&1 || ! command -v pg_ctl >/dev/null 2>&1; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] && [ -x "$pgbin/pg_ctl" ] ||
    die "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin."
fi
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  die "running as root but there is no 'postgres' user to run the embedded PostgreSQL as."
fi

# ---- Python venv for the compatibility suite --------------------------------------------
req="$repo/Tests/Compatibility/requirements.txt"
venv="$repo/.venv"
stamp="$venv/.requirements.sha256"
if [ "$want_venv" -eq 1 ] && [ -f "$req" ]; then
  python=${PYTHON:-python3}
  command -v "$python" >/dev/null 2>&1 || die "'$python' not found (set PYTHON=/path/to/python3)."
  want=$(sha256sum "$req" | cut -d' ' -f1)
  if ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    rm -rf "$venv"   # absent, or its interpreter is gone: start over (this also drops the stamp)
    say "creating .venv"
    quiet "venv creation" "$python" -m venv "$venv"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing Python requirements into .venv"
    quiet "pip install" "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
    printf '%s\n' "$want" >"$stamp"
  fi
fi
exit 0
