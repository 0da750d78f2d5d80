package emu

/*
double snn_emu_exp(double x);
double snn_emu_log(double x);
*/
import "C"

// kernelExp and kernelLog are the kernels' snn_exp and snn_log, compiled
// for the host as the emulator compiles them (portable_test.go).
func kernelExp(x float64) float64 { return float64(C.snn_emu_exp(C.double(x))) }
func kernelLog(x float64) float64 { return float64(C.snn_emu_log(C.double(x))) }
