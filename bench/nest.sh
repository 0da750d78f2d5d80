#!/usr/bin/env bash
# Side by side with NEST: for each config, export the PyNEST script (snn-gpu export nest), run it in
# NEST and run the config in snn-gpu with the same number of threads, then print NEST's build and
# simulation times, ours, their ratio, and the statistics side by side with their errors
# (snn-gpu compare). Where NEST cannot be imported it says so and exits 0.
#
# Usage: bench/nest.sh            (make bench-nest)
# Environment:
#   NEST_PYTHON      Python with NEST 3 and numpy (default python3)
#   NEST_PYTHONPATH  added to PYTHONPATH for it (a NEST installation's site-packages)
#   THREADS          threads for both simulators (default 2)
#   CONFIGS          space-separated CONFIG[:NAME=VALUE,...] entries (--set for both); the default is
#                    every shipped example NEST can run, the large ones scaled down to fit a small machine
#   OUT              folder for scripts and outputs (default bench/out/nest)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

python="${NEST_PYTHON:-python3}"
if [[ -n "${NEST_PYTHONPATH:-}" ]]; then
    export PYTHONPATH="$NEST_PYTHONPATH${PYTHONPATH:+:$PYTHONPATH}"
fi
if ! nest_version="$("$python" -c 'import nest, numpy; print(nest.__version__)' 2>/dev/null | tail -1)"; then
    echo "bench/nest.sh: NEST 3 is not importable with $python (set NEST_PYTHON, NEST_PYTHONPATH): nothing to compare"
    exit 0
fi

THREADS="${THREADS:-2}"
CONFIGS="${CONFIGS:-brunel:order=500 brunel_alpha:order=500 izhikevich_two_populations izhikevich2003 gif_population gif_pop_vs_network gap_junctions_two_neurons microcircuit:scale=0.1}"
OUT="${OUT:-$here/out/nest}"
mkdir -p "$OUT"
bin="$OUT/snn-gpu"
go build -o "$bin" ./cmd/snn-gpu

now() { date +%s.%N; }
# json FILE EXPR: a value of a JSON file (EXPR over j), with the NEST python.
json() { "$python" -c "import json, sys; j = json.load(open(sys.argv[1])); print($2)" "$1"; }

echo "NEST $nest_version ($python) against snn-gpu ($("$bin" --version | head -1)), $THREADS thread(s), $(date -u +%F)"
rows=()
for entry in $CONFIGS; do
    config="${entry%%:*}"
    sets=()
    if [[ "$entry" == *:* ]]; then
        IFS=, read -ra pairs <<<"${entry#*:}"
        for p in "${pairs[@]}"; do sets+=(--set "$p"); done
    fi
    name="$(basename "$config" .toml)${sets[*]:+-$(echo "${entry#*:}" | tr ',=' '__')}"
    script="$OUT/$name.py" ours="$OUT/$name-ours" theirs="$OUT/$name-nest"
    rm -rf "$ours" "$theirs"
    echo
    echo "== $config ${sets[*]:-}"
    "$bin" export nest "$config" "${sets[@]}" -o "$script" >/dev/null
    "$python" "$script" --out "$theirs" --threads "$THREADS" 2>&1 | tail -1
    t0="$(now)"
    "$bin" run "$config" "${sets[@]}" --threads "$THREADS" --out "$ours" -q >/dev/null
    t1="$(now)"
    ours_sim="$(json "$ours/run.json" 'sum(b["wall_s"] for b in j["batches"])')"
    ours_build="$("$python" -c "print($t1 - $t0 - $ours_sim)")"
    nest_build="$(json "$theirs/timing.json" 'j["build_s"]')"
    nest_sim="$(json "$theirs/timing.json" 'j["simulate_s"]')"
    "$bin" compare "$ours" "$theirs" | sed 1,2d || true   # exit 4 flags a difference; the table says which
    rows+=("$("$python" -c "
nb, ns, ob, os_ = $nest_build, $nest_sim, $ours_build, $ours_sim
print(f'| $name | {nb:.2f} | {ns:.2f} | {ob:.2f} | {os_:.2f} | {ns / os_:.1f}x |')")")
done
echo
echo "Seconds; ours: build is the process's wall time less the simulation (loading, construction, output)."
echo "| config | NEST build | NEST simulate | snn-gpu build | snn-gpu simulate | simulate NEST/ours |"
echo "| --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
