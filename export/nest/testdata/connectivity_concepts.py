#!/usr/bin/env python3
"""PyNEST 3 script of configs/connectivity_concepts.toml, point 0, exported by snn-gpu (snn-gpu export nest).

It builds and simulates the network of the resolved config in NEST and writes, in the output
folder, spikes.csv, summary.csv (and state.csv for multimeters) in snn-gpu's CSV schema, run.json
and timing.json, so that `snn-gpu compare OURS THIS_FOLDER` sets the two runs side by side.
It needs NEST 3 and numpy.
"""
import argparse
import json
import math
import os
import time
import types

import numpy as np

import nest

CONFIG = "configs/connectivity_concepts.toml"
CONFIG_HASH = "37bbc9d42de160b8d57429da5293d30c52c061652e4d54af87db5a69746f8155"
POINT = 0
LABEL = ""
SWEPT = {}  # the point's swept values
DEFAULT_OUT = "out/connectivity_concepts-nest-point0"
# The run's settings, recorders and analysis window (run.json; JSON spells infinity "Infinity")
RUN = json.loads(r'''{
 "simulation": {
  "dt": 0.1,
  "t_sim": 10,
  "seed": 1
 },
 "recorders": null,
 "analysis": {
  "t_start": 0,
  "bin_ms": 1
 }
}''')
RECORDERS = [{**r, "stop": float(r["stop"])} for r in RUN["recorders"] or []]

# ---- snn-gpu's statistics and CSV tables (the same for every exported script) ----
#
# The summary follows snn-gpu's analysis package (docs/outputs.md): spikes at
# t_start < t <= t_sim count; rate per neuron; the mean CV of the intervals of
# the neurons with at least two; the Fano factor and the periodogram peak of
# the population count in whole bins of bin_ms. Times are compared in steps.

STEP_TOL = 1e-6  # steps: a spike at t = t_start is left out, as in snn-gpu


