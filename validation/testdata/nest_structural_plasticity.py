"""NEST 3.10's structural_plasticity.py example as the script really runs it
(iaf_psc_alpha with defaults), recording after every 1-s Simulate call the
mean Ca of E and I and the synapse counts (sum of Axon_ex.z_connected over E,
of Axon_in.z_connected over I). Prints one JSON object.

    PYTHONPATH=/tmp/nest/lib/python3.11/site-packages python3 nest_structural_plasticity.py SEED
"""
import json
import sys
import time

import nest

seed = int(sys.argv[1])
nest.set_verbosity("M_ERROR")
nest.ResetKernel()
nest.resolution = 0.1
nest.rng_seed = seed
nest.structural_plasticity_update_interval = 10000.0
nest.CopyModel("static_synapse", "synapse_ex")
nest.SetDefaults("synapse_ex", {"weight": 585.0, "delay": 1.0})
nest.CopyModel("static_synapse", "synapse_in")
nest.SetDefaults("synapse_in", {"weight": -585.0, "delay": 1.0})
nest.structural_plasticity_synapses = {
    "synapse_ex": {"synapse_model": "synapse_ex", "post_synaptic_element": "Den_ex", "pre_synaptic_element": "Axon_ex"},
    "synapse_in": {"synapse_model": "synapse_in", "post_synaptic_element": "Den_in", "pre_synaptic_element": "Axon_in"},
}


def gauss(nu, eps):
    return {"growth_curve": "gaussian", "growth_rate": nu, "continuous": False, "eta": 0.0, "eps": eps}


e_el = {"Den_ex": gauss(1e-4, 0.05), "Den_in": gauss(1e-4, 0.05), "Axon_ex": gauss(1e-4, 0.05)}
i_el = {"Den_ex": gauss(4e-4, 0.2), "Den_in": gauss(1e-4, 0.2), "Axon_in": gauss(1e-4, 0.2)}
E = nest.Create("iaf_psc_alpha", 800, {"synaptic_elements": e_el})
I = nest.Create("iaf_psc_alpha", 200, {"synaptic_elements": i_el})
noise = nest.Create("poisson_generator", params={"rate": 10000.0})
nest.Connect(noise, E + I, "all_to_all", {"weight": 6.2, "delay": 1.0})
nest.EnableStructuralPlasticity()

rows = []
t0 = time.time()
for k in range(200):
    nest.Simulate(1000.0)
    ca_e = sum(E.get("Ca")) / len(E)
    ca_i = sum(I.get("Ca")) / len(I)
    ex = sum(n["Axon_ex"]["z_connected"] for n in E.get("synaptic_elements"))
    inh = sum(n["Axon_in"]["z_connected"] for n in I.get("synaptic_elements"))
    rows.append({"t_s": k + 1, "ca_e": ca_e, "ca_i": ca_i, "syn_ex": ex, "syn_in": inh})
print(json.dumps({"seed": seed, "nest": nest.__version__, "wall_s": time.time() - t0, "rows": rows}))
