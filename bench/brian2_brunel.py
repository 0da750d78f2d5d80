#!/usr/bin/env python3
"""Brian2 baseline: NEST's brunel_delta_nest.py network, for side-by-side timing.

Network (NEST pynest/examples/brunel_delta_nest.py; see
shared/reference/brunel_izhikevich_connectivity.md sections 1.3, 1.4, 6):

  * N_E = 4*order excitatory, N_I = order inhibitory iaf_psc_delta neurons:
    dV/dt = -V/tau_m (E_L = 0), tau_m = 20 ms, theta = 20 mV, t_ref = 2 ms,
    V_reset = --v-reset (0 as in NEST's example, 10 mV in Brunel 2000),
    all V start at 0.
  * delta synapses: V += w when a spike arrives, J = 0.1 mV, inhibitory -g*J;
    inputs arriving while the neuron is refractory are dropped.
  * fixed in-degree C_E = N_E/10 from E and C_I = N_I/10 from I for every
    neuron, sources drawn uniformly WITH replacement (autapses and multapses
    allowed), as NEST's fixed_indegree with default keys.
  * external drive: J * Poisson(p_rate*dt) per neuron and step,
    p_rate = 1000*eta*nu_th*C_E Hz, nu_th = theta/(J*C_E*tau_m).
  * dt = 0.1 ms, synaptic delay D = 1.5 ms in NEST terms.

Timing conventions (why the delay is 1.4 ms here).  NEST stamps a spike at the
END of the step in which V crossed theta and adds it to the target during the
update that ends D later.  Brian2 stamps it at the START of the step, so the
same delivery needs delay D - dt = 1.4 ms in Brian2 (reference section 6).
Two step orders are offered (--step-order); both use delay = 1.4 ms:

  brian2  Brian2's default schedule (groups, thresholds, synapses, resets),
          refractory = t_ref.  Spikes and drops land on NEST's steps, but an
          input delivered in step n is decayed once by exp(-dt/tau_m) before
          the threshold test of step n+1 (NEST adds it undecayed), i.e. an
          effective weight of 0.995 J, and V_reset is decayed once more when
          refractoriness ends.
  nest    (default) schedule (groups, synapses, thresholds, resets): per step
          decay, add the inputs due, test threshold, reset, exactly NEST's
          iaf_psc_delta update.  A spike of step n is then pushed in step n+1,
          so the delay is still 1.4 ms, and input is dropped in the 20 steps
          after the spike step with Brian2's refractory = t_ref + dt (Brian2
          counts the spike step itself, NEST does not).  The dynamics are
          those of NEST step by step (tested against a NumPy transcription of
          NEST's update: identical spike trains).

The external Poisson drive starts D after t = 0 as in NEST (the
poisson_generator is connected with the delay-1.5 ms "excitatory" synapse).

Timings reported (seconds):
  build_s    Python-side construction of the network objects.  For the
             runtime targets (cython, numpy) this includes creating the
             synapses (and compiling that code); for cpp_standalone it only
             records what to do.
  codegen_s  cpp_standalone: code generation and writing the project
             (run() wall time minus compile and binary execution);
             runtime targets: code generation + Cython compilation of the
             per-step code objects done in Network.before_run (the Cython
             cache lives in <build-dir>/cython_cache; "cache_hit" says
             whether it already held the compiled modules).
  compile_s  cpp_standalone: `make clean` + `make` of the project.
  binary_s   cpp_standalone: wall time of the whole binary (synapse
             creation, initialisation, simulation loop, writing results).
  loop_s     THE SIMULATION LOOP ONLY.  cpp_standalone: Network::run's own
             timer (results/last_run_info.txt, read by Brian2 into
             device._last_run_time): omp_get_wtime() around the time-step
             loop when OpenMP is on (threads >= 1), std::clock() (CPU time,
             equal to wall time for one thread) with threads = 0.  Runtime
             targets: Brian2's Network.run timer, started after before_run()
             (code generation/compilation) and stopped after the last step.
             Spike recording (a SpikeMonitor on all neurons) is inside the
             loop, as it is for NEST and for our Go simulator.
  setup_in_binary_s = binary_s - loop_s (synapse creation etc.).

Synaptic events per second (events_per_s) =
    (recurrent spikes x their out-degree  +  external Poisson events) / loop_s
  where "recurrent spikes x out-degree" is the exact sum over all recorded
  spikes of the number of recurrent synapses leaving the spiking neuron (i.e.
  the number of synapse activations the recurrent pathway processes; inputs
  that then hit a refractory neuron are counted, they are processed and
  dropped), and the external Poisson events are the expected number of
  external input spikes, N * C_E * eta*nu_th * (t_sim - D): PoissonInput
  draws a count per neuron and step without storing it (with
  --ext poisson the draws are Poisson(p_rate*dt) per neuron and step, same
  expectation).  Same definition as for NEST's event-driven delivery.
"""
import argparse
import json
import os
import sys
import time
import warnings


