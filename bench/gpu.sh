#!/usr/bin/env bash
# The GPU check and benchmark, for a machine with an NVIDIA GPU: the conformance suite on the device
# first, then the timings of the GPU backend (the Brunel network alone, batches of 1, 8 and 64 of it,
# the per-step overhead of an empty network) and of the CPU backend on the same machine, then the
# example sweep on the GPU and on the CPU compared by `snn-gpu compare`; a table with the goals of
# issue #3:
#   one Brunel network (12,500 neurons, 15.6 M synapses) at least 10x faster
#   than real time (wall_s/sim_s <= 0.1); a batch of 64 at >= 5e10 events/s;
# and of issue 9: the gap-junction network (500 HH neurons, waveform relaxation) at least 10x faster per
#   point than NEST's fastest single-thread run (wall s per simulated s and point <= 6.2).
#
# Usage: bench/gpu.sh --bundle DIR [--out RESULTS]
#            runs a bundle built elsewhere by `make gpu-bundle` (bench/bundle.sh): no Go, no nvcc and
#            nothing fetched on the GPU machine. Raw output in RESULTS/raw.txt, the table in
#            RESULTS/table.md (RESULTS default: ./gpu-results-DATE). Every step is stopped at its share
#            of BUDGET_S seconds (default 420: well inside a lent device's 8 minutes); a step that
#            would start with less than 15 s left is skipped and reported.
#        bench/gpu.sh      (make bench-gpu) on a GPU machine with Go: builds the bundle (installing
#            nvcc when missing) and runs it, results in bench/out/gpu-DATE/.
#        bench/gpu.sh --table RAW   the table of an earlier run again.
# Environment: BUDGET_S; SKIP_CONFORMANCE=1 times only; SWEEP_SETS, flags for the example sweep (e.g.
# "--set t_sim=300"). A bundle of kind "emulated" (EMULATED=1 make gpu-bundle) runs the same steps on the
# emulated device and the CPU, without a GPU: the check of this script where there is none.
# Exits non-zero, with a message, when there is no GPU (without hanging) or a step fails.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
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

# table RAW [PREFIX]: the summary of a run, from its raw output; PREFIX names the device's benchmarks
# (GPU, or Emulated in an emulated bundle).
table() {
    local raw="$1" p="${2:-GPU}" card cpus gpu_wall gpu_ev cpu_wall cpu_ev ratio step_us step_l b ev wall g check_on check_off check
    card="$(sed -n 's/^card: //p' "$raw" | head -n 1)"
    cpus="$(sed -n 's/^cpu: .*(\([0-9]*\) threads)$/\1/p' "$raw" | head -n 1)"
    gpu_wall="$(metric "$raw" "Benchmark${p}Brunel" wall_s/sim_s)"
    gpu_ev="$(metric "$raw" "Benchmark${p}Brunel" events/s)"
    cpu_wall="$(metric "$raw" BenchmarkBrunel wall_s/sim_s)"
    cpu_ev="$(metric "$raw" BenchmarkBrunel events/s)"
    ratio=""
    if [[ -n "$gpu_wall" && -n "$cpu_wall" ]]; then
        ratio="$(awk -v g="$gpu_wall" -v c="$cpu_wall" 'BEGIN { if (g > 0) print c / g }')"
    fi
    check_on="$(metric "$raw" Benchmark${p}BrunelFiniteCheck/check=on wall_s/sim_s)"
    check_off="$(metric "$raw" Benchmark${p}BrunelFiniteCheck/check=off wall_s/sim_s)"
    check=""
    if [[ -n "$check_on" && -n "$check_off" ]]; then
        check="$(awk -v a="$check_on" -v b="$check_off" 'BEGIN { if (b > 0) print 100 * (a / b - 1) }')"
    fi
    step_us="$(metric "$raw" Benchmark${p}StepOverhead us/step)"
    step_l="$(metric "$raw" Benchmark${p}StepOverhead launches/step)"
    echo
    echo "## GPU benchmark: ${card:-unknown card}"
    echo
    echo "| measure | GPU | CPU backend (${cpus:-?} threads) | goal |"
    echo "| --- | --- | --- | --- |"
    echo "| Brunel network, wall s per simulated s | $(fmt "$gpu_wall" %.4g) | $(fmt "$cpu_wall" %.4g) | <= 0.1: $(goal "$gpu_wall" '<=' 0.1) |"
    echo "| Brunel network, GPU speed-up over the CPU | $(fmt "$ratio" %.3gx) | 1 | |"
    echo "| Brunel network, recurrent events/s | $(fmt "$gpu_ev" %.3g) | $(fmt "$cpu_ev" %.3g) | |"
    for b in 1 8 64; do
        ev="$(metric "$raw" "Benchmark${p}BrunelBatch/batch=$b" events/s)"
        wall="$(metric "$raw" "Benchmark${p}BrunelBatch/batch=$b" wall_s/sim_s)"
        g=""
        [[ "$b" == 64 ]] && g=">= 5e10: $(goal "$ev" '>=' 5e10)"
        echo "| batch of $b: events/s (wall s per simulated s, per network) | $(fmt "$ev" %.3g) ($(fmt "$wall" %.4g)) | | $g |"
    done
    echo "| Brunel network, cost of check_finite (one run each: rerun when noisy) | $(fmt "$check" %.2f%%) | | < 2 %: $(goal "$check" '<=' 2) |"
    echo "| empty network: us per step (launches per step) | $(fmt "$step_us" %.3g) ($(fmt "$step_l" %.3g)) | | |"
    for g in point sweep; do
        wall="$(metric "$raw" "Benchmark${p}GapNetwork/$g" wall_s/sim_s/point)"
        if [[ "$p" == Emulated ]]; then # one point, no sub-benchmarks
            [[ "$g" == point ]] || continue
            wall="$(metric "$raw" "Benchmark${p}GapNetwork" wall_s/sim_s/point)"
        fi
        echo "| gap-junction network ($g): wall s per simulated s and point | $(fmt "$wall" %.4g) | | <= 6.2: $(goal "$wall" '<=' 6.2) |"
    done
    echo
    echo "conformance suite on the device: $(conformance "$raw")"
    echo "example sweep, GPU against CPU (snn-gpu compare): $(sed -n 's/^compare: //p' "$raw" | tail -n 1)"
    echo "raw output: $raw"
}

