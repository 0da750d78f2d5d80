// Package units knows the physical units that model parameters use, so that
// configs can say "1.5 ms" or "0.25 nF", compute with quantities ("tau/dt",
// "C_m/tau_m") and get a clear error for "20 ms" where a voltage is expected.
//
// A Quantity is a number with a dimension. Dimensions are exponents of
// voltage, time and current: every unit of NEST's models derives from those
// three (pF = pA·ms/mV, nS = pA/mV, Hz = 1/s), so products and quotients of
// parameters have a dimension too. A quantity's number is in the coherent
// units mV, ms and pA (so pF, nS and GΩ come out as they are, a frequency in
// 1/ms); values handed to models are in NEST's units: mV, ms, pF, pA, nS, Hz.
package units
