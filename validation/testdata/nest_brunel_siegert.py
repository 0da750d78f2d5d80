# NEST's brunel_siegert_nest.py network (configs/brunel_siegert.toml), with g, eta and V_reset from the
# command line: prints "rate T R" for the E unit's multimeter samples (every 1 ms, 100 ms).
import sys
import nest

g, eta, v_reset = map(float, sys.argv[1:4])
nest.set_verbosity("M_ERROR")
nest.SetKernelStatus({"resolution": 0.1, "use_wfr": False})
CE, CI, J, tau_m, theta = 1000, 250, 0.1, 20.0, 20.0
nu_ex = eta * theta / (J * CE * tau_m)
drive = nest.Create("siegert_neuron", params={"mean": 1000.0 * nu_ex * CE})
pops = {k: nest.Create("siegert_neuron", params={"tau_m": tau_m, "t_ref": 2.0, "theta": theta, "V_reset": v_reset})
        for k in ("E", "I")}
ts = tau_m * 1e-3
for src, c, w in ((drive, 1, J), (pops["E"], CE, J), (pops["I"], CI, -g * J)):
    for tgt in pops.values():
        nest.Connect(src, tgt, "all_to_all", {"synapse_model": "diffusion_connection",
                                              "drift_factor": ts * c * w, "diffusion_factor": ts * c * w * w})
mm = nest.Create("multimeter", params={"record_from": ["rate"], "interval": 1.0})
nest.Connect(mm, pops["E"])
nest.Simulate(100.0)
ev = mm.get("events")
for t, r in zip(ev["times"], ev["rate"]):
    print("rate", repr(t), repr(r))
