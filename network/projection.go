package network

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/param"
	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/spec"
)

// Roles of the projections a connection statement makes.
const (
	RolePrimary = ""        // source → target
	RoleReverse = "reverse" // target → source: the symmetric counterparts (different populations)
	// RoleDiffusion: a diffusion_connection's diffusion_factor half (its
	// primary projection carries drift_factor).
	RoleDiffusion = "diffusion"
	RoleThirdIn   = "third_in"  // source → third population
	RoleThirdOut  = "third_out" // third population → target
)

// Twin reports whether pr shares another projection's synapses (a
// diffusion_connection's diffusion half shares its drift half's): counts
// of synapses and bytes skip it.
func (pr *Projection) Twin() bool { return pr.Role == RoleDiffusion }

// buildConnection draws connection statement i and returns its projections:
// the primary one, and the reverse and third-factor ones when it makes them.
func buildConnection(points []spec.Network, i int, net *Network, names map[string]Endpoint, threads int) ([]*Projection, error) {
	start := time.Now()
	c := points[0].Connections[i]
	src, ok := names[c.Source]
	if !ok {
		return nil, fieldf("source", "unknown source %q", c.Source)
	}
	tgt, ok := names[c.Target]
	if !ok || tgt.Device {
		return nil, fieldf("target", "target %q is not a population", c.Target)
	}
	cn := &connector{c: c, index: i, key: rng.NewKey(net.Seed, rng.Network), threads: threads, dt: net.Dt}
	cn.tgt = side{n: net.Pops[tgt.Index].N, layer: net.Pops[tgt.Index].Layer}
	if src.Device {
		cn.src = side{n: net.Devices[src.Index].N}
	} else {
		cn.src = side{n: net.Pops[src.Index].N, layer: net.Pops[src.Index].Layer}
	}
	cn.same = !src.Device && src.Index == tgt.Index
	if err := CheckRule(c.Rule, cn.src.n, cn.tgt.n, cn.same); err != nil {
		return nil, at("rule", err)
	}
	if err := cn.compile(); err != nil {
		return nil, err
	}
	var third *Population
	if c.Third != nil {
		e, ok := names[c.Third.Population]
		if !ok || e.Device {
			return nil, fieldf("third.population", "%q is not a population", c.Third.Population)
		}
		third = net.Pops[e.Index]
		tf, err := newThirdFactor(c.Third, cn.tgt.n, third.N, cn.key, uint32(i), net.Dt)
		if err != nil {
			return nil, within("third", err)
		}
		cn.third = tf
	}
	gen, err := cn.rowGenerator()
	if err != nil {
		return nil, err
	}
	rows := cn.tgt.n
	if !cn.rowsAreTargets() {
		rows = cn.src.n
	}
	set, in, out, err := cn.generate(rows, cn.rowsAreTargets(), uint32(i), gen)
	if err != nil {
		return nil, within("rule", err) // a drawn degree, say, unless a synapse parameter failed
	}

	symmetric := c.Rule.MakeSymmetric
	primary := []part{{set: set}}
	if symmetric && cn.same {
		primary = append(primary, part{set: set, flip: true})
	}
	mk := func(role string, from Endpoint, to int, syn func(m int) spec.Synapse, sp synParams, parts []part) (*Projection, error) {
		pr, err := newProjection(points, net, from, to, syn, sp, parts, threads)
		if err != nil {
			return nil, err
		}
		pr.Connection, pr.Role, pr.Rule = i, role, c.Rule.Name
		pr.Gap = c.Syn.Model == spec.GapJunction && (role == RolePrimary || role == RoleReverse)
		pr.Name = endpointName(net, from) + "->" + net.Pops[to].Name
		if role != RolePrimary {
			pr.Name += " (" + role + ")"
		}
		return pr, nil
	}
	synOf := func(m int) spec.Synapse { return points[m].Connections[i].Syn }
	prs := []*Projection{}
	pr, err := mk(RolePrimary, src, tgt.Index, synOf, cn.syn, primary)
	if err != nil {
		return nil, err
	}
	prs = append(prs, pr)
	if c.Syn.Model == spec.DiffusionConnection {
		tw, err := diffusionTwin(pr, net, points, i)
		if err != nil {
			return nil, err
		}
		prs = append(prs, tw)
	}
	if symmetric && c.Rule.Name == "fixed_total_number" && c.Syn.Model != spec.GapJunction {
		return nil, fieldf("rule.make_symmetric", "make_symmetric with fixed_total_number is for gap_junction connections only")
	}
	if symmetric && !cn.same {
		if src.Device {
			return nil, fieldf("rule.make_symmetric", "make_symmetric needs populations at both ends")
		}
		pr, err := mk(RoleReverse, tgt, src.Index, synOf, cn.syn, []part{{set: set, flip: true}})
		if err != nil {
			return nil, err
		}
		prs = append(prs, pr)
	}
	if third != nil {
		a := Endpoint{Index: third.Index}
		inSyn := func(m int) spec.Synapse { return points[m].Connections[i].Third.SynIn }
		outSyn := func(m int) spec.Synapse { return points[m].Connections[i].Third.SynOut }
		pin, err := mk(RoleThirdIn, src, third.Index, inSyn, cn.third.inSyn, []part{{set: in}})
		if err != nil {
			return nil, err
		}
		pout, err := mk(RoleThirdOut, a, tgt.Index, outSyn, cn.third.outSyn, []part{{set: out}})
		if err != nil {
			return nil, err
		}
		prs = append(prs, pin, pout)
	}
	build := time.Since(start).Seconds()
	for _, p := range prs {
		p.BuildSeconds = build / float64(len(prs))
		net.MaxDelay = max(net.MaxDelay, p.maxDelay())
	}
	return prs, nil
}

