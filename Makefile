# One command to run Hoglet, one to test it. See README.md.
#   make run    install what is missing, build (Release), serve on 127.0.0.1:8000 with ./data
#   make test   install what is missing, build, run every suite (plain and ASan+UBSan), fuzz briefly

JOBS ?= $(shell nproc)
DATA_DIR ?= ./data
LISTEN ?= 127.0.0.1:8000
CMAKE_FLAGS ?=
# ccache hits across checkouts in different directories (CI clones afresh each run).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all build run test test-plain test-asan fuzz bench deps deps-test sdk-deps format clean

all: build

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

build/release/build.ninja:
	cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DHOGLET_TESTS=OFF \
	  -DHOGLET_BENCH=OFF $(CMAKE_FLAGS)

build: deps build/release/build.ninja
	ninja -C build/release -j $(JOBS) hoglet

run: build
	./build/release/hoglet serve --data-dir $(DATA_DIR) --listen $(LISTEN)

sdk-deps:
	@cd tests/sdk && ([ -d node_modules ] && npm ls --silent >/dev/null 2>&1 || npm ci --no-audit --no-fund)

build/test/build.ninja:
	cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build/asan/build.ninja:
	cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHOGLET_SANITIZE=ON \
	  -DHOGLET_BENCH=OFF $(CMAKE_FLAGS)

build/fuzz/build.ninja:
	cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_CXX_COMPILER=clang++ -DHOGLET_FUZZ=ON -DHOGLET_TESTS=OFF -DHOGLET_BENCH=OFF $(CMAKE_FLAGS)

test-plain: deps-test sdk-deps build/test/build.ninja
	ninja -C build/test -j $(JOBS)
	cd build/test && ctest --output-on-failure -j $(JOBS)

test-asan: deps-test sdk-deps build/asan/build.ninja
	ninja -C build/asan -j $(JOBS)
	cd build/asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

fuzz: deps-test build/fuzz/build.ninja
	ninja -C build/fuzz -j $(JOBS) fuzzers
	scripts/run-fuzzers.sh build/fuzz $${FUZZ_SECONDS:-60}

test: test-plain test-asan fuzz

bench: deps-test build/test/build.ninja
	ninja -C build/test -j $(JOBS)
	bench/run.sh build/test

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf build
