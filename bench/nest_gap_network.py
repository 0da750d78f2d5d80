# NEST 3.10 side by side for bench/RESULTS.md (gap junctions): NEST's gap_junctions_inhibitory_network.py
# settings at one gap weight, timed. usage: python3 nest_gap_network.py G_NS SIMTIME_MS (with the reference NEST).
import sys, time, numpy, nest
g, simtime = float(sys.argv[1]), float(sys.argv[2])
nest.set_verbosity("M_ERROR")
nest.ResetKernel()
nest.resolution = 0.05
nest.SetKernelStatus({"use_wfr": True, "wfr_comm_interval": 1.0, "wfr_tol": 0.0001, "wfr_max_iterations": 15, "wfr_interpolation_order": 3})
n = 500
neurons = nest.Create("hh_psc_alpha_gap", n)
neurons.V_m = nest.random.uniform(min=-80.0, max=-40.0)
sr = nest.Create("spike_recorder")
pg = nest.Create("poisson_generator", params={"rate": 500.0})
nest.Connect(neurons, neurons, {"rule": "fixed_indegree", "indegree": 50, "allow_autapses": False, "allow_multapses": True}, {"synapse_model": "static_synapse", "weight": -50.0, "delay": 1.0})
nest.Connect(pg, neurons, "all_to_all", syn_spec={"synapse_model": "static_synapse", "weight": 300.0, "delay": 1.0})
nest.Connect(neurons, sr)
numpy.random.seed(1)
ids = numpy.random.choice(neurons.global_id, [15000, 2])
for a, b in ids:  # pair by pair (connecting the id arrays at once wants an array of weights in 3.10)
    nest.Connect(neurons[int(a) - 1], neurons[int(b) - 1], {"rule": "one_to_one", "make_symmetric": True},
                 {"synapse_model": "gap_junction", "weight": g})
t0 = time.time()
nest.Simulate(simtime)
wall = time.time() - t0
ev = sr.get("events")
rate = 1000.0 * len(ev["times"]) / simtime / n
print(f"g {g} simtime {simtime} wall_s {wall:.1f} rate_hz {rate:.2f}")
