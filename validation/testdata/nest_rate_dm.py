# NEST 3.10 reference of rate_neuron_dm.py without noise (sigma 0), dE = 0.004: the rates of D1 and D2 at
# chosen times. Writes JSON to the file named. Run: PYTHONPATH=<nest site-packages> python3 nest_dm.py nest_dm.json
import json
import nest
nest.set_verbosity("M_ERROR")
nest.ResetKernel()
dt = 1e-3
nest.resolution = dt
nest.use_wfr = False
D1 = nest.Create("lin_rate_ipn", params={"lambda": 0.1, "sigma": 0.0, "tau": 1.0, "rectify_output": True, "mu": 0.0})
D2 = nest.Create("lin_rate_ipn", params={"lambda": 0.1, "sigma": 0.0, "tau": 1.0, "rectify_output": True, "mu": 0.0})
nest.Connect(D1, D2, "all_to_all", {"synapse_model": "rate_connection_instantaneous", "weight": -0.2})
nest.Connect(D2, D1, "all_to_all", {"synapse_model": "rate_connection_instantaneous", "weight": -0.2})
mm = nest.Create("multimeter", params={"record_from": ["rate"], "interval": 0.1})
nest.Connect(mm, D1 + D2, syn_spec={"delay": dt})
nest.Simulate(100.0)
dE = 0.004
D1.mu = 1.0 + dE
D2.mu = 1.0 - dE
nest.Simulate(100.0)
ev = mm.get("events")
out = {"times": [], "D1": [], "D2": []}
rows = {}
for t, s, r in zip(ev["times"], ev["senders"], ev["rate"]):
    rows.setdefault(round(t, 6), {})[int(s)] = r
for t in sorted(rows):
    out["times"].append(t)
    out["D1"].append(rows[t].get(D1.global_id))
    out["D2"].append(rows[t].get(D2.global_id))
import sys
with open(sys.argv[1], "w") as f:
    json.dump(out, f)
