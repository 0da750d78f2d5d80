# snn-gpu: build, run and test. Every target works on a fresh machine with Go
# (1.26); `make bench-brian2` also needs Debian's python3-brian (installed
# by the script when missing and apt is available).

GO      ?= go
BIN     := bin/snn-gpu
GOFLAGS ?=

# The version in run.json and --version: git describe of the tree (and the
# full revision); nothing where git or the history is absent, and the
# binary then says "(devel)".
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null)
REVISION := $(shell git rev-parse HEAD 2>/dev/null)
STAMP    := github.com/snn-gpu/snn-gpu/internal/buildinfo
LDFLAGS  := $(if $(VERSION),-X $(STAMP).version=$(VERSION)) $(if $(REVISION),-X $(STAMP).revision=$(REVISION))

.PHONY: all build run test race vet fuzz readers slurm bench bench-brian2 bench-nest bench-gpu gpu-bundle gpu ptx ptx-check cuda-check clean

all: build

build:
	$(GO) build $(GOFLAGS) -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/snn-gpu

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

# The fuzzers of the config loader, the expressions and --set, FUZZTIME
# each. A crasher is written to configs/testdata/fuzz, where `make test`
# runs it from then on: commit it with the fix.
FUZZTIME ?= 30s
fuzz:
	@for f in FuzzLoad FuzzExpression FuzzSet; do \
	  $(GO) test ./configs/ -run XXX -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) || exit 1; done

# The real-reader check (issue 15): DuckDB, polars and hyparquet (npm, pinned) open every output file of
# the example runs and check schema, row counts and rates (internal/readercheck). Needs Node.js >= 20 and
# the npm registry: in .ci/run, not in make test.
readers:
	bash internal/readercheck/run.sh

# A real single-node SLURM cluster (Debian's munge, slurmctld, slurmd; installed with apt-get when
# missing; root) runs the example sweep as an array job with configs/slurm/sweep.sbatch, requeues a
# task, merges the shards and checks them against the unsharded sweep byte for byte (issue 17).
# SETS="--set order=500 --set t_sim=400" makes it quick. In .ci/run, not in make test.
slurm:
	bash internal/slurmcheck/run.sh

bench:
	$(GO) test -run XXX -bench . -benchtime 1x ./bench/
	$(GO) test -run XXX -bench . ./cpu/ ./rng/ ./analysis/ ./models/

# Every example that NEST can run, exported (snn-gpu export nest), run in NEST and in snn-gpu with the
# same threads: times and statistics side by side. Needs NEST 3 (NEST_PYTHON, NEST_PYTHONPATH); says
# so and succeeds without it.
bench-nest:
	bash bench/nest.sh

# The Brunel network in Brian2 (C++ standalone and cython) next to ours.
bench-brian2:
	bench/compare_brian2.sh

# On a GPU machine with Go: builds the GPU bundle and runs it (bench/gpu.sh): the conformance suite
# on the device, the GPU benchmarks and the CPU backend's beside them, the example sweep on both
# compared, with the goals of issue #3 (results in bench/out/gpu-DATE/). Fails with a message where
# there is no GPU.
bench-gpu:
	bash bench/gpu.sh

# Everything a GPU machine without Go needs, in one folder under 64 MiB (issue 17): cuda-tagged test
# binaries (conformance, GPU benchmarks), the CPU benchmark, the GPU binary, the configs, bench/gpu.sh.
# There: bash BUNDLE/gpu.sh --bundle BUNDLE --out RESULTS. EMULATED=1: the emulated device's instead
# of the CUDA ones, to check the script without a GPU.
BUNDLE ?= bin/gpu-bundle
gpu-bundle:
	LDFLAGS='$(LDFLAGS)' bash bench/bundle.sh $(BUNDLE)

# CUDA: kernels/*.cu to PTX (nvcc from CUDA 11.8: Debian's nvidia-cuda-toolkit).
NVCC      ?= nvcc
PTXFLAGS  := -ptx -arch=compute_70 -fmad=false -prec-div=true -prec-sqrt=true -ftz=false
KERNELS   := $(wildcard kernels/*.cu)
PTX       := $(patsubst kernels/%.cu,kernels/ptx/%.ptx,$(KERNELS))

ptx: $(PTX)

kernels/ptx/%.ptx: kernels/%.cu $(wildcard kernels/*.cuh)
	@mkdir -p kernels/ptx
	$(NVCC) $(PTXFLAGS) -o $@ $<

# The committed PTX must be what the sources give.
ptx-check:
	@rm -rf /tmp/snn-ptx-check && mkdir -p /tmp/snn-ptx-check
	@for f in $(KERNELS); do b=$$(basename $$f .cu); \
	  $(NVCC) $(PTXFLAGS) -o /tmp/snn-ptx-check/$$b.ptx $$f || exit 1; \
	  cmp -s /tmp/snn-ptx-check/$$b.ptx kernels/ptx/$$b.ptx || { echo "kernels/ptx/$$b.ptx is stale: run make ptx"; exit 1; }; done
	@test "$$(ls kernels/ptx/*.ptx | wc -l)" = "$$(ls kernels/*.cu | wc -l)" || { echo "kernels/ptx has PTX without a source"; exit 1; }
	@echo "PTX up to date"

# The GPU binary (for GPU nodes: it exits at start where no driver is found).
gpu:
	$(GO) build -tags cuda -ldflags '$(LDFLAGS)' -o bin/snn-gpu-cuda ./cmd/snn-gpu

# The cuda-tagged code compiles and vets (no GPU needed).
cuda-check:
	$(GO) vet -tags cuda ./...
	$(GO) build -tags cuda -o /dev/null ./cmd/snn-gpu

clean:
	rm -rf bin out
