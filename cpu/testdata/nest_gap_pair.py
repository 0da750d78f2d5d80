# Writes nest_gap_pair.json: NEST 3.10 test_hh_psc_alpha_gap.py (two hh_psc_alpha_gap, 20 nS), V_m of both
# neurons every 0.1 ms with waveform relaxation of order 3, 1, 0 and without (cpu/gap_test.go). Run with the
# reference NEST (/work/shared/tools/nest/install).
import nest, json
nest.set_verbosity("M_ERROR")
out = {}
for name, kw in [("order3", dict(use_wfr=True, wfr_interpolation_order=3)), ("order1", dict(use_wfr=True, wfr_interpolation_order=1)),
                 ("order0", dict(use_wfr=True, wfr_interpolation_order=0)), ("nowfr", dict(use_wfr=False))]:
    nest.ResetKernel()
    nest.SetKernelStatus(dict(resolution=0.1, **kw))
    if kw["use_wfr"]:
        nest.SetKernelStatus(dict(wfr_comm_interval=1.0, wfr_tol=1e-4, wfr_max_iterations=10))
    n1 = nest.Create("hh_psc_alpha_gap", params={"I_e": 200.0})
    n2 = nest.Create("hh_psc_alpha_gap")
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(n1, n2, {"rule": "one_to_one", "make_symmetric": True}, {"synapse_model": "gap_junction", "weight": 20.0})
    nest.Connect(vm, n1 + n2)
    nest.Simulate(20.0)
    ev = vm.get("events")
    v1 = [v for v, s in zip(ev["V_m"], ev["senders"]) if s == 1]
    v2 = [v for v, s in zip(ev["V_m"], ev["senders"]) if s == 2]
    out[name] = {"V1": v1, "V2": v2}
    print(name, len(v2), v2[116:121])
json.dump(out, open("nest_gap_pair.json", "w"))
