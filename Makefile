# One command to run Hoglet, one to test it. See README.md.
#   make run    install what is missing, build the web app (web/, npm) and the server (Release)
#               with the web app embedded, serve on 127.0.0.1:8000 with ./data
#   make test   install what is missing, build, run every suite (plain and ASan+UBSan), start the
#               server `make run` builds and send it an event, fuzz briefly
#
# The plain test suites run in build/release, the build `make run` serves from: the binary the
# tests exercise is the one users start, and a fresh clone builds it once, not twice.

JOBS ?= $(shell nproc)
DATA_DIR ?= ./data
LISTEN ?= 127.0.0.1:8000
CMAKE_FLAGS ?=
# ccache hits across checkouts in different directories (CI clones afresh each run).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all build run release-with-tests test test-plain test-asan smoke fuzz bench deps deps-test sdk-deps web format clean

all: build

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

build/release/build.ninja:
	cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DHOGLET_TESTS=OFF \
	  -DHOGLET_BENCH=OFF $(CMAKE_FLAGS)

# The web app (docs/web.md): npm packages from web/package-lock.json, then type-checked and
# bundled into web/dist, which the hoglet build embeds. Rebuilt only when its sources change.
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/build.mjs web/tsconfig.json

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --ignore-scripts --no-audit --no-fund

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run --silent build

web: deps web/dist/index.html

build: deps web build/release/build.ninja
	ninja -C build/release -j $(JOBS) hoglet

run: build
	./build/release/hoglet serve --data-dir $(DATA_DIR) --listen $(LISTEN)

sdk-deps:
	@cd tests/sdk && ([ -d node_modules ] && npm ls --silent >/dev/null 2>&1 || npm ci --ignore-scripts --no-audit --no-fund)

build/asan/build.ninja:
	cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHOGLET_SANITIZE=ON \
	  -DHOGLET_BENCH=OFF $(CMAKE_FLAGS)

build/fuzz/build.ninja:
	cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_CXX_COMPILER=clang++ -DHOGLET_FUZZ=ON -DHOGLET_TESTS=OFF -DHOGLET_BENCH=OFF $(CMAKE_FLAGS)

# Turns tests and benchmarks on in build/release (a `make run` before configured it without).
release-with-tests: deps-test sdk-deps web
	cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DHOGLET_TESTS=ON \
	  -DHOGLET_BENCH=ON $(CMAKE_FLAGS) >/dev/null

test-plain: release-with-tests
	ninja -C build/release -j $(JOBS)
	cd build/release && ctest --output-on-failure -j $(JOBS)

# What `make run` does, checked: build the hoglet it serves, start it, capture an event with
# posthog-node, read it back, stop it with SIGTERM.
smoke: build sdk-deps
	node tests/sdk/smoke_run.mjs build/release/hoglet

test-asan: deps-test sdk-deps web build/asan/build.ninja
	ninja -C build/asan -j $(JOBS)
	cd build/asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

fuzz: deps-test build/fuzz/build.ninja
	ninja -C build/fuzz -j $(JOBS) fuzzers
	scripts/run-fuzzers.sh build/fuzz $${FUZZ_SECONDS:-60}

test: test-plain smoke test-asan fuzz

bench: release-with-tests
	ninja -C build/release -j $(JOBS)
	bench/run.sh build/release

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf build
