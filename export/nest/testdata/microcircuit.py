#!/usr/bin/env python3
"""PyNEST 3 script of configs/microcircuit.toml, point 0, exported by snn-gpu (snn-gpu export nest).

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

CONFIG = "configs/microcircuit.toml"
CONFIG_HASH = "829c243d7905c5671126c2a75a5823e197ad3f0e200ba695a1716fdde68d46ee"
POINT = 0
LABEL = "poisson"
SWEPT = {"background": 1, "bg_rate": 8}  # the point's swept values
DEFAULT_OUT = "out/microcircuit-nest-point0"
# The run's settings, recorders and analysis window (run.json; JSON spells infinity "Infinity")
RUN = json.loads(r'''{
 "simulation": {
  "dt": 0.1,
  "t_sim": 1100,
  "seed": 55
 },
 "recorders": [
  {
   "name": "spike_recorder-0",
   "model": "spike_recorder",
   "source": "L23E",
   "first": 20683,
   "start": 0,
   "stop": "Infinity"
  },
  {
   "name": "spike_recorder-1",
   "model": "spike_recorder",
   "source": "L23I",
   "first": 5834,
   "start": 0,
   "stop": "Infinity"
  },
  {
   "name": "spike_recorder-2",
   "model": "spike_recorder",
   "source": "L4E",
   "first": 21915,
   "start": 0,
   "stop": "Infinity"
  },
  {
   "name": "spike_recorder-3",
   "model": "spike_recorder",
   "source": "L4I",
   "first": 5479,
   "start": 0,
   "stop": "Infinity"
  },
  {
   "name": "spike_recorder-4",
   "model": "spike_recorder",
   "source": "L5E",
   "first": 4850,
   "start": 0,
   "stop": "Infinity"
  },
  {
   "name": "spike_recorder-5",
   "model": "spike_recorder",
   "source": "L5I",
   "first": 1065,
   "start": 0,
   "stop": "Infinity"
  },
  {
   "name": "spike_recorder-6",
   "model": "spike_recorder",
   "source": "L6E",
   "first": 14395,
   "start": 0,
   "stop": "Infinity"
  },
  {
   "name": "spike_recorder-7",
   "model": "spike_recorder",
   "source": "L6I",
   "first": 2948,
   "start": 0,
   "stop": "Infinity"
  }
 ],
 "analysis": {
  "t_start": 100,
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
    nest.set(resolution=0.1, rng_seed=55, local_num_threads=threads, print_time=False)
    pop, dev, rec, summary, stands_for = {}, {}, {}, {}, {}
    synapses = {}  # recurrent synapses from each population, for the summary

    # Population L23E: 20683 × iaf_psc_exp
    pop["L23E"] = nest.Create("iaf_psc_exp", 20683, params={
        "C_m": 250,
        "E_L": -65,
        "I_e": 0,
        "V_reset": -65,
        "V_th": -50,
        "delta": 0,
        "rho": 0.01,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
        "tau_syn_ex": 0.5,
        "tau_syn_in": 0.5,
    })
    pop["L23E"].set(V_m=nest.random.normal((-68.28), 5.36))
    synapses["L23E"] = 0
    summary["L23E"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["L23E"], summary["L23E"])

    # Population L23I: 5834 × iaf_psc_exp
    pop["L23I"] = nest.Create("iaf_psc_exp", 5834, params={
        "C_m": 250,
        "E_L": -65,
        "I_e": 0,
        "V_reset": -65,
        "V_th": -50,
        "delta": 0,
        "rho": 0.01,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
        "tau_syn_ex": 0.5,
        "tau_syn_in": 0.5,
    })
    pop["L23I"].set(V_m=nest.random.normal((-63.16), 4.57))
    synapses["L23I"] = 0
    summary["L23I"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["L23I"], summary["L23I"])

    # Population L4E: 21915 × iaf_psc_exp
    pop["L4E"] = nest.Create("iaf_psc_exp", 21915, params={
        "C_m": 250,
        "E_L": -65,
        "I_e": 0,
        "V_reset": -65,
        "V_th": -50,
        "delta": 0,
        "rho": 0.01,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
        "tau_syn_ex": 0.5,
        "tau_syn_in": 0.5,
    })
    pop["L4E"].set(V_m=nest.random.normal((-63.33), 4.74))
    synapses["L4E"] = 0
    summary["L4E"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["L4E"], summary["L4E"])

    # Population L4I: 5479 × iaf_psc_exp
    pop["L4I"] = nest.Create("iaf_psc_exp", 5479, params={
        "C_m": 250,
        "E_L": -65,
        "I_e": 0,
        "V_reset": -65,
        "V_th": -50,
        "delta": 0,
        "rho": 0.01,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
        "tau_syn_ex": 0.5,
        "tau_syn_in": 0.5,
    })
    pop["L4I"].set(V_m=nest.random.normal((-63.45), 4.94))
    synapses["L4I"] = 0
    summary["L4I"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["L4I"], summary["L4I"])

    # Population L5E: 4850 × iaf_psc_exp
    pop["L5E"] = nest.Create("iaf_psc_exp", 4850, params={
        "C_m": 250,
        "E_L": -65,
        "I_e": 0,
        "V_reset": -65,
        "V_th": -50,
        "delta": 0,
        "rho": 0.01,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
        "tau_syn_ex": 0.5,
        "tau_syn_in": 0.5,
    })
    pop["L5E"].set(V_m=nest.random.normal((-63.11), 4.94))
    synapses["L5E"] = 0
    summary["L5E"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["L5E"], summary["L5E"])

    # Population L5I: 1065 × iaf_psc_exp
    pop["L5I"] = nest.Create("iaf_psc_exp", 1065, params={
        "C_m": 250,
        "E_L": -65,
        "I_e": 0,
        "V_reset": -65,
        "V_th": -50,
        "delta": 0,
        "rho": 0.01,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
        "tau_syn_ex": 0.5,
        "tau_syn_in": 0.5,
    })
    pop["L5I"].set(V_m=nest.random.normal((-61.66), 4.55))
    synapses["L5I"] = 0
    summary["L5I"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["L5I"], summary["L5I"])

    # Population L6E: 14395 × iaf_psc_exp
    pop["L6E"] = nest.Create("iaf_psc_exp", 14395, params={
        "C_m": 250,
        "E_L": -65,
        "I_e": 0,
        "V_reset": -65,
        "V_th": -50,
        "delta": 0,
        "rho": 0.01,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
        "tau_syn_ex": 0.5,
        "tau_syn_in": 0.5,
    })
    pop["L6E"].set(V_m=nest.random.normal((-66.72), 5.46))
    synapses["L6E"] = 0
    summary["L6E"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["L6E"], summary["L6E"])

    # Population L6I: 2948 × iaf_psc_exp
    pop["L6I"] = nest.Create("iaf_psc_exp", 2948, params={
        "C_m": 250,
        "E_L": -65,
        "I_e": 0,
        "V_reset": -65,
        "V_th": -50,
        "delta": 0,
        "rho": 0.01,
        "t_ref": 2,
        "tau_m": 10,
        "tau_minus": 20,
        "tau_syn_ex": 0.5,
        "tau_syn_in": 0.5,
    })
    pop["L6I"].set(V_m=nest.random.normal((-61.43), 4.48))
    synapses["L6I"] = 0
    summary["L6I"] = nest.Create("spike_recorder")  # every neuron, for the summary
    nest.Connect(pop["L6I"], summary["L6I"])

    # Device bg_L23E: 1 × poisson_generator
    dev["bg_L23E"] = nest.Create("poisson_generator", 1, params={
        "origin": 0,
        "rate": 12800,
        "start": 0,
        "stop": math.inf,
    })

    # Device bg_L23I: 1 × poisson_generator
    dev["bg_L23I"] = nest.Create("poisson_generator", 1, params={
        "origin": 0,
        "rate": 12000,
        "start": 0,
        "stop": math.inf,
    })

    # Device bg_L4E: 1 × poisson_generator
    dev["bg_L4E"] = nest.Create("poisson_generator", 1, params={
        "origin": 0,
        "rate": 16800,
        "start": 0,
        "stop": math.inf,
    })

    # Device bg_L4I: 1 × poisson_generator
    dev["bg_L4I"] = nest.Create("poisson_generator", 1, params={
        "origin": 0,
        "rate": 15200,
        "start": 0,
        "stop": math.inf,
    })

    # Device bg_L5E: 1 × poisson_generator
    dev["bg_L5E"] = nest.Create("poisson_generator", 1, params={
        "origin": 0,
        "rate": 16000,
        "start": 0,
        "stop": math.inf,
    })

    # Device bg_L5I: 1 × poisson_generator
    dev["bg_L5I"] = nest.Create("poisson_generator", 1, params={
        "origin": 0,
        "rate": 15200,
        "start": 0,
        "stop": math.inf,
    })

    # Device bg_L6E: 1 × poisson_generator
    dev["bg_L6E"] = nest.Create("poisson_generator", 1, params={
        "origin": 0,
        "rate": 23200,
        "start": 0,
        "stop": math.inf,
    })

    # Device bg_L6I: 1 × poisson_generator
    dev["bg_L6I"] = nest.Create("poisson_generator", 1, params={
        "origin": 0,
        "rate": 16800,
        "start": 0,
        "stop": math.inf,
    })

    # Connections, in the config's order
    new_connections()  # count from here on
    # bg_L23E → L23E: all_to_all
    nest.Connect(dev["bg_L23E"], pop["L23E"],
                 {"rule": "all_to_all", "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 87.80849352920845, "delay": 1.5})
    new_connections()  # a device's synapses are not in the summary
    # bg_L23I → L23I: all_to_all
    nest.Connect(dev["bg_L23I"], pop["L23I"],
                 {"rule": "all_to_all", "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 87.80849352920845, "delay": 1.5})
    new_connections()  # a device's synapses are not in the summary
    # bg_L4E → L4E: all_to_all
    nest.Connect(dev["bg_L4E"], pop["L4E"],
                 {"rule": "all_to_all", "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 87.80849352920845, "delay": 1.5})
    new_connections()  # a device's synapses are not in the summary
    # bg_L4I → L4I: all_to_all
    nest.Connect(dev["bg_L4I"], pop["L4I"],
                 {"rule": "all_to_all", "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 87.80849352920845, "delay": 1.5})
    new_connections()  # a device's synapses are not in the summary
    # bg_L5E → L5E: all_to_all
    nest.Connect(dev["bg_L5E"], pop["L5E"],
                 {"rule": "all_to_all", "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 87.80849352920845, "delay": 1.5})
    new_connections()  # a device's synapses are not in the summary
    # bg_L5I → L5I: all_to_all
    nest.Connect(dev["bg_L5I"], pop["L5I"],
                 {"rule": "all_to_all", "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 87.80849352920845, "delay": 1.5})
    new_connections()  # a device's synapses are not in the summary
    # bg_L6E → L6E: all_to_all
    nest.Connect(dev["bg_L6E"], pop["L6E"],
                 {"rule": "all_to_all", "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 87.80849352920845, "delay": 1.5})
    new_connections()  # a device's synapses are not in the summary
    # bg_L6I → L6I: all_to_all
    nest.Connect(dev["bg_L6I"], pop["L6I"],
                 {"rule": "all_to_all", "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": 87.80849352920845, "delay": 1.5})
    new_connections()  # a device's synapses are not in the summary
    # L23E → L23E: fixed_total_number
    nest.Connect(pop["L23E"], pop["L23E"],
                 {"rule": "fixed_total_number", "N": 4.5499805e+07, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L23E"] += new_connections()
    # L23I → L23E: fixed_total_number
    nest.Connect(pop["L23I"], pop["L23E"],
                 {"rule": "fixed_total_number", "N": 2.2323577e+07, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L23I"] += new_connections()
    # L4E → L23E: fixed_total_number
    nest.Connect(pop["L4E"], pop["L23E"],
                 {"rule": "fixed_total_number", "N": 2.0253647e+07, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(175.6169870584169, 17.56169870584169), 0, 17561.69870584169), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L4E"] += new_connections()
    # L4I → L23E: fixed_total_number
    nest.Connect(pop["L4I"], pop["L23E"],
                 {"rule": "fixed_total_number", "N": 9.670918e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L4I"] += new_connections()
    # L5E → L23E: fixed_total_number
    nest.Connect(pop["L5E"], pop["L23E"],
                 {"rule": "fixed_total_number", "N": 3.293578e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L5E"] += new_connections()
    # L6E → L23E: fixed_total_number
    nest.Connect(pop["L6E"], pop["L23E"],
                 {"rule": "fixed_total_number", "N": 2.271404e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L6E"] += new_connections()
    # L23E → L23I: fixed_total_number
    nest.Connect(pop["L23E"], pop["L23I"],
                 {"rule": "fixed_total_number", "N": 1.7443694e+07, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L23E"] += new_connections()
    # L23I → L23I: fixed_total_number
    nest.Connect(pop["L23I"], pop["L23I"],
                 {"rule": "fixed_total_number", "N": 5.018763e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L23I"] += new_connections()
    # L4E → L23I: fixed_total_number
    nest.Connect(pop["L4E"], pop["L23I"],
                 {"rule": "fixed_total_number", "N": 4.105338e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L4E"] += new_connections()
    # L4I → L23I: fixed_total_number
    nest.Connect(pop["L4I"], pop["L23I"],
                 {"rule": "fixed_total_number", "N": 1.690074e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L4I"] += new_connections()
    # L5E → L23I: fixed_total_number
    nest.Connect(pop["L5E"], pop["L23I"],
                 {"rule": "fixed_total_number", "N": 2.221213e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L5E"] += new_connections()
    # L6E → L23I: fixed_total_number
    nest.Connect(pop["L6E"], pop["L23I"],
                 {"rule": "fixed_total_number", "N": 353461, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L6E"] += new_connections()
    # L23E → L4E: fixed_total_number
    nest.Connect(pop["L23E"], pop["L4E"],
                 {"rule": "fixed_total_number", "N": 3.50367e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L23E"] += new_connections()
    # L23I → L4E: fixed_total_number
    nest.Connect(pop["L23I"], pop["L4E"],
                 {"rule": "fixed_total_number", "N": 756561, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L23I"] += new_connections()
    # L4E → L4E: fixed_total_number
    nest.Connect(pop["L4E"], pop["L4E"],
                 {"rule": "fixed_total_number", "N": 2.4482849e+07, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L4E"] += new_connections()
    # L4I → L4E: fixed_total_number
    nest.Connect(pop["L4I"], pop["L4E"],
                 {"rule": "fixed_total_number", "N": 1.7413576e+07, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L4I"] += new_connections()
    # L5E → L4E: fixed_total_number
    nest.Connect(pop["L5E"], pop["L4E"],
                 {"rule": "fixed_total_number", "N": 714524, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L5E"] += new_connections()
    # L5I → L4E: fixed_total_number
    nest.Connect(pop["L5I"], pop["L4E"],
                 {"rule": "fixed_total_number", "N": 7003, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L5I"] += new_connections()
    # L6E → L4E: fixed_total_number
    nest.Connect(pop["L6E"], pop["L4E"],
                 {"rule": "fixed_total_number", "N": 1.4624432e+07, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L6E"] += new_connections()
    # L23E → L4I: fixed_total_number
    nest.Connect(pop["L23E"], pop["L4I"],
                 {"rule": "fixed_total_number", "N": 8.114254e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L23E"] += new_connections()
    # L23I → L4I: fixed_total_number
    nest.Connect(pop["L23I"], pop["L4I"],
                 {"rule": "fixed_total_number", "N": 92832, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L23I"] += new_connections()
    # L4E → L4I: fixed_total_number
    nest.Connect(pop["L4E"], pop["L4I"],
                 {"rule": "fixed_total_number", "N": 9.933538e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L4E"] += new_connections()
    # L4I → L4I: fixed_total_number
    nest.Connect(pop["L4I"], pop["L4I"],
                 {"rule": "fixed_total_number", "N": 5.223272e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L4I"] += new_connections()
    # L5E → L4I: fixed_total_number
    nest.Connect(pop["L5E"], pop["L4I"],
                 {"rule": "fixed_total_number", "N": 87836, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L5E"] += new_connections()
    # L6E → L4I: fixed_total_number
    nest.Connect(pop["L6E"], pop["L4I"],
                 {"rule": "fixed_total_number", "N": 8.810905e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L6E"] += new_connections()
    # L23E → L5E: fixed_total_number
    nest.Connect(pop["L23E"], pop["L5E"],
                 {"rule": "fixed_total_number", "N": 1.0613575e+07, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L23E"] += new_connections()
    # L23I → L5E: fixed_total_number
    nest.Connect(pop["L23I"], pop["L5E"],
                 {"rule": "fixed_total_number", "N": 1.817058e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L23I"] += new_connections()
    # L4E → L5E: fixed_total_number
    nest.Connect(pop["L4E"], pop["L5E"],
                 {"rule": "fixed_total_number", "N": 5.507804e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L4E"] += new_connections()
    # L4I → L5E: fixed_total_number
    nest.Connect(pop["L4I"], pop["L5E"],
                 {"rule": "fixed_total_number", "N": 151900, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L4I"] += new_connections()
    # L5E → L5E: fixed_total_number
    nest.Connect(pop["L5E"], pop["L5E"],
                 {"rule": "fixed_total_number", "N": 2.040738e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L5E"] += new_connections()
    # L5I → L5E: fixed_total_number
    nest.Connect(pop["L5I"], pop["L5E"],
                 {"rule": "fixed_total_number", "N": 2.407889e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L5I"] += new_connections()
    # L6E → L5E: fixed_total_number
    nest.Connect(pop["L6E"], pop["L5E"],
                 {"rule": "fixed_total_number", "N": 1.438969e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L6E"] += new_connections()
    # L23E → L5I: fixed_total_number
    nest.Connect(pop["L23E"], pop["L5I"],
                 {"rule": "fixed_total_number", "N": 1.241436e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L23E"] += new_connections()
    # L23I → L5I: fixed_total_number
    nest.Connect(pop["L23I"], pop["L5I"],
                 {"rule": "fixed_total_number", "N": 169424, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L23I"] += new_connections()
    # L4E → L5I: fixed_total_number
    nest.Connect(pop["L4E"], pop["L5I"],
                 {"rule": "fixed_total_number", "N": 607667, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L4E"] += new_connections()
    # L4I → L5I: fixed_total_number
    nest.Connect(pop["L4I"], pop["L5I"],
                 {"rule": "fixed_total_number", "N": 12851, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L4I"] += new_connections()
    # L5E → L5I: fixed_total_number
    nest.Connect(pop["L5E"], pop["L5I"],
                 {"rule": "fixed_total_number", "N": 319602, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L5E"] += new_connections()
    # L5I → L5I: fixed_total_number
    nest.Connect(pop["L5I"], pop["L5I"],
                 {"rule": "fixed_total_number", "N": 430444, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L5I"] += new_connections()
    # L6E → L5I: fixed_total_number
    nest.Connect(pop["L6E"], pop["L5I"],
                 {"rule": "fixed_total_number", "N": 132414, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L6E"] += new_connections()
    # L23E → L6E: fixed_total_number
    nest.Connect(pop["L23E"], pop["L6E"],
                 {"rule": "fixed_total_number", "N": 4.681225e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L23E"] += new_connections()
    # L23I → L6E: fixed_total_number
    nest.Connect(pop["L23I"], pop["L6E"],
                 {"rule": "fixed_total_number", "N": 556108, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L23I"] += new_connections()
    # L4E → L6E: fixed_total_number
    nest.Connect(pop["L4E"], pop["L6E"],
                 {"rule": "fixed_total_number", "N": 6.72757e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L4E"] += new_connections()
    # L4I → L6E: fixed_total_number
    nest.Connect(pop["L4I"], pop["L6E"],
                 {"rule": "fixed_total_number", "N": 1.320234e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L4I"] += new_connections()
    # L5E → L6E: fixed_total_number
    nest.Connect(pop["L5E"], pop["L6E"],
                 {"rule": "fixed_total_number", "N": 4.112225e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L5E"] += new_connections()
    # L5I → L6E: fixed_total_number
    nest.Connect(pop["L5I"], pop["L6E"],
                 {"rule": "fixed_total_number", "N": 305029, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L5I"] += new_connections()
    # L6E → L6E: fixed_total_number
    nest.Connect(pop["L6E"], pop["L6E"],
                 {"rule": "fixed_total_number", "N": 8.372649e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L6E"] += new_connections()
    # L6I → L6E: fixed_total_number
    nest.Connect(pop["L6I"], pop["L6E"],
                 {"rule": "fixed_total_number", "N": 1.0827677e+07, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L6I"] += new_connections()
    # L23E → L6I: fixed_total_number
    nest.Connect(pop["L23E"], pop["L6I"],
                 {"rule": "fixed_total_number", "N": 2.260836e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L23E"] += new_connections()
    # L23I → L6I: fixed_total_number
    nest.Connect(pop["L23I"], pop["L6I"],
                 {"rule": "fixed_total_number", "N": 17207, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L23I"] += new_connections()
    # L4E → L6I: fixed_total_number
    nest.Connect(pop["L4E"], pop["L6I"],
                 {"rule": "fixed_total_number", "N": 220033, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L4E"] += new_connections()
    # L4I → L6I: fixed_total_number
    nest.Connect(pop["L4I"], pop["L6I"],
                 {"rule": "fixed_total_number", "N": 8078, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L4I"] += new_connections()
    # L5E → L6I: fixed_total_number
    nest.Connect(pop["L5E"], pop["L6I"],
                 {"rule": "fixed_total_number", "N": 401638, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L5E"] += new_connections()
    # L5I → L6I: fixed_total_number
    nest.Connect(pop["L5I"], pop["L6I"],
                 {"rule": "fixed_total_number", "N": 25218, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L5I"] += new_connections()
    # L6E → L6I: fixed_total_number
    nest.Connect(pop["L6E"], pop["L6I"],
                 {"rule": "fixed_total_number", "N": 2.888426e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal(87.80849352920845, 8.780849352920844), 0, 8780.849352920844), "delay": nest.math.redraw(nest.random.normal(1.5, 0.75), 0.1, 150)})
    synapses["L6E"] += new_connections()
    # L6I → L6I: fixed_total_number
    nest.Connect(pop["L6I"], pop["L6I"],
                 {"rule": "fixed_total_number", "N": 1.35432e+06, "allow_autapses": True, "allow_multapses": True},
                 {"synapse_model": "static_synapse", "weight": nest.math.redraw(nest.random.normal((-351.2339741168338), 35.12339741168338), (-35123.39741168338), 0), "delay": nest.math.redraw(nest.random.normal(0.75, 0.375), 0.1, 75)})
    synapses["L6I"] += new_connections()

    # Recorders
    rec["spike_recorder-0"] = nest.Create("spike_recorder", params={"start": 0})
    nest.Connect(pop["L23E"][:20683], rec["spike_recorder-0"])
    rec["spike_recorder-1"] = nest.Create("spike_recorder", params={"start": 0})
    nest.Connect(pop["L23I"][:5834], rec["spike_recorder-1"])
    rec["spike_recorder-2"] = nest.Create("spike_recorder", params={"start": 0})
    nest.Connect(pop["L4E"][:21915], rec["spike_recorder-2"])
    rec["spike_recorder-3"] = nest.Create("spike_recorder", params={"start": 0})
    nest.Connect(pop["L4I"][:5479], rec["spike_recorder-3"])
    rec["spike_recorder-4"] = nest.Create("spike_recorder", params={"start": 0})
    nest.Connect(pop["L5E"][:4850], rec["spike_recorder-4"])
    rec["spike_recorder-5"] = nest.Create("spike_recorder", params={"start": 0})
    nest.Connect(pop["L5I"][:1065], rec["spike_recorder-5"])
    rec["spike_recorder-6"] = nest.Create("spike_recorder", params={"start": 0})
    nest.Connect(pop["L6E"][:14395], rec["spike_recorder-6"])
    rec["spike_recorder-7"] = nest.Create("spike_recorder", params={"start": 0})
    nest.Connect(pop["L6I"][:2948], rec["spike_recorder-7"])
    return types.SimpleNamespace(populations=pop, recorders=rec, summary_recorders=summary, stands_for=stands_for,
                                 synapses=synapses)


if __name__ == "__main__":
    main(build)
