#!/usr/bin/env bash
# make readers: the real-reader check (issue 15, item 2). Builds bin/snn-gpu, runs every example config
# (short t_sim), this folder's own configs (testdata/) and inspect --edges into a temporary folder, installs
# the pinned readers (npm ci: DuckDB, polars, hyparquet, apache-arrow; DuckDB's read_csv for the CSV view),
# runs check.mjs's own tests (check.test.mjs) and then check.mjs on the outputs.
# Needs Node.js >= 20 and the npm registry; it is in .ci/run, not in make test. What check.mjs checks:
# its header. KEEP=1 keeps the outputs (the folder is printed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
export PATH="/usr/local/go/bin:$PATH"

make build
bin=bin/snn-gpu
out="$(mktemp -d -t snn-readers.XXXXXX)"
if [[ "${KEEP:-}" == 1 ]]; then echo "outputs in $out"; else trap 'rm -rf "$out"' EXIT; fi

# Every example as a sweep (all its points), 300 ms: past every [analysis] t_start (200 ms at most).
for cfg in configs/*.toml; do
    name="$(basename "$cfg" .toml)"
    [[ "$name" == connectivity_concepts ]] && continue # no recorders: for inspect
    sets=(--set t_sim=300)
    [[ "$name" == microcircuit ]] && sets+=(--set scale=0.02) # full scale is a benchmark (minutes, GiBs)
    [[ "$name" == hpc_benchmark ]] && sets+=(--set scale=0.02 --set t_sim=100) # 2.5 M synapses; final_weights.parquet
    "$bin" sweep "$cfg" -q "${sets[@]}" --out "$out/$name" > /dev/null
done
# README's single-point run.
"$bin" run configs/brunel.toml -q --set g=6 --set eta=4 --set t_sim=200 --out "$out/run_brunel_g6" > /dev/null
# Every neuron recorded, statistics from 50 ms, a partial recorder, multimeters, Snappy, the NEST and CSV views.
"$bin" sweep internal/readercheck/testdata/all_recorded.toml -q --out "$out/all_recorded" > /dev/null
# A spikes.parquet without rows (a silent population), no multimeter, t_sim swept, a spikes.csv of a header alone.
"$bin" sweep internal/readercheck/testdata/silent.toml -q --out "$out/silent" > /dev/null
# STDP with a weight_recorder: weights.parquet and final_weights.parquet.
"$bin" sweep internal/runner/testdata/stdp_weights.toml -q --out "$out/stdp_weights" > /dev/null
# inspect's tables; Brunel at order 250 (1,250 neurons, 157,500 edges), the format being the same.
"$bin" inspect configs/connectivity_concepts.toml --out "$out/inspect_concepts" --edges > /dev/null
"$bin" inspect configs/brunel.toml --set order=250 --out "$out/inspect_brunel" --edges > /dev/null

cd "$here"
npm ci --no-audit --no-fund --loglevel=error
# First the check's own tests (it finds damage it is shown), then the check.
READERCHECK_DIR="$out/all_recorded" node --test --test-reporter=spec check.test.mjs
node check.mjs "$out"/*
