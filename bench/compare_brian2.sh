#!/usr/bin/env bash
# Side-by-side timing: Brian2 (bench/brian2_brunel.py) versus our Go simulator
# on NEST's brunel_delta_nest.py network (order 2500, 1 s simulated by default).
#
# Usage: bench/compare_brian2.sh [GO_BENCH_OUTPUT]
#   GO_BENCH_OUTPUT  optional file holding the output of
#                      go test -run XXX -bench BenchmarkBrunel -benchtime 1x ./bench/
#                    If omitted, that command is run here (output saved in
#                    bench/out/go_bench.txt).  Its `wall_s/sim_s` metric is
#                    compared with Brian2's simulation-loop seconds per
#                    simulated second.
# Environment:
#   ORDER (2500), T_SIM ms (1000), SEED (1)   network / run for Brian2
#   BRIAN2_ARGS   extra arguments for brian2_brunel.py (e.g. "--v-reset 10")
#   SKIP_CYTHON=1 skip the (slow) Brian2 cython run
#   PYTHON        interpreter with brian2 (default: /usr/bin/python3 if it has
#                 brian2, else python3)
# Brian2 runs: cpp_standalone with 1 and $(nproc) OpenMP threads, and cython.
# The Go benchmark must simulate the same network and duration (it is not
# configured from here); check its parameters before quoting the ratio.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

ORDER="${ORDER:-2500}"
T_SIM="${T_SIM:-1000}"
SEED="${SEED:-1}"
BRIAN2_ARGS="${BRIAN2_ARGS:-}"
out="$here/out"
build="$here/brian2_build"
mkdir -p "$out" "$build"

# A fresh machine: install Debian's Brian2 when we can (root with apt).
if ! /usr/bin/python3 -c 'import brian2' >/dev/null 2>&1 && [[ -z "${PYTHON:-}" ]] \
    && command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
    echo "installing Debian's python3-brian ..." >&2
    apt-get install -y -q python3-brian >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q python3-brian >/dev/null; }
fi
if [[ -z "${PYTHON:-}" ]]; then
    if /usr/bin/python3 -c 'import brian2' >/dev/null 2>&1; then
        PYTHON=/usr/bin/python3
    else
        PYTHON=python3
    fi
fi
if ! "$PYTHON" -c 'import brian2' >/dev/null 2>&1; then
    echo "error: $PYTHON cannot import brian2 (apt-get install -y python3-brian)" >&2
    exit 1
fi

go_cmd=(go test -run XXX -bench BenchmarkBrunel -benchtime 1x ./bench/)
go_out="${1:-}"

# ---- 1. our Go benchmark: check first that it exists (fail fast) ----------
if [[ -n "$go_out" ]]; then
    [[ -r "$go_out" ]] || { echo "error: cannot read $go_out" >&2; exit 1; }
else
    if ! list_out="$(go test -list 'BenchmarkBrunel' ./bench/ 2>&1)" \
        || ! grep -q '^BenchmarkBrunel' <<<"$list_out"; then
        echo "error: the Go benchmark BenchmarkBrunel does not exist (yet) in ./bench/." >&2
        echo "       '${go_cmd[*]}' cannot run; 'go test -list' said:" >&2
        sed 's/^/       /' <<<"$list_out" >&2
        echo "       Pass a file with its output as the first argument once it exists." >&2
        exit 2
    fi
fi

# ---- 2. Brian2 runs ---------------------------------------------------------
np="$(nproc)"
configs=("cpp_standalone 1")
[[ "$np" -gt 1 ]] && configs+=("cpp_standalone $np")
[[ "${SKIP_CYTHON:-0}" == 1 ]] || configs+=("cython 1")

b2json="$out/brian2_runs.jsonl"
: >"$b2json"
for c in "${configs[@]}"; do
    read -r target threads <<<"$c"
    echo ">> brian2 $target threads=$threads order=$ORDER t_sim=${T_SIM}ms $BRIAN2_ARGS" >&2
    # shellcheck disable=SC2086
    "$PYTHON" "$here/brian2_brunel.py" --target "$target" --threads "$threads" \
        --order "$ORDER" --t-sim "$T_SIM" --seed "$SEED" --build-dir "$build" \
        $BRIAN2_ARGS --json | tail -n 1 >>"$b2json"
