package network

import (
	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/spec"
)

// thirdFactor draws NEST's third_factor_bernoulli_with_pool: for each primary
// synapse s → t, with probability p, one neuron a of t's pool in the third
// population, and the synapses s → a (third_in) and a → t (third_out).
type thirdFactor struct {
	spec          *spec.ThirdFactor
	nt, nThird    int
	pools         [][]uint32 // random pools, by target
	inSyn, outSyn synParams
}

func newThirdFactor(t *spec.ThirdFactor, nt, nThird int, key rng.Key, object uint32, dt float64) (*thirdFactor, error) {
	if err := CheckThird(t, nt, nThird); err != nil {
		return nil, err
	}
	tf := &thirdFactor{spec: t, nt: nt, nThird: nThird}
	var err error
	if tf.inSyn, err = newSynParams(t.SynIn, dt, "syn_third_in"); err != nil {
		return nil, err
	}
	if tf.outSyn, err = newSynParams(t.SynOut, dt, "syn_third_out"); err != nil {
		return nil, err
	}
	if t.PoolType == "random" {
		// Each target's pool: pool_size distinct neurons, drawn from the
		// target's own stream.
		tf.pools = make([][]uint32, nt)
		for tg := range tf.pools {
			st := rng.NewStream(key, rng.PurposeThird, object, uint32(tg), 1)
			taken := make(map[uint32]bool, t.PoolSize)
			for len(tf.pools[tg]) < t.PoolSize {
				a := st.Intn(uint32(nThird))
				if !taken[a] {
					taken[a] = true
					tf.pools[tg] = append(tf.pools[tg], a)
				}
			}
		}
	}
	return tf, nil
}

// pair draws the third-factor synapses of the primary synapse s → t.
func (tf *thirdFactor) pair(g *gen, s, t int) error {
	if g.thirdRNG.Float64() >= tf.spec.P {
		return nil
	}
	size := tf.spec.PoolSize
	pick := 0
	if size > 1 {
		pick = int(g.thirdRNG.Intn(uint32(size)))
	}
	var a int
	switch {
	case tf.pools != nil:
		a = int(tf.pools[t][pick])
	case tf.nt*size == tf.nThird: // block pools of pool_size neurons
		a = t*size + pick
	default: // pool_size 1, targets a multiple of the third population
		a = t / (tf.nt / tf.nThird)
	}
	env := g.env
	if err := g.in.add(uint32(s), uint32(a), &tf.inSyn, &g.inSP, &env); err != nil {
		return err
	}
	// third_out's rows are targets, unless the primary rule's rows are
	// sources (then its chunk is explicit and keeps both ends).
	other := uint32(a)
	if g.out.explicit {
		other = uint32(t)
	}
	return g.out.add(uint32(a), other, &tf.outSyn, &g.outSP, &env)
}