def _import_brian2():
    """Import brian2; if this interpreter lacks it (e.g. a pyenv python),
    re-execute the script with Debian's /usr/bin/python3 (python3-brian)."""
    try:
        import brian2  # noqa: F401
        return
    except ImportError:
        pass
    syspy = '/usr/bin/python3'
    if (os.path.exists(syspy) and not os.environ.get('BRIAN2_BRUNEL_REEXEC')
            and os.path.realpath(sys.executable) != os.path.realpath(syspy)):
        os.environ['BRIAN2_BRUNEL_REEXEC'] = '1'
        os.execv(syspy, [syspy] + sys.argv)
    sys.exit('brian2 is not importable by %s; install it with '
             '`apt-get install -y python3-brian`' % sys.executable)


def parse_args(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(
        description="NEST's brunel_delta_nest.py network in Brian2 (timing baseline)")
    p.add_argument('--target', choices=['cpp_standalone', 'cython', 'numpy'],
                   default='cpp_standalone')
    p.add_argument('--threads', type=int, default=1,
                   help='cpp_standalone OpenMP threads '
                        '(0 = build without OpenMP; ignored by runtime targets)')
    p.add_argument('--t-sim', type=float, default=1000.0, help='simulated time, ms')
    p.add_argument('--order', type=int, default=2500, help='N_E = 4*order, N_I = order')
    p.add_argument('--g', type=float, default=5.0, help='relative inhibition')
    p.add_argument('--eta', type=float, default=2.0, help='external rate / threshold rate')
    p.add_argument('--v-reset', type=float, default=0.0,
                   help='reset potential, mV (0 in NEST example, 10 in Brunel 2000)')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--step-order', choices=['nest', 'brian2'], default='nest',
                   help='per-step order of operations (see module docstring)')
    p.add_argument('--ext', choices=['binomial', 'poisson'], default='binomial',
                   help='external drive: PoissonInput with N=C_E inputs at eta*nu_th '
                        '(Binomial(C_E, eta*nu_th*dt) per step) or a Poisson(p_rate*dt) '
                        'draw per neuron and step')
    p.add_argument('--build-dir', default=os.path.join(here, 'brian2_build'),
                   help='base folder for the standalone projects and the Cython cache')
    p.add_argument('--no-clean', action='store_true',
                   help='cpp_standalone: do not `make clean` first (incremental build)')
    p.add_argument('--profile', action='store_true',
                   help="print Brian2's per-code-object profile to stderr")
    p.add_argument('--json', action='store_true', help='print one JSON line only')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    warnings.filterwarnings('ignore')  # numpy/pythran deprecation noise
    _import_brian2()
    import numpy as np
    import brian2 as b2
    from brian2 import ms, mV, Hz, second

    b2.BrianLogger.log_level_error()
    os.makedirs(args.build_dir, exist_ok=True)
    t_start = time.perf_counter()
    load_before = os.getloadavg()[0]

    # ---- target / device -------------------------------------------------
    threads = args.threads
    cache_hit = None
    if args.target == 'cpp_standalone':
        proj = os.path.join(args.build_dir, 'standalone_t%d' % threads)
        b2.set_device('cpp_standalone', directory=proj, build_on_run=True,
                      clean=not args.no_clean, with_output=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = threads
    else:
        threads = 1
        proj = None
        b2.prefs.codegen.target = args.target
        cache = os.path.join(args.build_dir, 'cython_cache')
        os.makedirs(cache, exist_ok=True)
        b2.prefs.codegen.runtime.cython.cache_dir = cache
        cache_hit = len(os.listdir(cache)) > 0 if args.target == 'cython' else None
    b2.seed(args.seed)

    # ---- parameters (brunel_delta_nest.py) -------------------------------
    dt = 0.1 * ms
    b2.defaultclock.dt = dt
    N_E, N_I = 4 * args.order, args.order
    N = N_E + N_I
    C_E, C_I = int(0.1 * N_E), int(0.1 * N_I)
    tau_m, theta, t_ref = 20.0 * ms, 20.0 * mV, 2.0 * ms
    J = 0.1 * mV
    D = 1.5 * ms                      # NEST delay
    delay = D - dt                    # Brian2 delay giving NEST's delivery step
    nu_th = theta / (J * C_E * tau_m)  # 10 Hz
    nu_ext = args.eta * nu_th          # rate of each of the C_E external inputs
    p_rate = nu_ext * C_E              # total external rate per neuron (20 kHz)
    T = args.t_sim * ms
    n_steps = int(round(args.t_sim / 0.1))
    d_steps = int(round(float(D / dt)))  # 15

    if args.step_order == 'nest':
        refractory = t_ref + dt
        schedule = ['start', 'groups', 'synapses', 'thresholds', 'resets', 'end']
        # brian2 step m delivers NEST's input of step m; NEST's drive first
        # lands in step d_steps
        onset_step = d_steps
    else:
        refractory = t_ref
        schedule = ['start', 'groups', 'thresholds', 'synapses', 'resets', 'end']
        # brian2 step m delivers (after the threshold test) NEST's input of step m+1
        onset_step = d_steps - 1
    ext_onset = (onset_step - 0.5) * dt   # half a step below, no float ties

    ns = dict(tau_m=tau_m, theta=theta, v_reset=args.v_reset * mV, J=J,
              g=args.g, ext_onset=ext_onset, lam_ext=float(p_rate * dt),
              C_E=C_E, C_I=C_I)

    # ---- network ---------------------------------------------------------
    t0 = time.perf_counter()
    P = b2.NeuronGroup(N, 'dv/dt = -v/tau_m : volt (unless refractory)',
                       threshold='v >= theta', reset='v = v_reset',
                       refractory=refractory, method='exact',
                       namespace=ns, name='neurons')
    P.v = 0 * mV
    # (unless refractory) makes every write to v -- synaptic on_pre and the
    # external drive included -- conditional on not_refractory, so inputs
    # arriving during refractoriness are dropped as in NEST.
    P_E, P_I = P[:N_E], P[N_E:]
    con_e = b2.Synapses(P_E, P, on_pre='v_post += J', delay=delay,
                        namespace=ns, name='syn_e')
    con_i = b2.Synapses(P_I, P, on_pre='v_post += -g*J', delay=delay,
                        namespace=ns, name='syn_i')
    # fixed in-degree, with replacement: for every target j draw C_E (C_I)
    # sources uniformly; duplicates (multapses) and i == j (autapses) kept.
    con_e.connect(i='int(rand()*N_pre) for _k in range(C_E)', namespace=ns)
    con_i.connect(i='int(rand()*N_pre) for _k in range(C_I)', namespace=ns)
    if args.ext == 'binomial':
        # C_E independent Poisson inputs of rate eta*nu_th, weight J each
        # (superposition = one Poisson train of rate p_rate); Brian2 samples
        # Binomial(C_E, eta*nu_th*dt) per neuron and step.
        ext = b2.PoissonInput(P, 'v', N=C_E, rate=nu_ext,
                              weight='J*int(t >= ext_onset)')
    else:
        # NEST's poisson_generator exactly: Poisson(p_rate*dt) events per step
        ext = P.run_regularly('v += J*poisson(lam_ext)*int(t >= ext_onset)',
                              when='synapses', name='ext_poisson')
    spikes = b2.SpikeMonitor(P, name='spikes')
    net = b2.Network(P, con_e, con_i, ext, spikes)
    net.schedule = schedule
    build_s = time.perf_counter() - t0

    # ---- run -------------------------------------------------------------
    t0 = time.perf_counter()
    # all names are resolved through the objects' own namespace=ns
    net.run(T, namespace={}, profile=args.profile)
    run_call_s = time.perf_counter() - t0
    dev = b2.get_device()
    loop_s = float(dev._last_run_time)
    res = dict(simulator='brian2', brian2_version=b2.__version__,
               target=args.target, threads=threads, step_order=args.step_order,
               ext=args.ext, order=args.order, N_E=N_E, N_I=N_I, C_E=C_E, C_I=C_I,
               g=args.g, eta=args.eta, v_reset_mV=args.v_reset, seed=args.seed,
               t_sim_ms=args.t_sim, dt_ms=0.1, delay_brian2_ms=float(delay / ms),
               delay_nest_ms=float(D / ms), p_rate_hz=float(p_rate / Hz),
               build_s=build_s)
    if args.target == 'cpp_standalone':
        compile_s = (dev.timers['compile']['make'] or 0.0) + \
                    (dev.timers['compile']['clean'] or 0.0)
        binary_s = dev.timers['run_binary']
        res.update(codegen_s=run_call_s - compile_s - binary_s,
                   compile_s=compile_s, binary_s=binary_s,
                   setup_in_binary_s=binary_s - loop_s, build_dir=proj)
    else:
        res.update(codegen_s=run_call_s - loop_s, compile_s=None,
                   cache_hit=cache_hit)
    res.update(loop_s=loop_s, loop_s_per_sim_s=loop_s / float(T / second))

    # ---- analysis --------------------------------------------------------
    si = np.asarray(spikes.i[:], dtype=np.int64)
    st = np.asarray(spikes.t[:] / dt).round().astype(np.int64)  # brian2 step
    counts = np.bincount(si, minlength=N)
    after = np.bincount(si[st >= int(round(200.0 / 0.1))], minlength=N)
    tsec = float(T / second)
    t_after = tsec - 0.2
    out_e = np.bincount(np.asarray(con_e.i[:]), minlength=N_E)
    out_i = np.bincount(np.asarray(con_i.i[:]), minlength=N_I)
    n_syn = int(out_e.sum() + out_i.sum())
    rec_events = float(np.dot(counts[:N_E], out_e) + np.dot(counts[N_E:], out_i))
    ext_events = N * float(p_rate / Hz) * max(0.0, (n_steps - onset_step)) * float(dt / second)
    res.update(
        synapses=n_syn,
        # NEST's printed "Number of synapses" also counts the poisson_generator
        # (N) and the two spike recorders (2*50) connections
        synapses_nest_count=n_syn + N + 100,
        spikes=int(len(si)),
        rate_e_hz=counts[:N_E].sum() / (N_E * tsec),
        rate_i_hz=counts[N_E:].sum() / (N_I * tsec),
        rate_e_first50_hz=counts[:50].sum() / (50 * tsec),
        rate_e_after200_hz=after[:N_E].sum() / (N_E * t_after) if t_after > 0 else None,
        rate_i_after200_hz=after[N_E:].sum() / (N_I * t_after) if t_after > 0 else None,
        recurrent_events=rec_events, ext_events_expected=ext_events,
        events_per_s=(rec_events + ext_events) / loop_s,
        total_s=time.perf_counter() - t_start,
        # 1-min load average of the machine before and after (it lags and
        # includes this script's own compile and run): a high value before
        # the run flags other jobs on the same cores, which distort the
        # timings, OpenMP threads most of all
        loadavg_before=load_before, loadavg_after=os.getloadavg()[0],
        nproc=os.cpu_count())
    for k, v in list(res.items()):
        if isinstance(v, (np.floating, np.integer)):
            res[k] = v.item()
    if args.profile:
        print(b2.profiling_summary(net), file=sys.stderr)

    if args.json:
        print(json.dumps(res))
        return
    f = lambda x: '-' if x is None else '%.3f' % x  # noqa: E731
    print('Brian2 %s, target %s, threads %d, step order %s, ext %s'
          % (res['brian2_version'], args.target, threads, args.step_order, args.ext))
    print('  N_E=%d N_I=%d C_E=%d C_I=%d g=%g eta=%g V_reset=%g mV seed=%d T=%g ms'
          % (N_E, N_I, C_E, C_I, args.g, args.eta, args.v_reset, args.seed, args.t_sim))
    print('  synapses (recurrent)    : %d   (NEST-style count %d)'
          % (n_syn, res['synapses_nest_count']))
    print('  build (python) [s]      : %s' % f(res['build_s']))
    print('  codegen [s]             : %s' % f(res['codegen_s']))
    print('  compile [s]             : %s' % f(res['compile_s']))
    if args.target == 'cpp_standalone':
        print('  binary total [s]        : %s (setup/IO outside loop %s)'
              % (f(res['binary_s']), f(res['setup_in_binary_s'])))
    print('  simulation loop [s]     : %s  (%.3f s per simulated s)'
          % (f(loop_s), res['loop_s_per_sim_s']))
    print('  rate E / I [Hz]         : %.3f / %.3f  (after 200 ms: %s / %s; first 50 E: %.3f)'
          % (res['rate_e_hz'], res['rate_i_hz'], f(res['rate_e_after200_hz']),
             f(res['rate_i_after200_hz']), res['rate_e_first50_hz']))
    print('  events: recurrent %.4g + external %.4g  -> %.4g events/s'
          % (rec_events, ext_events, res['events_per_s']))
    print('  load average before/after: %.2f / %.2f on %d CPUs'
          % (res['loadavg_before'], res['loadavg_after'], res['nproc']))


if __name__ == '__main__':
    main()
