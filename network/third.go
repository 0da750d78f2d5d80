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
	if tf.inSyn, err = newSynParams(t.SynIn, dt); err != nil {
		return nil, err
	}
	if tf.outSyn, err = newSynParams(t.SynOut, dt); err != nil {
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
	g.in.src = append(g.in.src, uint32(s))
	g.in.other = append(g.in.other, uint32(a))
	if tf.inSyn.random() {
		w, d, err := tf.inSyn.draw(&g.inSP, &env)
		if err != nil {
			return err
		}
		g.in.weights, g.in.delays = append(g.in.weights, w), append(g.in.delays, d)
	}
	if g.out.explicit {
		g.out.src = append(g.out.src, uint32(a))
		g.out.other = append(g.out.other, uint32(t))
	} else {
		g.out.other = append(g.out.other, uint32(a))
	}
	if tf.outSyn.random() {
		w, d, err := tf.outSyn.draw(&g.outSP, &env)
		if err != nil {
			return err
		}
		g.out.weights, g.out.delays = append(g.out.weights, w), append(g.out.delays, d)
	}
	return nil
}
