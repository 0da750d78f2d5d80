"""NEST 3.10's urbanczik_synapse_example.py as the script runs it (the
pattern of 200 Poisson trains drawn once through parrots, replayed every
200 ms; the teacher from 400 to 20400 ms; 20.8 s), with nest.rng_seed = SEED
for the pattern and for the run, without the plots. Prints one JSON object:
the final weights' statistics, the somatic rate while teaching, the mean
|phi(U) - phi(V_w*)| per second, and the soma's 10 Hz modulation after the
teacher stops (least squares of V_m.s on sin and cos of 2*pi*t/100 ms over
[20450, 20800) ms).

    PYTHONPATH=/tmp/nest/lib/python3.11/site-packages python3 nest_urbanczik.py SEED
"""
import json
import sys
import time

import nest
import numpy as np

seed = int(sys.argv[1])
nest.set_verbosity("M_ERROR")
res = 0.1
period = 200.0
t_start, t_end = 400.0, 20400.0
t_sim = 20800.0

nest.ResetKernel()
nest.resolution = res
nest.rng_seed = seed
pgs = nest.Create("poisson_generator", 200, params={"rate": 10.0})
prr = nest.Create("parrot_neuron", 200)
nest.Connect(pgs, prr, "one_to_one")
srs = nest.Create("spike_recorder", 200)
nest.Connect(prr, srs, "one_to_one")
nest.Simulate(period)
pattern = [s.get("events", "times") for s in srs]

nest.ResetKernel()
nest.resolution = res
nest.rng_seed = seed
nrn_params = {
    "t_ref": 3.0, "g_sp": 600.0,
    "soma": {"V_m": -70.0, "C_m": 300.0, "E_L": -70.0, "g_L": 30.0, "E_ex": 0.0, "E_in": -75.0,
             "tau_syn_ex": 3.0, "tau_syn_in": 3.0},
    "dendritic": {"V_m": -70.0, "C_m": 300.0, "E_L": -70.0, "g_L": 30.0, "tau_syn_ex": 3.0, "tau_syn_in": 3.0},
    "phi_max": 0.15, "rate_slope": 0.5, "beta": 1.0 / 3.0, "theta": -55.0,
}
nrn = nest.Create("pp_cond_exp_mc_urbanczik", params=nrn_params)
rec = nest.GetDefaults("pp_cond_exp_mc_urbanczik")["receptor_types"]
prrt = nest.Create("parrot_neuron", 200)
ts = np.arange(res, t_sim, res)
inside = (ts >= t_start) & (ts < t_end)
w_exc = np.where(inside, 4.8 * np.sin(2 * np.pi * 0.01 * ts) + 5.4, 0.0)
w_inh = np.where(inside, 18.0, 0.0)
sg_exc = nest.Create("spike_generator", params={"spike_times": ts, "spike_weights": w_exc})
sg_inh = nest.Create("spike_generator", params={"spike_times": ts, "spike_weights": w_inh})
sg_prox = nest.Create("spike_generator", 200)
mm = nest.Create("multimeter", params={"record_from": ["V_m.s", "V_m.p"], "interval": res})
sr = nest.Create("spike_recorder")
nest.Connect(sg_prox, prrt, "one_to_one")
nest.Connect(prrt, nrn, syn_spec={"synapse_model": "urbanczik_synapse", "receptor_type": rec["dendritic_exc"],
                                  "tau_Delta": 100.0, "eta": 0.17, "weight": 90.0, "Wmax": 1350.0, "delay": res})
nest.Connect(mm, nrn, syn_spec={"delay": res})
nest.Connect(sg_exc, nrn, syn_spec={"receptor_type": rec["soma_exc"], "weight": 10.0 * res, "delay": res})
nest.Connect(sg_inh, nrn, syn_spec={"receptor_type": rec["soma_inh"], "weight": 10.0 * res, "delay": res})
nest.Connect(nrn, sr)

t0 = time.time()
for i in range(int(round(t_sim / period))):
    for sg, t_sp in zip(sg_prox, pattern):
        sg.spike_times = np.array(t_sp) + i * period
    nest.Simulate(period)
wall = time.time() - t0

w = np.array(nest.GetConnections(prrt, nrn).get("weight"))
spikes = sr.get("events", "times")
ev = mm.events
t, U, Vd = ev["times"], ev["V_m.s"], ev["V_m.p"]


def phi(u):
    return 0.15 / (1.0 + 0.5 * np.exp((-55.0 - u) / 3.0))


vws = (30.0 * -70.0 + 600.0 * Vd) / (30.0 + 600.0)
err = np.abs(phi(U) - phi(vws)) * 1000.0  # Hz
per_second = [float(np.mean(err[(t > 1000 * k) & (t <= 1000 * (k + 1))])) for k in range(21)]
after = (t >= 20450.0) & (t < 20800.0)
X = np.column_stack([np.sin(2 * np.pi * t[after] / 100.0), np.cos(2 * np.pi * t[after] / 100.0), np.ones(after.sum())])
coef = np.linalg.lstsq(X, U[after], rcond=None)[0]
fit = X @ coef
r2 = 1 - np.sum((U[after] - fit) ** 2) / np.sum((U[after] - U[after].mean()) ** 2)
teach = (spikes >= t_start) & (spikes < t_end)
print(json.dumps({
    "seed": seed, "nest": nest.__version__, "wall_s": round(wall, 1),
    "pattern_spikes": int(sum(len(p) for p in pattern)),
    "w_mean": float(w.mean()), "w_frac_zero": float(np.mean(w <= 0.0)), "w_median": float(np.median(w)),
    "w_max": float(w.max()),
    "rate_teach_hz": float(teach.sum() / ((t_end - t_start) / 1000.0)),
    "rate_after_hz": float(((spikes >= t_end)).sum() / ((t_sim - t_end) / 1000.0)),
    "err_hz_per_second": per_second,
    "after_sin_mv": float(coef[0]), "after_cos_mv": float(coef[1]), "after_mean_mv": float(coef[2]),
    "after_r2": float(r2),
}))
