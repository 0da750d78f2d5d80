#!/usr/bin/env python3
"""Check of brian2_brunel.py's timing conventions against NEST's iaf_psc_delta.

Runs a small random delta-synapse network (100 neurons, fixed in-degree with
replacement, delay 1.5 ms, fixed external input per neuron and step) twice:
once with a NumPy transcription of NEST's update (reference section 1.3:
decay and add the input due, or drop it while refractory; threshold >=;
reset; spike stamped at the end of the step, delivered D later), once in
Brian2 with the step order, delay (D - dt = 1.4 ms) and refractory setting
that brian2_brunel.py uses.  Prints whether the spike trains are identical.

  bench/brian2_nest_order_check.py            # both step orders, V_reset 0 and 10
Expected: --step-order nest identical; brian2 (default schedule) differs.
"""
import os
import sys
import warnings

warnings.filterwarnings('ignore')
try:
    import brian2  # noqa: F401
except ImportError:
    if os.path.exists('/usr/bin/python3') and not os.environ.get('B2CHECK_REEXEC'):
        os.environ['B2CHECK_REEXEC'] = '1'
        os.execv('/usr/bin/python3', ['/usr/bin/python3'] + sys.argv)
    raise
import numpy as np
import brian2 as b2
from brian2 import ms, mV

NE, NI, CE, CI = 80, 20, 20, 5
N = NE + NI
JR, G, JX = 0.5, 5.0, 0.1            # mV
DT, TAU, TH, REF, D = 0.1, 20.0, 20.0, 20, 15   # ms, ms, mV, steps, steps
NSTEPS = 3000


def nest_reference(pre, post, w, ext, v_reset):
    p33 = np.exp(-DT / TAU)
    y = np.zeros(N)
    r = np.zeros(N, int)
    buf = np.zeros((NSTEPS + D + 1, N))
    out = []
    for s in range(NSTEPS):
        inp = buf[s] + ext[s]
        free = r == 0
        y[free] = p33 * y[free] + inp[free]
        r[~free] -= 1
        fired = np.nonzero(y >= TH)[0]
        r[fired] = REF
        y[fired] = v_reset
        for k in fired:
            out.append((s + 1, int(k)))      # NEST stamp (s+1)*dt, in steps
            m = pre == k
            np.add.at(buf[s + D], post[m], w[m])
    return sorted(out)


def brian2_run(pre, post, w, ext, v_reset, step_order):
    b2.start_scope()
    b2.prefs.codegen.target = 'numpy'
    b2.defaultclock.dt = DT * ms
    if step_order == 'nest':
        sched = ['start', 'groups', 'synapses', 'thresholds', 'resets', 'end']
        refractory, shift = (REF + 1) * DT * ms, 0
    else:
        sched = ['start', 'groups', 'thresholds', 'synapses', 'resets', 'end']
        refractory, shift = REF * DT * ms, 1   # step m delivers NEST's input of m+1
    grp = b2.NeuronGroup(N, 'dv/dt = -v/(20*ms) : volt (unless refractory)',
                         threshold='v >= 20*mV', reset='v = v_reset',
                         refractory=refractory, method='exact',
                         namespace={'v_reset': v_reset * mV})
    syn = b2.Synapses(grp, grp, 'w : volt', on_pre='v_post += w',
                      delay=(D - 1) * DT * ms)
    syn.connect(i=pre, j=post)
    syn.w = w * mV
    xt = b2.TimedArray(ext[shift:shift + NSTEPS + 1] * mV, dt=DT * ms)
    drive = grp.run_regularly('v += xt(t, i)', when='synapses')
    mon = b2.SpikeMonitor(grp)
    net = b2.Network(grp, syn, drive, mon)
    net.schedule = sched
    net.run(NSTEPS * DT * ms, namespace={'xt': xt})
    steps = np.round(np.asarray(mon.t / ms) / DT).astype(int) + 1
    return sorted(zip(steps.tolist(), np.asarray(mon.i).tolist()))


def main():
    rng = np.random.default_rng(5)
    pre = np.concatenate([rng.integers(0, NE, (N, CE)).ravel(),
                          NE + rng.integers(0, NI, (N, CI)).ravel()])
    post = np.concatenate([np.repeat(np.arange(N), CE), np.repeat(np.arange(N), CI)])
    w = np.where(pre < NE, JR, -G * JR)
    ext = rng.poisson(2.0, (NSTEPS + 2, N)) * JX   # NEST input of step s: ext[s]
    ext[:D] = 0                                     # drive starts after the delay
    ok = True
    for v_reset in (0.0, 10.0):
        ref = nest_reference(pre, post, w, ext, v_reset)
        for order in ('nest', 'brian2'):
            got = brian2_run(pre, post, w, ext, v_reset, order)
            same = got == ref
            first = next((k for k, (a, b) in enumerate(zip(got, ref)) if a != b), None)
            print('V_reset=%4.1f step order %-6s: NEST %d spikes, Brian2 %d, identical: %s%s'
                  % (v_reset, order, len(ref), len(got), same,
                     '' if first is None else ' (first difference: NEST %s, Brian2 %s; '
                     '(step, neuron))' % (ref[first], got[first])))
            ok &= same or order != 'nest'
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
