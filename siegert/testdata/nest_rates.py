# Stationary rates of NEST's siegert_neuron for the points given on stdin,
# one per line: tau_m tau_syn t_ref theta V_reset mu sigma. Prints one rate
# (1/s) per line, as "rate R". A drive unit holds rate 1 (mean 1, no input); every probe
# gets one diffusion_connection from it with drift_factor mu and
# diffusion_factor sigma^2, so its input is (mu, sigma^2); after 60 ms at
# tau = 1 ms its rate equals Phi(mu, sigma) (exponential Euler: e^-600).
import sys
import nest

nest.set_verbosity("M_ERROR")
pts = [list(map(float, line.split())) for line in sys.stdin if line.strip()]
nest.SetKernelStatus({"resolution": 0.1, "use_wfr": False})
drive = nest.Create("siegert_neuron", params={"mean": 1.0, "rate": 1.0, "tau": 1.0})
probes = nest.Create("siegert_neuron", len(pts))
for node, (tau_m, tau_syn, t_ref, theta, v_reset, mu, sigma) in zip(probes, pts):
    node.set({"tau_m": tau_m, "tau_syn": tau_syn, "t_ref": t_ref, "theta": theta, "V_reset": v_reset, "tau": 1.0})
    nest.Connect(drive, node, syn_spec={"synapse_model": "diffusion_connection",
                                        "drift_factor": mu, "diffusion_factor": sigma * sigma})
nest.Simulate(60.0)
assert drive.get("rate") == 1.0
for r in probes.get("rate"):
    print("rate", repr(r))
