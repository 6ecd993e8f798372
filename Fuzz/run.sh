#!/usr/bin/env bash
# Builds the libFuzzer harnesses of the media protocol parsers and runs each for a while.
#
#   Fuzz/run.sh [harness...]        all harnesses when none is named
#
#   FUZZ_SECONDS=60   how long each harness runs
#   SWIFTC=swiftc     the compiler (falls back to /opt/swift/usr/bin/swiftc)
#
# Each harness compiles with the codec files it exercises (they are standard-library only by design)
# into .build/fuzz/<name>, rebuilt only when a source, the harness or this script is newer. It then
# fuzzes with a scratch corpus, .build/fuzz/corpus-<name>, that keeps growing across runs, plus the
# seeds in Fuzz/corpus/<name>. Every harness runs; the script fails if any crashed, saying where the
# crashing input is. Full libFuzzer output goes to .build/fuzz/<name>.log.
set -euo pipefail

cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
SWIFTC=${SWIFTC:-swiftc}
command -v "$SWIFTC" >/dev/null || SWIFTC=/opt/swift/usr/bin/swiftc
OUT=.build/fuzz
CODECS=Sources/MediaNodes/WebRTC
# The Swift runtime's own backtracer can stall a crashing fuzzer; libFuzzer prints the stack instead.
export SWIFT_BACKTRACE=enable=no

# The codec files of each harness. STUNMessage+Integrity.swift needs swift-crypto and is left out.
declare -A SOURCES=(
    [stun]="$CODECS/Bytes/ByteReader.swift $(ls $CODECS/STUN/*.swift | grep -v '+Integrity') $CODECS/RTP/DatagramKind.swift"
    [rtp]="$CODECS/Bytes/ByteReader.swift $CODECS/RTP/*.swift"
    [rtcp]="$CODECS/Bytes/ByteReader.swift $CODECS/RTP/RTPSequence.swift $CODECS/RTCP/*.swift"
    [sdp]="$CODECS/SDP/*.swift"
    [ice-candidate]="$CODECS/Bytes/ByteReader.swift $CODECS/ICE/ICECandidate.swift $CODECS/STUN/TransportAddress.swift $CODECS/STUN/IPAddressText.swift"
    [rfc4571]="$CODECS/Bytes/ByteReader.swift $CODECS/ICE/RFC4571Framer.swift"
)
declare -A HARNESS=(
    [stun]=STUNFuzz.swift [rtp]=RTPFuzz.swift [rtcp]=RTCPFuzz.swift [sdp]=SDPFuzz.swift
    [ice-candidate]=ICECandidateFuzz.swift [rfc4571]=RFC4571Fuzz.swift
)
# Datagrams stay under a 1500-byte MTU; SDP offers with simulcast run to a few KB.
declare -A MAX_LEN=([stun]=1500 [rtp]=1500 [rtcp]=1500 [sdp]=8192 [ice-candidate]=512 [rfc4571]=4096)
ORDER=(stun rtp rtcp sdp ice-candidate rfc4571)

# Compiles harness $1 unless its binary is newer than its sources and this script (which holds the flags).
build() {
    local name=$1 binary=$OUT/$1
    # shellcheck disable=SC2206  # the source lists are meant to split
    local sources=(${SOURCES[$name]} Fuzz/FuzzSupport.swift "Fuzz/${HARNESS[$name]}")
    if [[ -x $binary && -z $(find "${sources[@]}" Fuzz/run.sh -newer "$binary") ]]; then return 0; fi
    echo "fuzz: building $name"
    # ld.gold warns about every exported local symbol of the sanitizer runtime; those warnings are harmless.
    "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -O -g "${sources[@]}" -o "$binary" 2>&1 \
        | { grep -v 'Cannot export local symbol' || true; }
}

# Runs harness $1 for FUZZ_SECONDS; prints one summary line, or the crash and where its input is.
run() {
    local name=$1 log=$OUT/$1.log corpus=$OUT/corpus-$1
    mkdir -p "$corpus" "$OUT/crashes"
    local status=0
    "$OUT/$name" "$corpus" "Fuzz/corpus/$name" -max_total_time="$FUZZ_SECONDS" -max_len="${MAX_LEN[$name]}" \
        -timeout=10 -artifact_prefix="$OUT/crashes/$name-" -print_final_stats=1 >"$log" 2>&1 || status=$?
    if [[ $status -ne 0 ]]; then
        echo "fuzz: $name FAILED (exit $status); log $log" >&2
        grep -E -A 30 'Fatal error|ERROR: |deadly signal|fuzz check failed' "$log" | head -40 >&2 || true
        grep -o 'Test unit written to .*' "$log" | sed "s/^Test unit written to /fuzz: $name: crashing input: /" >&2 || true
        return 1
    fi
    # "#123 DONE cov: 379 ft: 1057 corp: 171/7590b lim: 1500 exec/s: 62062 rss: 517Mb"
    local done runs
    done=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$')
    awk -v name="$name" -v runs="$runs" -v secs="$FUZZ_SECONDS" '{
        for (i = 1; i <= NF; i++) { if ($i ~ /:$/) f[$i] = $(i + 1) }
        split(f["corp:"], corp, "/")
        printf "fuzz: %-13s %3ss %10s runs %8s exec/s  cov %5s  ft %6s  corpus %5s (%s)\n", name, secs, runs, f["exec/s:"], f["cov:"], f["ft:"], corp[1], corp[2]
    }' <<<"$done"
}

names=("$@")
[[ ${#names[@]} -gt 0 ]] || names=("${ORDER[@]}")
mkdir -p "$OUT"
failed=()
for name in "${names[@]}"; do
    [[ -n ${HARNESS[$name]:-} ]] || { echo "fuzz: no harness $name (have: ${ORDER[*]})" >&2; exit 2; }
    build "$name" || { failed+=("$name (build)"); continue; }
    run "$name" || failed+=("$name")
done
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz: FAILED: ${failed[*]}" >&2
    exit 1
fi