done

# ---- 3. our Go benchmark ----------------------------------------------------
if [[ -z "$go_out" ]]; then
    go_out="$out/go_bench.txt"
    echo ">> ${go_cmd[*]}" >&2
    if ! "${go_cmd[@]}" 2>&1 | tee "$go_out" >&2; then
        echo "error: the Go benchmark failed (output in $go_out)" >&2
        exit 1
    fi
fi

# ---- 4. table ---------------------------------------------------------------
"$PYTHON" - "$b2json" "$go_out" <<'EOF'
import json, re, sys
b2 = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
text = open(sys.argv[2]).read()
# -bench BenchmarkBrunel is a regexp: it also runs BenchmarkBrunelOneThread and
# BenchmarkBrunelBatch.  Keep every variant; the plain one is "ours".
go = {}
for line in text.splitlines():
    f = line.split()
    m = re.match(r'^(BenchmarkBrunel\w*?)(?:-(\d+))?$', f[0]) if f else None
    if not m:
        continue
    # metrics come as "<value> <unit>" pairs after the iteration count
    metrics = {f[k + 1]: f[k] for k in range(2, len(f) - 1, 2)}
    if 'wall_s/sim_s' not in metrics:
        continue
    threads = {'BenchmarkBrunelOneThread': '1'}.get(m.group(1), m.group(2) or '-')
    ev = metrics.get('events/s')
    go[m.group(1)] = dict(name=f[0], threads=threads,
                          loop=float(metrics['wall_s/sim_s']),
                          ev=float(ev) if ev else None)
ours = go.get('BenchmarkBrunel')
if ours is None:
    sys.exit('error: no BenchmarkBrunel line with a wall_s/sim_s metric in %s'
             % sys.argv[2])
one = go.get('BenchmarkBrunelOneThread')
fmt = '%-9s %-15s %7s %13s %10s %10s %12s %11s'
print(fmt % ('simulator', 'target', 'threads', 'loop s/sim s', 'rate E Hz',
             'rec. ev/s', 'Brian2/ours', 'B2/ours-1t'))
for r in b2:
    print(fmt % ('brian2', r['target'], r['threads'],
                 '%.3f' % r['loop_s_per_sim_s'], '%.2f' % r['rate_e_hz'],
                 '%.3g' % (r['recurrent_events'] / r['loop_s']),
                 '%.2f' % (r['loop_s_per_sim_s'] / ours['loop']),
                 '%.2f' % (r['loop_s_per_sim_s'] / one['loop']) if one else '-'))
labels = {'BenchmarkBrunel': 'go cpu', 'BenchmarkBrunelOneThread': 'go cpu',
          'BenchmarkBrunelBatch': 'go cpu batch*'}
for name, o in go.items():
    print(fmt % ('ours', labels.get(name, name), o['threads'], '%.3f' % o['loop'],
                 '-', '-' if o['ev'] is None else '%.3g' % o['ev'], '', ''))
r0 = b2[0]
print()
print('ours: %s (from %s); threads = GOMAXPROCS suffix, OneThread: 1.'
      % (', '.join(o['name'] for o in go.values()), sys.argv[2]))
print('Brian2/ours = Brian2 loop / BenchmarkBrunel; B2/ours-1t = Brian2 loop / '
      'BenchmarkBrunelOneThread.')
if 'BenchmarkBrunelBatch' in go:
    print('* batch: several copies of the network in one run; wall_s/sim_s per network.')
print('rec. ev/s: recurrent synaptic events (spikes x out-degree) per loop second, '
      'external Poisson input not counted (as in the Go benchmark, which reports no rate).')
print('Brian2: order %d (N=%d), g=%g eta=%g V_reset=%g mV, t_sim=%g ms, step order %s; '
      'loop time only, build/compile excluded (details in %s).'
      % (r0['order'], r0['N_E'] + r0['N_I'], r0['g'], r0['eta'],
         r0['v_reset_mV'], r0['t_sim_ms'], r0['step_order'], sys.argv[1]))
EOF
