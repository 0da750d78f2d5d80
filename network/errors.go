package network

import "fmt"

// fieldError is an error about one field of the config, named by its path
// below the object that reports it ("syn.delay"). Callers above add their
// part in front ("connection[2]"), so that the message names the field as
// configs does: connection[2].syn.delay.
type fieldError struct {
	path string
	err  error
}

func (e *fieldError) Error() string { return e.path + ": " + e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

// at puts err under path: at("connection[2]", at("syn.delay", err)) reads
// "connection[2].syn.delay: …".
func at(path string, err error) error {
	if fe, ok := err.(*fieldError); ok {
		return &fieldError{path + "." + fe.path, fe.err}
	}
	return &fieldError{path, err}
}

// within puts err under path unless it already names a field (an error of a
// synapse parameter drawn while the rule draws pairs, say).
func within(path string, err error) error {
	if _, ok := err.(*fieldError); ok {
		return err
	}
	return at(path, err)
}

// fieldf is at(path, fmt.Errorf(format, args...)).
func fieldf(path, format string, args ...any) error {
	return at(path, fmt.Errorf(format, args...))
}
