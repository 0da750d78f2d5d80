#!/usr/bin/env bash
# make gpu-bundle: builds here, with Go, everything bench/gpu.sh --bundle needs on a GPU machine that has
# no Go toolchain (issue 17): the cuda-tagged test binary of ./gpu (the conformance suite on the device
# and the GPU benchmarks), the CPU benchmarks' test binary (./bench, for the GPU/CPU ratio on the same
# machine), the GPU snn-gpu binary, the example configs, bench/gpu.sh itself and a BUNDLE file saying
# what it holds. Binaries are stripped and gzipped (gpu.sh unpacks them: the GPU binary alone is 50 MiB);
# the folder must stay under 64 MiB (checked).
#
# Usage: bench/bundle.sh [DIR]      (default bin/gpu-bundle; the folder is replaced)
# EMULATED=1 builds the emulated device's test binary (./gpu/emu) and the plain binary instead of the
# CUDA ones: the same script path without a device, to check bench/gpu.sh --bundle where there is no GPU.
# LDFLAGS (from the Makefile) stamps the version.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="/usr/local/go/bin:$PATH"
dir="${1:-bin/gpu-bundle}"
limit=$((64 << 20))

rm -rf "$dir"
mkdir -p "$dir/configs"
ld="-s -w ${LDFLAGS:-}"
if [[ "${EMULATED:-}" == 1 ]]; then
    kind=emulated
    go test -c -trimpath -ldflags "$ld" -o "$dir/gpu.test" ./gpu/emu/
    go build -trimpath -ldflags "$ld" -o "$dir/snn-gpu" ./cmd/snn-gpu
    bench='^BenchmarkEmulated(Brunel|StepOverhead|GapNetwork)$'
    prefix=Emulated
else
    kind=cuda
    go test -c -tags cuda -trimpath -ldflags "$ld" -o "$dir/gpu.test" ./gpu/
    go build -tags cuda -trimpath -ldflags "$ld" -o "$dir/snn-gpu" ./cmd/snn-gpu
    bench='^BenchmarkGPU(Brunel|BrunelFiniteCheck|BrunelBatch|StepOverhead|GapNetwork)$'
    prefix=GPU
fi
go test -c -trimpath -ldflags "$ld" -o "$dir/cpu.test" ./bench/
gzip -9 -n "$dir/gpu.test" "$dir/cpu.test" "$dir/snn-gpu"
cp configs/*.toml "$dir/configs/"
cp bench/gpu.sh "$dir/gpu.sh"
cat > "$dir/BUNDLE" << EOF
# bench/gpu.sh --bundle reads this (KEY=VALUE, shell quoting).
kind=$kind
version='$(git describe --tags --always --dirty 2> /dev/null || echo unknown)'
revision='$(git rev-parse HEAD 2> /dev/null || echo unknown)'
built='$(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname) with $(go version | awk '{print $3, $4}')'
bench_pattern='$bench'
bench_prefix=$prefix
EOF
size="$(du -sb "$dir" | awk '{print $1}')"
((size < limit)) || { echo "bench/bundle.sh: $dir is $((size >> 20)) MiB, over the 64 MiB limit" >&2; exit 1; }
echo "bench/bundle.sh: $kind bundle in $dir: $(awk -v s="$size" 'BEGIN { printf "%.1f MiB", s / 1048576 }') (limit 64 MiB)"
