package emu

/*
double snn_emu_exp(double x);
double snn_emu_log(double x);
double snn_emu_pow(double x, double y);
*/
import "C"

// kernelExp, kernelLog and kernelPow are the kernels' snn_exp, snn_log and snn_pow, compiled
// for the host as the emulator compiles them (portable_test.go).
func kernelExp(x float64) float64    { return float64(C.snn_emu_exp(C.double(x))) }
func kernelLog(x float64) float64    { return float64(C.snn_emu_log(C.double(x))) }
func kernelPow(x, y float64) float64 { return float64(C.snn_emu_pow(C.double(x), C.double(y))) }
