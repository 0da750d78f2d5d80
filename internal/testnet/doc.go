// Package testnet builds small networks directly as spec values and
// collects what backends produce, for the tests of the engines (which must
// not depend on the config loader).
package testnet
