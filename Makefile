# The two commands: `make run` and `make test`. Each installs what is missing first.
SHELL := /bin/bash
SHARED ?= $(abspath ../shared)
export CBEC_SHARED := $(SHARED)

# Debian packages the build, the tests and the tools need.
APT_PKGS := gcc make pkg-config meson ninja-build python3 \
	libxml2-dev libxml2-utils libssl-dev openssl libsqlite3-dev sqlite3 libpq-dev \
	libmicrohttpd-dev libjansson-dev libcmocka-dev postgresql clang libclang-rt-14-dev curl

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
REL := build/release
TST := build/test
FUZ := build/fuzz

.PHONY: all deps run test soak bench fuzz format clean check-shared

all: $(REL)/cbec

deps: build/.deps-stamp
build/.deps-stamp: Makefile
	@missing=""; for p in $(APT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@mkdir -p build && touch $@

$(REL)/build.ninja: | deps
	meson setup $(REL) --buildtype=release -Db_ndebug=false

$(REL)/cbec: deps $(REL)/build.ninja FORCE
	ninja -C $(REL)

$(TST)/build.ninja: | deps
	meson setup $(TST) -Dshared_dir=$(SHARED) --buildtype=debug -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false

FORCE:

# Run the platform on the embedded store under var/, with demo accounts and a short demo of
# orders going through; then keep serving until Ctrl-C.
PORT ?= 8080
DEMO_CODES := 1234560TST 1234562TST 1234563TST 1234564TST 1234565TST
run: $(REL)/cbec
	@mkdir -p var
	@if [ ! -f var/tokens.json ]; then \
	  echo "creating demo accounts (tokens in var/tokens.json)"; \
	  { echo "{"; for c in $(DEMO_CODES); do \
	      printf '  "%s": "%s",\n' $$c $$($(REL)/cbec account add --db sqlite:var/cbec.db --code $$c); done; \
	    printf '  "REGULATOR": "%s"\n}\n' $$($(REL)/cbec account add --db sqlite:var/cbec.db --code GACC-DEMO --role regulator); \
	  } > var/tokens.json; fi
	@$(REL)/cbec serve --db sqlite:var/cbec.db --listen 127.0.0.1:$(PORT) --port-file var/port \
	  --exchange var/exchange & pid=$$!; \
	  trap 'kill -TERM $$pid 2>/dev/null; wait $$pid' INT TERM; \
	  for i in $$(seq 50); do [ -s var/port ] && break; sleep 0.1; done; \
	  python3 tools/demo.py http://127.0.0.1:$(PORT) var/tokens.json $(SHARED)/domain/samples 8; \
	  echo; echo "cbec is serving on http://127.0.0.1:$(PORT) (API tokens: var/tokens.json; exchange folder: var/exchange)"; \
	  echo "try: curl -H \"Authorization: Bearer \$$(python3 -c 'import json;print(json.load(open(\"var/tokens.json\"))[\"REGULATOR\"])')\" http://127.0.0.1:$(PORT)/api/v1/stats"; \
	  echo "Ctrl-C stops it."; wait $$pid

check-shared:
	@[ -d "$(SHARED)/domain" ] || { echo "error: the domain reference is not at $(SHARED) (clone next to shared/, or make SHARED=path)"; exit 2; }

test: deps check-shared $(TST)/build.ninja
	ninja -C $(TST)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  meson test -C $(TST) --print-errorlogs --num-processes 2; \
	  python3 tests/summary.py $(TST)/meson-logs/testlog.json

# The long form of the reliability suite: kill -9 cycles under load, the whole hostile mix,
# disk-full cycles, slow clients, database restarts, for SOAK_MINUTES split over the stores
# in SOAK_STORES; a summary per store, non-zero on any failure.
SOAK_MINUTES ?= 10
SOAK_STORES ?= sqlite pg
soak: deps check-shared $(TST)/build.ninja
	ninja -C $(TST)
	@per=$$(python3 -c "print($(SOAK_MINUTES) / len('$(SOAK_STORES)'.split()))"); rc=0; \
	for st in $(SOAK_STORES); do \
	  pre=""; [ $$st = pg ] && pre="tests/with_pg.sh"; \
	  CBEC_BIN=$(abspath $(TST))/cbec CBEC_SHARED=$(SHARED) CBEC_SRC=$(CURDIR) CBEC_TEST_STORE=$$st \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    $$pre python3 tests/test_reliability.py --soak $$per || rc=1; \
	done; exit $$rc

bench: $(REL)/cbec
	bash bench/run.sh $(REL) $(SHARED)

fuzz: deps
	[ -f $(FUZ)/build.ninja ] || CC=clang meson setup $(FUZ) --buildtype=debugoptimized -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C $(FUZ)
	mkdir -p $(FUZ)/corpus && cp -n $(SHARED)/domain/samples/*.xml tests/data/broken/*.xml $(FUZ)/corpus/ 2>/dev/null || true
	$(FUZ)/fuzz/fuzz_check -max_total_time=$${FUZZ_SECONDS:-120} -max_len=65536 -timeout=10 $(FUZ)/corpus

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build
