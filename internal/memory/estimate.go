package memory

import (
	"math"
	"slices"
	"strings"
)

// Term is one part of an estimate.
type Term struct {
	Name   string
	Shared float64 // bytes held once per batch
	Member float64 // bytes each batch member adds
}

// Bytes returns the term's bytes for a batch of batch members.
func (t Term) Bytes(batch int) float64 { return t.Shared + float64(batch)*t.Member }

// Estimate is the peak memory of one batch, term by term.
type Estimate struct {
	Terms []Term
}

// Add adds bytes to the term of that name (a new term if there is none),
// so that, say, the ring buffers of every population make one term.
func (e *Estimate) Add(name string, shared, member float64) {
	for i := range e.Terms {
		if e.Terms[i].Name == name {
			e.Terms[i].Shared += shared
			e.Terms[i].Member += member
			return
		}
	}
	e.Terms = append(e.Terms, Term{Name: name, Shared: shared, Member: member})
}

// Merge adds every term of o.
func (e *Estimate) Merge(o Estimate) {
	for _, t := range o.Terms {
		e.Add(t.Name, t.Shared, t.Member)
	}
}

// Bytes returns the estimate for a batch of batch members.
func (e *Estimate) Bytes(batch int) float64 {
	var sum float64
	for _, t := range e.Terms {
		sum += t.Bytes(batch)
	}
	return sum
}

// PerMember returns the bytes each member adds.
func (e *Estimate) PerMember() float64 {
	var sum float64
	for _, t := range e.Terms {
		sum += t.Member
	}
	return sum
}

// Fit returns the largest batch whose estimate is within limit bytes (0 if
// not even one member fits), at most max.
func (e *Estimate) Fit(limit float64, max int) int {
	shared := e.Bytes(0)
	member := e.PerMember()
	if !(shared+member <= limit) {
		return 0
	}
	if member <= 0 {
		return max
	}
	return int(math.Min(float64(max), math.Floor((limit-shared)/member)))
}

// Largest describes the k largest terms for a batch of batch members, the
// largest first: "analysis bins 7.3 PiB, ring buffers 1.2 GiB".
func (e *Estimate) Largest(batch, k int) string {
	terms := slices.Clone(e.Terms)
	slices.SortStableFunc(terms, func(a, b Term) int {
		switch x, y := a.Bytes(batch), b.Bytes(batch); {
		case x > y:
			return -1
		case x < y:
			return 1
		}
		return 0
	})
	var parts []string
	for _, t := range terms[:min(k, len(terms))] {
		parts = append(parts, t.Name+" "+Format(t.Bytes(batch)))
	}
	return strings.Join(parts, ", ")
}