if [[ "${1:-}" == --table ]]; then
    [[ -r "${2:-}" ]] || die "usage: bench/gpu.sh --table RESULTS/raw.txt"
    table "$2" "$(sed -n 's/^bench prefix: //p' "$2" | head -n 1)"
    exit 0
fi

# gpu_card: the GPU's name, memory and driver, or die.
gpu_card() {
    command -v nvidia-smi >/dev/null 2>&1 ||
        die "nvidia-smi not found: this script needs a machine with an NVIDIA GPU and its driver"
    local card
    if ! card="$(timeout 60 nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1)" ||
        [[ -z "$card" || "$card" == *failed* || "$card" == *"No devices"* ]]; then
        die "no usable GPU; nvidia-smi says: ${card:-nothing}"
    fi
    head -n 1 <<<"$card"
}

if [[ "${1:-}" != --bundle ]]; then
    # With Go: build the bundle here, then run it as a machine without Go would.
    [[ $# == 0 ]] || die "usage: bench/gpu.sh --bundle DIR [--out RESULTS] | bench/gpu.sh | bench/gpu.sh --table RAW"
    gpu_card >/dev/null
    root="$(cd "$here/.." && pwd)"
    command -v go >/dev/null 2>&1 || export PATH="/usr/local/go/bin:$PATH"
    command -v go >/dev/null 2>&1 || die "go not found (Go 1.26 or later builds the bundle; or build it elsewhere: make gpu-bundle)"
    bash "$root/.ci/install-nvcc" || die "nvcc is needed (the GPU binaries compile against cuda.h and link libcuda)"
    make -C "$root" gpu-bundle BUNDLE=bin/gpu-bundle || die "building the bundle failed"
    exec bash "$root/bin/gpu-bundle/gpu.sh" --bundle "$root/bin/gpu-bundle" --out "$root/bench/out/gpu-$(date +%Y-%m-%d-%H%M%S)"
fi

# ---- 1. the bundle, the device, the budget -----------------------------------------------------
bundle="${2:-}"
[[ -n "$bundle" && -r "$bundle/BUNDLE" ]] || die "usage: bench/gpu.sh --bundle DIR [--out RESULTS]: DIR is a folder made by make gpu-bundle (with a BUNDLE file)"
bundle="$(cd "$bundle" && pwd)"
out="$PWD/gpu-results-$(date +%Y-%m-%d-%H%M%S)"
if [[ "${3:-}" == --out ]]; then
    [[ -n "${4:-}" ]] || die "--out needs a folder"
    out="$4"
elif [[ -n "${3:-}" ]]; then
    die "unknown argument ${3}: expected --out RESULTS"
fi
kind="" version="" revision="" built="" bench_pattern="" bench_prefix=""
# shellcheck source=/dev/null
source "$bundle/BUNDLE"
case "$kind" in
cuda) card="$(gpu_card)" || exit 1 ;;
emulated) card="none: the emulated device (a check of this script, not a GPU measurement)" ;;
*) die "$bundle/BUNDLE: kind \"$kind\": expected cuda or emulated" ;;
esac
for f in gpu.test.gz cpu.test.gz snn-gpu.gz configs/brunel_states.toml; do
    [[ -e "$bundle/$f" ]] || die "$bundle lacks $f: build it again with make gpu-bundle"