// compile prepares the rule's parameters, the mask and the synapse
// parameters of the primary synapses.
func (cn *connector) compile() error {
	r := cn.c.Rule
	var err error
	compileParam := func(name string) (*param.Expr, error) {
		v, ok := r.Params[name]
		if !ok {
			return nil, nil
		}
		if v.IsConst() {
			return param.Const(v.Const), nil
		}
		e, err := param.Compile(v.Expr, nil)
		if err != nil {
			return nil, at("rule."+name, err)
		}
		return e, nil
	}
	for _, k := range []string{"indegree", "outdegree", "N"} {
		if e, err := compileParam(k); err != nil {
			return err
		} else if e != nil {
			cn.degree = e
		}
	}
	for _, k := range []string{"p", "pairwise_avg_num_conns"} {
		if e, err := compileParam(k); err != nil {
			return err
		} else if e != nil {
			cn.prob = e
		}
	}
	if cn.syn, err = newSynParams(cn.c.Syn, cn.dt, "syn"); err != nil {
		return err
	}
	spatial := cn.c.Mask != nil
	for _, e := range []*param.Expr{cn.degree, cn.prob, cn.syn.weight, cn.syn.delay} {
		spatial = spatial || e != nil && e.Spatial()
	}
	if spatial {
		if cn.src.layer == nil || cn.tgt.layer == nil {
			return fmt.Errorf("a mask or a spatial parameter needs spatial populations at both ends")
		}
		if cn.src.layer.Dims != cn.tgt.layer.Dims {
			return fmt.Errorf("the source layer has %d dimensions, the target layer %d", cn.src.layer.Dims, cn.tgt.layer.Dims)
		}
		cn.spatialEnv = true
	}
	// The pool layer is the target's unless the driver is the target
	// (fixed_indegree, and pairwise_bernoulli with use_on_source).
	cn.driverSrc = !(r.Name == "fixed_indegree" || r.Name == "pairwise_bernoulli" && r.UseOnSource)
	if cn.c.Mask != nil {
		switch r.Name {
		case "pairwise_bernoulli", "pairwise_poisson", "fixed_indegree", "fixed_outdegree", "all_to_all":
		default:
			return fieldf("rule", "rule %s takes no mask (masks apply to pairwise_bernoulli, pairwise_poisson, fixed_indegree, fixed_outdegree and all_to_all)", r.Name)
		}
		// (configs refuses masks larger than a periodic layer, with NEST's
		// exact geometry, unless allow_oversized_mask.)
		if cn.mask, err = buildMask(cn.c.Mask, cn.src.layer.Dims); err != nil {
			return err
		}
		disp := cn.tgt.layer // where displacements are measured: the pool layer
		if !cn.driverSrc {
			disp = cn.src.layer
		}
		cn.srcIx = newCellIndex(cn.src.layer.Pos, cn.src.layer, disp, cn.mask.reach)
		if r.Name == "fixed_outdegree" {
			cn.tgtIx = newCellIndex(cn.tgt.layer.Pos, cn.tgt.layer, disp, cn.mask.reach)
		}
	}
	if r.Name == "fixed_total_number" {
		n, ok := cn.degree.Constant()
		if !ok {
			return fieldf("rule.N", "fixed_total_number needs a constant N")
		}
		cn.totalPer = totalNumber(cn.key, uint32(cn.index), uint64(n), cn.tgt.n)
	}
	return nil
}

