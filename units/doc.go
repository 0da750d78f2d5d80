// Package units knows the physical units that model parameters use, so that
// configs can say "1.5 ms" or "0.25 nF" and get a clear error for "20 ms"
// where a voltage is expected. Values inside snn-gpu are always in NEST's
// units: mV, ms, pF, pA, nS, Hz.
package units
