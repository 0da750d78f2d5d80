#!/usr/bin/env bash
# The GPU benchmark, for a machine with an NVIDIA GPU: builds the GPU binary,
# runs the conformance suite on the device, times the GPU backend (the Brunel
# network alone, batches of 1, 8 and 64 of it, the per-step overhead of an
# empty network) and the CPU backend on the same machine, and prints a table
# with the goals of issue #3:
#   one Brunel network (12,500 neurons, 15.6 M synapses) at least 10x faster
#   than real time (wall_s/sim_s <= 0.1); a batch of 64 at >= 5e10 events/s.
# Raw output, table included: bench/out/gpu-<date>.txt. Exits non-zero, with
# a message, when there is no GPU (without hanging), or when the build, the
# conformance suite or a benchmark fails.
#
# Usage: bench/gpu.sh                   (or: make bench-gpu)
#        bench/gpu.sh --table RAW_FILE  (the table of an earlier run again)
# Environment: SKIP_CONFORMANCE=1 times only; GO_TEST_TIMEOUT (default 30m)
# bounds each go test.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
export PATH="/usr/local/go/bin:$PATH"
timeout_go="${GO_TEST_TIMEOUT:-30m}"

die() { echo "bench/gpu.sh: $*" >&2; exit 1; }

# metric FILE BENCHMARK UNIT: the value of UNIT on BENCHMARK's result line
# (its name without the -GOMAXPROCS suffix), or nothing.
metric() {
    awk -v name="$2" -v unit="$3" '
        { n = $1; sub(/-[0-9]+$/, "", n) }
        n == name { for (i = 3; i <= NF; i++) if ($i == unit) { print $(i - 1); exit } }' "$1"
}
# fmt VALUE FORMAT: VALUE in printf's FORMAT, or n/a.
fmt() {
    if [[ -n "$1" ]]; then awk -v x="$1" -v f="$2" 'BEGIN { printf f, x }'; else printf 'n/a'; fi
}
# goal VALUE OP LIMIT: "met" or "NOT met" (n/a without a value).
goal() {
    [[ -n "$1" ]] || { printf 'n/a'; return; }
    awk -v x="$1" -v op="$2" -v l="$3" 'BEGIN { ok = (op == "<=") ? x <= l : x >= l; printf (ok ? "met" : "NOT met") }'
}
# conformance RAW: what RAW says of the conformance suite on the device.
conformance() {
    if grep -q '^--- FAIL: TestConformance' "$1"; then echo FAILED
    elif grep -q '^--- PASS: TestConformance' "$1"; then echo passed
    else echo "not run"; fi
}

