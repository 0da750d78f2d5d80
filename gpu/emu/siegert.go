package emu

/*
double snn_emu_siegert(double tau_m, double tau_syn, double t_ref, double theta, double V_reset, double mu, double sigma);
*/
import "C"

// kernelSiegert is kernels/siegert.cuh's siegert_rate, compiled for the host
// as the emulator compiles kernels (siegert_test.go); p is tau_m, tau_syn,
// t_ref, theta, V_reset.
func kernelSiegert(p [5]float64, mu, sigma float64) float64 {
	return float64(C.snn_emu_siegert(C.double(p[0]), C.double(p[1]), C.double(p[2]), C.double(p[3]), C.double(p[4]),
		C.double(mu), C.double(sigma)))
}