def population_statistics(neuron, step, n, dt, t_sim, t_start, bin_ms):
    """rate_hz, cv_isi, fano, peak_hz, peak_power of one population's spikes
    (neuron indices from 0 and times in steps, in time order)."""
    total = round(t_sim / dt)
    start = max(t_start, 0.0) / dt
    keep = (step > start + STEP_TOL) & (step <= total)
    neuron, step = neuron[keep], step[keep]
    window_s = (total * dt - max(t_start, 0.0)) / 1000.0
    rate = len(step) / (n * window_s) if n > 0 and window_s > 0 else math.nan
    order = np.lexsort((step, neuron))
    neuron, sorted_steps = neuron[order], step[order]
    cvs = []
    for k in np.unique(neuron):
        d = np.diff(sorted_steps[neuron == k]).astype(float)
        if len(d) >= 2:
            cvs.append(d.std() / d.mean())
    cv = float(np.mean(cvs)) if cvs else math.nan
    bin_steps = bin_ms / dt
    nbins = int(math.floor((total - start) / bin_steps + STEP_TOL))
    j = np.floor((step - start + STEP_TOL) / bin_steps).astype(np.int64)
    counts = np.bincount(j[j < nbins], minlength=nbins).astype(float)
    fano = peak_hz = peak_power = math.nan
    mean = counts.mean() if nbins > 0 else 0.0
    if mean > 0:
        fano = counts.var() / mean
    if nbins >= 2 and mean > 0 and counts.var() > 0:
        power = np.abs(np.fft.rfft(counts - mean)[1 : nbins // 2 + 1]) ** 2
        k = int(np.argmax(power >= power.max() * (1 - 1e-9)))
        peak_hz = (k + 1) / (nbins * bin_ms) * 1000.0
        peak_power = power[k] / (nbins * mean)
    return rate, cv, fano, peak_hz, peak_power


def csv_field(x):
    """A field as snn-gpu's CSV view writes it: NaN empty, names quoted where needed."""
    if isinstance(x, str):
        return '"' + x.replace('"', '""') + '"' if any(c in x for c in ',"\n\r') else x
    if isinstance(x, (float, np.floating)):
        x = float(x)
        if math.isnan(x):
            return ""
        if math.isinf(x):
            return "Infinity" if x > 0 else "-Infinity"
        if x == int(x) and abs(x) < 1e21:
            return str(int(x))
        return repr(x)
    return str(x)


def write_table(path, header, rows):
    """Write a CSV table under a temporary name, then rename it into place."""
    with open(path + ".tmp", "w", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(csv_field(x) for x in row) + "\n")
    os.replace(path + ".tmp", path)


_counted = 0


def new_connections():
    """The synapses NEST created since the last call (for the summary's synapses column)."""
    global _counted
    total = nest.num_connections
    added, _counted = total - _counted, total
    return added


def recorded_spikes(recorder, first_id, dt):
    """Neuron indices (from 0) and steps of a spike_recorder's events, in time order."""
    ev = recorder.get("events")
    step = np.rint(np.asarray(ev["times"], dtype=float) / dt).astype(np.int64)
    neuron = np.asarray(ev["senders"], dtype=np.int64) - first_id
    order = np.argsort(step, kind="stable")
    return neuron[order], step[order]


def grid_time(step, dt):
    """step·dt to the decimals of dt, as snn-gpu writes time_ms."""
    decimals = max(0, -math.floor(math.log10(dt) + 1e-9)) if dt < 1 else 0
    while round(dt, decimals) != dt and decimals < 17:
        decimals += 1
    return round(step * dt, decimals)


def write_outputs(out, net, timing):
    """spikes.csv, state.csv, summary.csv, run.json and timing.json in out."""
    os.makedirs(out, exist_ok=True)
    dt, t_sim = RUN["simulation"]["dt"], RUN["simulation"]["t_sim"]
    rows = []
    for r in RECORDERS:
        if r["model"] != "spike_recorder":
            continue
        neuron, step = recorded_spikes(net.recorders[r["name"]], net.populations[r["source"]][0].global_id, dt)
        rows += [(POINT, r["source"], r["name"], int(i), grid_time(s, dt), int(s)) for i, s in zip(neuron, step)]
    write_table(os.path.join(out, "spikes.csv"), ["point", "population", "recorder", "neuron", "time_ms", "step"], rows)
    variables = [v for r in RECORDERS if r["model"] == "multimeter" for v in r["record_from"]]
    variables = list(dict.fromkeys(variables))
    if variables:
        rows = []
        for r in RECORDERS:
            if r["model"] != "multimeter":
                continue
            ev = net.recorders[r["name"]].get("events")
            first = net.populations[r["source"]][0].global_id
            order = np.lexsort((np.asarray(ev["senders"]), np.asarray(ev["times"])))
            for i in order:
                t = float(ev["times"][i])
                values = [float(ev[v][i]) if v in r["record_from"] else math.nan for v in variables]
                rows.append((POINT, r["source"], r["name"], int(ev["senders"][i]) - first, t, *values, round(t / dt)))
        header = ["point", "population", "recorder", "neuron", "time_ms", *variables, "step"]
        write_table(os.path.join(out, "state.csv"), header, rows)
    analysis = RUN["analysis"]
    rows = []
    for name, pop in net.populations.items():
        neuron, step = recorded_spikes(net.summary_recorders[name], pop[0].global_id, dt)
        n = net.stands_for.get(name, len(pop))
        stats = population_statistics(neuron, step, n, dt, t_sim, analysis["t_start"], analysis["bin_ms"])
        if name in net.stands_for:  # a node standing for many neurons has no intervals of one neuron
            stats = (stats[0], math.nan, *stats[2:])
        rows.append((POINT, *SWEPT.values(), *([LABEL] if LABEL else []), name, n, *stats, net.synapses[name], "nest"))
    header = ["point", *SWEPT.keys(), *(["label"] if LABEL else []), "population", "n",
              "rate_hz", "cv_isi", "fano", "peak_hz", "peak_power", "synapses", "backend"]
    write_table(os.path.join(out, "summary.csv"), header, rows)
    with open(os.path.join(out, "run.json"), "w") as f:
        json.dump({"config": CONFIG, "config_hash": CONFIG_HASH, "backend": "nest", "nest_version": nest.__version__,
                   "points": [{"index": POINT, "network": RUN}]}, f, indent=1)
    with open(os.path.join(out, "timing.json"), "w") as f:
        json.dump(timing, f, indent=1)


def main(build):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder (default %(default)s)")
    parser.add_argument("--threads", type=int, default=1, help="NEST's local_num_threads (default 1)")
    args = parser.parse_args()
    t0 = time.perf_counter()
    net = build(args.threads)
    t1 = time.perf_counter()
    nest.Simulate(RUN["simulation"]["t_sim"])
    t2 = time.perf_counter()
    timing = {"threads": args.threads, "build_s": t1 - t0, "simulate_s": t2 - t1,
              "rtf": (t2 - t1) / (RUN["simulation"]["t_sim"] / 1000.0), "nest_version": nest.__version__}
    write_outputs(args.out, net, timing)
    print(f"NEST {nest.__version__}: built in {t1 - t0:.2f} s, simulated {RUN['simulation']['t_sim']} ms in "
          f"{t2 - t1:.2f} s with {args.threads} thread(s); wrote {args.out}")


def build(threads):
    """Create and connect the network; return its nodes."""
    nest.ResetKernel()
    nest.set(resolution=0.1, rng_seed=1, local_num_threads=threads, print_time=False)
    pop, dev, rec, summary, stands_for = {}, {}, {}, {}, {}
    synapses = {}  # recurrent synapses from each population, for the summary

    # Population S: 40 × iaf_psc_delta
    pop["S"] = nest.Create("iaf_psc_delta", 40, params={
        "C_m": 250,
        "E_L": -70,
        "I_e": 0,
        "V_min": -math.inf,
        "V_reset": -70,
        "V_th": -55,
        "refractory_input": False,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
    })
    synapses["S"] = 0
    summary["S"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["S"], summary["S"])

    # Population T: 50 × iaf_psc_delta
    pop["T"] = nest.Create("iaf_psc_delta", 50, params={
        "C_m": 250,
        "E_L": -70,
        "I_e": 0,
        "V_min": -math.inf,
        "V_reset": -70,
        "V_th": -55,
        "refractory_input": False,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
    })
    synapses["T"] = 0
    summary["T"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["T"], summary["T"])

    # Population U: 40 × iaf_psc_delta
    pop["U"] = nest.Create("iaf_psc_delta", 40, params={
        "C_m": 250,
        "E_L": -70,
        "I_e": 0,
        "V_min": -math.inf,
        "V_reset": -70,
        "V_th": -55,
        "refractory_input": False,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
    })
    synapses["U"] = 0
    summary["U"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["U"], summary["U"])

    # Population A: 10 × iaf_psc_delta
    pop["A"] = nest.Create("iaf_psc_delta", 10, params={
        "C_m": 250,
        "E_L": -70,
        "I_e": 0,
        "V_min": -math.inf,
        "V_reset": -70,
        "V_th": -55,
        "refractory_input": False,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
    })
    synapses["A"] = 0
    summary["A"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["A"], summary["A"])

    # Population G: 100 × iaf_psc_delta
    pop["G"] = nest.Create("iaf_psc_delta", params={
        "C_m": 250,
        "E_L": -70,
        "I_e": 0,
        "V_min": -math.inf,
        "V_reset": -70,
        "V_th": -55,
        "refractory_input": False,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
    }, positions=nest.spatial.grid(shape=[10, 10], extent=[1, 1], center=[0, 0], edge_wrap=True))
    synapses["G"] = 0
    summary["G"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["G"], summary["G"])

    # Population F: 100 × iaf_psc_delta
    pop["F"] = nest.Create("iaf_psc_delta", 100, params={
        "C_m": 250,
        "E_L": -70,
        "I_e": 0,
        "V_min": -math.inf,
        "V_reset": -70,
        "V_th": -55,
        "refractory_input": False,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
    }, positions=nest.spatial.free(pos=[nest.random.uniform((-0.5), 0.5), nest.random.uniform((-0.5), 0.5)]))
    synapses["F"] = 0
    summary["F"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["F"], summary["F"])

    # Connections, in the config's order
    new_connections()  # count from here on
    # S → U: one_to_one
    nest.Connect(pop["S"], pop["U"],
                 {"rule": "one_to_one", "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 0.1, "delay": 1})
    synapses["S"] += new_connections()
    # S → T: all_to_all
    nest.Connect(pop["S"], pop["T"],
                 {"rule": "all_to_all", "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 0.1, "delay": 1})
    synapses["S"] += new_connections()
    # S → T: pairwise_bernoulli
    nest.Connect(pop["S"], pop["T"],
                 {"rule": "pairwise_bernoulli", "p": 0.1, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 0.1, "delay": 1})
    synapses["S"] += new_connections()
    # S → S: symmetric_pairwise_bernoulli
    nest.Connect(pop["S"], pop["S"],
                 {"rule": "symmetric_pairwise_bernoulli", "p": 0.1, "allow_autapses": False, "allow_multapses": True, "make_symmetric": True},
                 {"synapse_model": "static_synapse", "weight": 0.1, "delay": 1})
    synapses["S"] += new_connections()
    # S → T: pairwise_poisson
    nest.Connect(pop["S"], pop["T"],
                 {"rule": "pairwise_poisson", "pairwise_avg_num_conns": 0.2, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 0.1, "delay": 1})
    synapses["S"] += new_connections()
    # S → T: fixed_indegree
    nest.Connect(pop["S"], pop["T"],
                 {"rule": "fixed_indegree", "indegree": 5, "allow_autapses": True, "allow_multapses": False},
                 {"synapse_model": "static_synapse", "weight": 0.1, "delay": 1})
    synapses["S"] += new_connections()
    # S → T: fixed_outdegree
    nest.Connect(pop["S"], pop["T"],
                 {"rule": "fixed_outdegree", "outdegree": 5, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 0.1, "delay": 1})
    synapses["S"] += new_connections()
    # S → T: fixed_total_number
    nest.Connect(pop["S"], pop["T"],
                 {"rule": "fixed_total_number", "N": 200, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 0.1, "delay": 1})
    synapses["S"] += new_connections()
    # S → S: fixed_indegree
    nest.Connect(pop["S"], pop["S"],
                 {"rule": "fixed_indegree", "indegree": 5, "allow_autapses": False, "allow_multapses": False},
                 {"synapse_model": "static_synapse", "weight": 0.1, "delay": 1})
    synapses["S"] += new_connections()
    # S → T: pairwise_bernoulli
    nest.Connect(pop["S"], pop["T"],
                 {"rule": "pairwise_bernoulli", "p": 0.1, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(0.1, 0.020000000000000004), 0.05, 0.15000000000000002), "delay": (1 + (0.1 * nest.random.uniform_int(11)))})
    synapses["S"] += new_connections()
    # S → T: fixed_indegree
    nest.Connect(pop["S"], pop["T"],
                 {"rule": "fixed_indegree", "indegree": (1 + nest.random.uniform_int(9)), "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.random.lognormal((-2.3), 0.5), "delay": 1})
    synapses["S"] += new_connections()
    # G → G: pairwise_bernoulli
    nest.Connect(pop["G"], pop["G"],
                 {"rule": "pairwise_bernoulli", "p": nest.spatial_distributions.gaussian(nest.spatial.distance, 0, 0.1), "allow_autapses": False, "allow_multapses": True, "mask": {"circular": {"radius": 0.3}}},
                 {"synapse_model": "static_synapse", "weight": (0.1 * nest.spatial_distributions.exponential(nest.spatial.distance, 0.2)), "delay": (1 + (5 * nest.spatial.distance))})
    synapses["G"] += new_connections()
    # G → F: fixed_indegree
    nest.Connect(pop["G"], pop["F"],
                 {"rule": "fixed_indegree", "indegree": 4, "allow_autapses": True, "allow_multapses": True, "mask": {"rectangular": {"lower_left": [-0.2, -0.2], "upper_right": [0.2, 0.2]}}},
                 {"synapse_model": "static_synapse", "weight": 0.1, "delay": (1 + (2 * nest.spatial.distance))})
    synapses["G"] += new_connections()
    # S → T: pairwise_bernoulli, third factor A
    nest.TripartiteConnect(pop["S"], pop["T"], pop["A"],
                           {"rule": "pairwise_bernoulli", "p": 0.1, "allow_autapses": True, "allow_multapses": True},
                           {"rule": "third_factor_bernoulli_with_pool", "p": 0.5, "pool_type": "block", "pool_size": 1},
                           {"primary": {"synapse_model": "static_synapse", "weight": 0.1, "delay": 1},
                            "third_in": {"synapse_model": "static_synapse", "weight": 0.2, "delay": 2},
                            "third_out": {"synapse_model": "static_synapse", "weight": 0.1, "delay": 1}})
    third = len(nest.GetConnections(pop["A"], pop["T"]))
    synapses["S"] += new_connections() - third
    synapses["A"] += third
    return types.SimpleNamespace(populations=pop, recorders=rec, summary_recorders=summary, stands_for=stands_for,
                                 synapses=synapses)


if __name__ == "__main__":
    main(build)