done
mkdir -p "$out" || die "cannot create $out"
out="$(cd "$out" && pwd)"
# The binaries, unpacked where the steps run (gzip, or Python where there is no gzip).
run="$(mktemp -d -t snn-gpu-bundle.XXXXXX)" || die "no temporary folder"
trap 'rm -rf "$run"' EXIT
for f in gpu.test cpu.test snn-gpu; do
    if command -v gzip >/dev/null 2>&1; then
        gzip -dc "$bundle/$f.gz" >"$run/$f"
    else
        python3 -c 'import gzip, shutil, sys; shutil.copyfileobj(gzip.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$bundle/$f.gz" "$run/$f"
    fi || die "unpacking $f.gz failed"
    chmod +x "$run/$f"
done
ln -s "$bundle/configs" "$run/configs"
raw="$out/raw.txt"
: >"$raw"
budget="${BUDGET_S:-420}"
log() { echo "$*" | tee -a "$raw"; }
failed=()
# step NAME SHARE CMD...: runs CMD in the unpacked bundle, its output to the terminal and the raw file, stopped
# after SHARE seconds or what is left of the budget (less 10 s for the table); skipped with under 15 s.
step() {
    local name="$1" share="$2" left rc
    shift 2
    left=$((budget - SECONDS - 10))
    ((share > left)) && share=$left
    if ((share < 15)); then
        log "skipped: $name (out of time: ${left} s of the ${budget} s budget left)"
        failed+=("$name (skipped: out of time)")
        return 1
    fi
    log "\$ $* (at most $share s)"
    (cd "$run" && timeout -k 10 "$share" "$@") 2>&1 | tee -a "$raw"
    rc="${PIPESTATUS[0]}"
    if ((rc == 124 || rc == 137)); then
        log "stopped: $name after $share s"
        failed+=("$name (stopped after $share s)")
    elif ((rc != 0)); then
        failed+=("$name (exit $rc)")
    fi
    return "$rc"
}

log "# bench/gpu.sh --bundle, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "card: $card"
log "bundle: $kind, snn-gpu $version (revision $revision), built $built"
log "bench prefix: $bench_prefix"
log "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//') ($(nproc) threads)"
log "budget: $budget s"

# ---- 2. the conformance suite on the device --------------------------------------------------
if [[ "${SKIP_CONFORMANCE:-}" != 1 ]]; then
    step "the conformance suite on the device" 200 ./gpu.test -test.run '^TestConformance$' -test.v -test.count=1
fi

# ---- 3. benchmarks: the device, then the CPU backend on the same machine ---------------------
step "the GPU benchmarks" 120 ./gpu.test -test.run '^$' -test.bench "$bench_pattern" -test.benchtime 1x
step "the CPU benchmark" 60 ./cpu.test -test.run '^$' -test.bench '^BenchmarkBrunel$' -test.benchtime 1x

# ---- 4. the example sweep on the GPU binary and on the CPU, compared -------------------------
read -r -a sets <<<"${SWEEP_SETS:-}"
if step "the example sweep on the GPU" 60 ./snn-gpu sweep configs/brunel_states.toml -q "${sets[@]}" --out "$out/sweep-gpu" &&
    step "the example sweep on the CPU" 60 ./snn-gpu sweep configs/brunel_states.toml -q --backend cpu "${sets[@]}" --out "$out/sweep-cpu"; then
    if step "compare" 30 ./snn-gpu compare "$out/sweep-gpu" "$out/sweep-cpu"; then
        log "compare: the same statistics within their errors (exit 0)"
    else
        log "compare: differences (see above)"
    fi
fi

# ---- 5. the table ------------------------------------------------------------------------------
table "$raw" "$bench_prefix" | tee "$out/table.md" | tee -a "$raw"
log "results in $out (raw.txt, table.md, sweep-gpu, sweep-cpu); $SECONDS s in all"
if ((${#failed[@]})); then
    log "FAILED: ${failed[*]}"
    exit 1
fi
