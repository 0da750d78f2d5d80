# Writes nest_hh_spikes.json: spike steps of single HH neurons under constant I_e in NEST 3.10
# (models/hh_test.go). Run with the reference NEST (/work/shared/tools/nest/install).
import nest, json
nest.set_verbosity("M_ERROR")
out = {}
for m, ies in [("hh_psc_alpha",[500.0, 1000.0, 2000.0]),("hh_psc_alpha_gap",[100.0, 200.0, 400.0])]:
    for ie in ies:
        for res in [0.1, 0.05]:
            nest.ResetKernel(); nest.resolution = res
            n = nest.Create(m, params={"I_e": ie})
            sr = nest.Create("spike_recorder"); nest.Connect(n, sr)
            nest.Simulate(500.0)
            st = [round(t/res) for t in sr.get("events")["times"]]
            out[f"{m} I_e={ie} dt={res}"] = st
            print(m, ie, res, len(st), st[:5])
json.dump(out, open("nest_hh_spikes.json", "w"), indent=1)
