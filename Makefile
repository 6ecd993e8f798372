# Parley: the two set-up commands are `make run` and `make test` (see README.md).
#
#   make run   [PORT=8080 ARGS="..."]     build and serve on 127.0.0.1:PORT, data in .parley/
#   make test                             Swift unit/integration tests, then the Python compatibility suite
#   make build                            build the `parley` product only
#   make bench [RUNS=3]                   load benchmarks: scripts/bench-accounts.sh, scripts/bench-webhooks.sh,
#                                         scripts/bench-streams.sh, scripts/bench-messages.sh, scripts/bench-chat.sh,
#                                         scripts/bench-flows.sh, and the flow interpreter micro-benchmark (Benchmarks/)
#   make fuzz [FUZZ_SECONDS=60]           libFuzzer on the media protocol parsers, FUZZ_SECONDS per harness (Fuzz/run.sh)
#   make fuzz-smoke                       the same for 5 s per harness; `make test` runs it too
#   make clean / make distclean
#
# CONFIG=release switches run/build/test to the release configuration.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CONFIG ?= debug
SWIFT  ?= swift
ARGS   ?=
HOST   ?= 127.0.0.1
PORT   ?= 8080
DATA_DIR ?= .parley

SWIFT_FLAGS := -c $(CONFIG)
BIN_DIR     := .build/$(CONFIG)
PARLEY      := $(CURDIR)/$(BIN_DIR)/parley
VENV_PY     := $(CURDIR)/.venv/bin/python

# Debian keeps initdb/pg_ctl out of PATH; the embedded database needs them. Swift lives in /opt/swift here.
PG_BINDIR := $(lastword $(sort $(wildcard /usr/lib/postgresql/*/bin)))
export PATH := $(PATH)$(if $(PG_BINDIR),:$(PG_BINDIR)):/opt/swift/usr/bin

.PHONY: help deps build build-tests run test test-swift test-compat bench clean distclean

help:
	@sed -n '3,11p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build $(SWIFT_FLAGS) --product parley

build-tests: deps
	$(SWIFT) build $(SWIFT_FLAGS) --build-tests

# The server prints generated owner credentials on its first start only; show them on later starts too.
run: build
	@if [ -f $(DATA_DIR)/credentials ]; then echo "Owner credentials ($(DATA_DIR)/credentials):"; cat $(DATA_DIR)/credentials; fi
	exec $(PARLEY) serve --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR) $(ARGS)

# Both suites always run, so one report shows every failure; the target fails if either did.
test: build-tests
	@rc=0; \
	$(MAKE) --no-print-directory test-swift-only || rc=1; \
	$(MAKE) --no-print-directory test-compat-only || rc=1; \
	$(MAKE) --no-print-directory test-js-only || rc=1; \
	$(MAKE) --no-print-directory fuzz-smoke || rc=1; \
	if [ $$rc -ne 0 ]; then echo "make test: FAILED (see the output above)" >&2; fi; \
	exit $$rc

test-swift: build-tests test-swift-only
test-compat: build-tests test-compat-only

# Swift Testing runs tests in parallel by itself; `--parallel` would only change how XCTest
# cases are scheduled (and hide XCTest's summary), so it is not passed.
.PHONY: test-swift-only test-compat-only test-js-only
test-swift-only:
	$(SWIFT) test $(SWIFT_FLAGS) --skip-build

test-compat-only:
	@[ -f Tests/Compatibility/requirements.txt ] || { echo "make test: Tests/Compatibility/requirements.txt is missing" >&2; exit 1; }
	@[ -x $(VENV_PY) ] || { echo "make test: .venv is missing; run scripts/install-deps.sh" >&2; exit 1; }
	PARLEY_BIN=$(PARLEY) $(VENV_PY) -m pytest Tests/Compatibility -q

# The browser clients' checks, in plain Node (no npm packages).
test-js-only:
	node Clients/test/parley-video.test.mjs
	node Clients/test/parley-chat.test.mjs

# The harnesses build with swiftc alone (no SwiftPM) into .build/fuzz; a crash fails the target and
# names the saved input. See Fuzz/run.sh.
FUZZ_SECONDS ?= 60
.PHONY: fuzz fuzz-smoke
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash Fuzz/run.sh

fuzz-smoke:
	FUZZ_SECONDS=5 bash Fuzz/run.sh

# Every benchmark always runs (see the scripts for their knobs); fails if any did. Here the webhook and
# media streams benchmarks reuse the release build bench-accounts.sh just made in .build instead of their
# own .build-bench.
.PHONY: bench-deps bench-accounts bench-webhooks bench-streams bench-messages bench-chat bench-flows bench-interpreter
bench: bench-deps
	@bash scripts/install-deps.sh bench   # the venv too: the messages benchmark's SMSC and the chat clients are Python
	@rc=0; \
	bash scripts/bench-accounts.sh || rc=1; \
	SCRATCH_PATH=.build bash scripts/bench-webhooks.sh || rc=1; \
	SCRATCH_PATH=.build bash scripts/bench-streams.sh || rc=1; \
	SCRATCH_PATH=.build bash scripts/bench-messages.sh || rc=1; \
	SCRATCH_PATH=.build bash scripts/bench-chat.sh || rc=1; \
	SCRATCH_PATH=.build bash scripts/bench-flows.sh || rc=1; \
	$(MAKE) bench-interpreter || rc=1; \
	exit $$rc

bench-deps:
	@bash scripts/install-deps.sh bench --no-venv

bench-accounts: bench-deps
	bash scripts/bench-accounts.sh

bench-webhooks: bench-deps
	bash scripts/bench-webhooks.sh

bench-streams: bench-deps
	bash scripts/bench-streams.sh

bench-messages:
	bash scripts/install-deps.sh bench
	bash scripts/bench-messages.sh

bench-chat:
	bash scripts/install-deps.sh bench
	bash scripts/bench-chat.sh

bench-flows: bench-deps
	bash scripts/bench-flows.sh

# The interpreter alone, in memory (ordo-one/benchmark; a separate package so `make test` never builds it).
bench-interpreter:
	cd Benchmarks && swift package --allow-writing-to-package-directory benchmark --target FlowInterpreter

clean:
	$(SWIFT) package clean

# Also drops the downloaded package checkouts and the Python venv. Never touches .parley/ (your data).
distclean:
	rm -rf .build .venv