// newProjection assembles one projection from its parts, with the weights of
// every batch member.
func newProjection(points []spec.Network, net *Network, from Endpoint, to int, syn func(m int) spec.Synapse, sp synParams, parts []part, threads int) (*Projection, error) {
	pr := &Projection{Source: from, Target: to}
	target := net.Pops[to]
	s0 := syn(0)
	kind := models.SpikePort
	ns := 0
	if from.Device {
		d := net.Devices[from.Index]
		ns = d.N
		if d.Model.Output == models.CurrentOutput {
			kind = models.CurrentPort
		}
	} else {
		ns = net.Pops[from.Index].N
	}
	if spec.IsRate(s0.Model) {
		kind = models.RatePort
		if s0.Model == spec.DiffusionConnection {
			kind = models.DiffusionPort
		}
		if from.Device && net.Devices[from.Index].Model.Output != models.RateOutput ||
			!from.Device && net.Pops[from.Index].Model.Rate == nil {
			return nil, fmt.Errorf("%s sends no rate: %s needs a rate model or step_rate_generator as source", endpointName(net, from), s0.Model)
		}
	} else if !from.Device && net.Pops[from.Index].Model.Rate != nil || from.Device && net.Devices[from.Index].Model.Output == models.RateOutput {
		return nil, fieldf(sp.key+".model", "%s sends rates, not spikes: connect it with %s or %s", endpointName(net, from), spec.RateInstantaneous, spec.RateDelayed)
	}
	if s0.Receptor != 0 {
		return nil, fieldf(sp.key+".receptor", "receptor %d: %s has no receptor types; use 0", s0.Receptor, target.Model.Name)
	}
	what := map[models.PortKind]string{models.SpikePort: "spike", models.CurrentPort: "current", models.RatePort: "rate", models.DiffusionPort: spec.DiffusionConnection}[kind]
	pr.Port, pr.PortNeg = target.Model.PortsFor(kind, s0.ReceptorName)
	positiveOnly := kind == models.SpikePort && pr.Port >= 0 && pr.PortNeg < 0 && s0.ReceptorName != ""
	if positiveOnly { // a named receptor for positive weights only (pp_cond_exp_mc_urbanczik's, as NEST)
		pr.PortNeg = pr.Port
	}
	if pr.Port < 0 || pr.PortNeg < 0 {
		if names := target.Model.Receptors(kind); len(names) > 0 {
			return nil, fieldf(sp.key+".receptor", "receptor %q: %s's %s receptors are %s", s0.ReceptorName, target.Model.Name, what, strings.Join(names, ", "))
		}
		return nil, fmt.Errorf("%s takes no %s input", target.Model.Name, what)
	}
	pr.Weight = make([]float32, len(points))
	for m := range points {
		w := syn(m).Weight
		if w.IsConst() != (sp.weight == nil) {
			return nil, fieldf(sp.key+".weight", "weight is random for some batch members and constant for others")
		}
		pr.Weight[m] = 1
		if w.IsConst() {
			pr.Weight[m] = float32(w.Const)
		}
	}
	pr.Rate = spec.IsRate(s0.Model)
	if s0.Model == spec.RateInstantaneous || s0.Model == spec.DiffusionConnection {
		sp.delay = nil // pr.Delay = 0: the sources' rates of the same step
	} else if sp.delay == nil {
		d, err := delaySteps(s0.Delay.Const, net.Dt)
		if err != nil {
			return nil, at(sp.key+".delay", err)
		}
		pr.Delay = d
	}
	csr, err := assemble(ns, parts, sp.random(), threads)
	if err != nil {
		return nil, err
	}
	pr.CSR = *csr
	if sp.weight == nil {
		pr.Weights = nil
	}
	if positiveOnly {
		for m, w := range pr.Weight {
			if w < 0 || slices.ContainsFunc(pr.Weights, func(x float32) bool { return x*w < 0 }) {
				return nil, fieldf(sp.key+".weight", "negative weight (batch member %d): %s's receptor %s takes only positive weights, as in NEST",
					m, target.Model.Name, s0.ReceptorName)
			}
		}
	}
	if sp.delay == nil {
		pr.Delays = nil
	}
	return pr, nil
}

// diffusionTwin is the second half of a diffusion_connection: the same
// synapses as the drift projection pr, weighted by diffusion_factor (a
// constant) into the target's second DiffusionPort.
func diffusionTwin(pr *Projection, net *Network, points []spec.Network, conn int) (*Projection, error) {
	tw := *pr
	tw.Role, tw.Name = RoleDiffusion, pr.Name+" ("+RoleDiffusion+")"
	tw.Weights = nil
	tw.Weight = make([]float32, len(points))
	for m := range points {
		tw.Weight[m] = float32(points[m].Connections[conn].Syn.Diffusion.Const)
	}
	tw.Port = -1
	for k, p := range net.Pops[pr.Target].Model.Ports {
		if p.Kind == models.DiffusionPort && k != pr.Port {
			tw.Port = k
			break
		}
	}
	if tw.Port < 0 {
		return nil, fmt.Errorf("%s has no diffusion input", net.Pops[pr.Target].Model.Name)
	}
	tw.PortNeg = tw.Port
	return &tw, nil
}

func (pr *Projection) maxDelay() int {
	d := pr.Delay
	for _, x := range pr.Delays {
		d = max(d, int(x))
	}
	return d
}

func endpointName(net *Network, e Endpoint) string {
	if e.Device {
		return net.Devices[e.Index].Name
	}
	return net.Pops[e.Index].Name
}
