# snn-gpu: build, run and test. Every target works on a fresh machine with Go
# (1.26); `make bench-brian2` also needs Debian's python3-brian (installed
# by the script when missing and apt is available).

GO      ?= go
BIN     := bin/snn-gpu
GOFLAGS ?=

.PHONY: all build run test race vet bench bench-brian2 gpu clean

all: build

build:
	$(GO) build $(GOFLAGS) -o $(BIN) ./cmd/snn-gpu

# The main job: the four states of Brunel (2000) Fig. 8 from the embedded
# example config, on all CPU cores; prints the summary table.
run: build
	$(BIN) sweep configs/brunel_states.toml --out out/brunel_states

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

# Every test, including the validation of whole networks against the papers
# and NEST's examples (about a minute on two cores).
test: vet
	$(GO) test -timeout 30m ./...

# The race detector over the fast tests (validation is skipped with -short).
race:
	$(GO) test -race -short -timeout 30m ./...

bench:
	$(GO) test -run XXX -bench . -benchtime 1x ./bench/
	$(GO) test -run XXX -bench . ./cpu/ ./rng/ ./analysis/

# The Brunel network in Brian2 (C++ standalone and cython) next to ours.
bench-brian2:
	bench/compare_brian2.sh

# The CUDA backend (issue #3) is not there yet: say so instead of failing
# somewhere deep in a build.
gpu:
	@echo "make gpu: the CUDA backend is not implemented yet; use the CPU backend (make build)" >&2; exit 1

clean:
	rm -rf bin out