# table RAW: the summary of a run, from its raw output.
table() {
    local raw="$1" card cpus gpu_wall gpu_ev cpu_wall cpu_ev ratio step_us step_l b ev wall g check_on check_off check
    card="$(sed -n 's/^card: //p' "$raw" | head -n 1)"
    cpus="$(sed -n 's/^cpu: .*(\([0-9]*\) threads)$/\1/p' "$raw" | head -n 1)"
    gpu_wall="$(metric "$raw" BenchmarkGPUBrunel wall_s/sim_s)"
    gpu_ev="$(metric "$raw" BenchmarkGPUBrunel events/s)"
    cpu_wall="$(metric "$raw" BenchmarkBrunel wall_s/sim_s)"
    cpu_ev="$(metric "$raw" BenchmarkBrunel events/s)"
    ratio=""
    if [[ -n "$gpu_wall" && -n "$cpu_wall" ]]; then
        ratio="$(awk -v g="$gpu_wall" -v c="$cpu_wall" 'BEGIN { if (g > 0) print c / g }')"
    fi
    check_on="$(metric "$raw" BenchmarkGPUBrunelFiniteCheck/check=on wall_s/sim_s)"
    check_off="$(metric "$raw" BenchmarkGPUBrunelFiniteCheck/check=off wall_s/sim_s)"
    check=""
    if [[ -n "$check_on" && -n "$check_off" ]]; then
        check="$(awk -v a="$check_on" -v b="$check_off" 'BEGIN { if (b > 0) print 100 * (a / b - 1) }')"
    fi
    step_us="$(metric "$raw" BenchmarkGPUStepOverhead us/step)"
    step_l="$(metric "$raw" BenchmarkGPUStepOverhead launches/step)"
    echo
    echo "## GPU benchmark: ${card:-unknown card}"
    echo
    echo "| measure | GPU | CPU backend (${cpus:-?} threads) | goal |"
    echo "| --- | --- | --- | --- |"
    echo "| Brunel network, wall s per simulated s | $(fmt "$gpu_wall" %.4g) | $(fmt "$cpu_wall" %.4g) | <= 0.1: $(goal "$gpu_wall" '<=' 0.1) |"
    echo "| Brunel network, GPU speed-up over the CPU | $(fmt "$ratio" %.3gx) | 1 | |"
    echo "| Brunel network, recurrent events/s | $(fmt "$gpu_ev" %.3g) | $(fmt "$cpu_ev" %.3g) | |"
    for b in 1 8 64; do
        ev="$(metric "$raw" "BenchmarkGPUBrunelBatch/batch=$b" events/s)"
        wall="$(metric "$raw" "BenchmarkGPUBrunelBatch/batch=$b" wall_s/sim_s)"
        g=""
        [[ "$b" == 64 ]] && g=">= 5e10: $(goal "$ev" '>=' 5e10)"
        echo "| batch of $b: events/s (wall s per simulated s, per network) | $(fmt "$ev" %.3g) ($(fmt "$wall" %.4g)) | | $g |"
    done
    echo "| Brunel network, cost of check_finite (one run each: rerun when noisy) | $(fmt "$check" %.2f%%) | | < 2 %: $(goal "$check" '<=' 2) |"
    echo "| empty network: us per step (launches per step) | $(fmt "$step_us" %.3g) ($(fmt "$step_l" %.3g)) | | |"
    echo
    echo "conformance suite on the device: $(conformance "$raw")"
    echo "raw output: ${raw#"$root"/}"
}

if [[ "${1:-}" == --table ]]; then
    [[ -r "${2:-}" ]] || die "usage: bench/gpu.sh --table bench/out/gpu-DATE.txt"
    table "$2"
    exit 0
fi

# ---- 1. a GPU and its driver, Go, nvcc --------------------------------------
command -v nvidia-smi >/dev/null 2>&1 ||
    die "nvidia-smi not found: this script needs a machine with an NVIDIA GPU and its driver"
if ! card="$(timeout 60 nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1)" ||
    [[ -z "$card" || "$card" == *failed* || "$card" == *"No devices"* ]]; then
    die "no usable GPU; nvidia-smi says: ${card:-nothing}"
fi
card="$(head -n 1 <<<"$card")"
command -v go >/dev/null 2>&1 || die "go not found (Go 1.26 or later is needed)"
bash .ci/install-nvcc || die "nvcc is needed (make gpu compiles against cuda.h and links libcuda)"

mkdir -p "$here/out"
raw="$here/out/gpu-$(date +%Y-%m-%d-%H%M%S).txt"
: >"$raw"
log() { echo "$*" | tee -a "$raw"; }
# run CMD...: runs CMD, its output to the terminal and the raw file.
run() {
    log "\$ $*"
    "$@" 2>&1 | tee -a "$raw"
    return "${PIPESTATUS[0]}"
}

log "# bench/gpu.sh, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "card: $card"
log "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
log "$(go version); $(nvcc --version | tail -n 1)"
log "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//') ($(nproc) threads)"

failed=()

# ---- 2. build; the conformance suite on the device --------------------------
run make gpu || die "make gpu failed (raw output: $raw)"
if [[ "${SKIP_CONFORMANCE:-}" != 1 ]]; then
    run go test -tags cuda -count=1 -timeout "$timeout_go" -v -run Conformance ./gpu/ ||
        failed+=("the conformance suite on the device")
fi

# ---- 3. benchmarks: the GPU, then the CPU backend on the same machine -------
run go test -tags cuda -timeout "$timeout_go" -run XXX -bench GPU -benchtime 1x ./gpu/ ||
    failed+=("the GPU benchmarks")
run go test -timeout "$timeout_go" -run XXX -bench BenchmarkBrunel -benchtime 1x ./bench/ ||
    failed+=("the CPU benchmarks")

# ---- 4. the table -------------------------------------------------------------
summary="$(table "$raw")"
log "$summary"
if ((${#failed[@]})); then
    log "FAILED: ${failed[*]}"
    exit 1
fi
