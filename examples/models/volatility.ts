// Volatility clustering (Cont 2007) of models.volatility, written with defineModel.
//
// N agents trade one asset. Each has a threshold nu_i, initially LogNormal(muLN, sigmaLN)
// (reparameterised: exp(muLN + sigmaLN z)). Each step t = 1..T:
//   eps_t ~ N(0, sigmaEps^2)                           one common signal (reparameterised)
//   rho_i = 1[eps_t > nu_i] - 1[eps_t < -nu_i]         buy, sell or stay out (hard thresholds)
//   r_t   = sum_i rho_i / (N eta)                       the return
//   nu_i <- |r_t| with probability s, else unchanged    (s = resetProbability, a Bernoulli draw)
// Output: r, with r(0) = 0.
//
// Streams 0, 1 and 2 are the built-in's slots of the initial thresholds, the signal and the resets.
// The built-in takes step t's resets inside step t + 1's pass over the agents, keyed by step t;
// this twin takes them at the end of step t, keyed by t, which draws the same numbers (the
// built-in skips the last step's resets, which reach no output, except in score mode, where log p
// counts them, as here). The order 1[eps > nu] - 1[-nu > eps] and N eta are in the built-in's order
// of arithmetic: values are bitwise the built-in's in every estimator mode, and so are tangents,
// log p included, except straight-through and smoothed tangents, which the built-in takes from one
// fused formula for the two thresholds' surrogate slopes and this twin from two m.above: equal up
// to rounding there.
import { defineModel } from '../../lib/index.js';

export default defineModel({
  name: 'volatility',
  parameters: {
    muLN: { constraint: 'positive', reference: 1 },       // log-mean of the initial thresholds
    sigmaLN: { constraint: 'positive', reference: 0.5 },  // log-sd of the initial thresholds
    sigmaEps: { constraint: 'positive', reference: 1 },   // sd of the signal
    eta: { constraint: 'positive', reference: 0.7 },      // market depth
  },
  settings: {
    agents: 1000,
    steps: 100,
    resetProbability: { default: 0.1, min: 0, max: 1 },   // s
  },
  agent: ['threshold'],
  outputs: ['r'],
  init(m) {
    m.forEachAgent((a) => {
      a.threshold = Math.exp(m.normal(m.params.muLN, m.params.sigmaLN, { stream: 0 }));
    });
    m.output({ r: 0 });
  },
  step(m) {
    const signal = m.params.sigmaEps * m.commonNormal({ stream: 1 });
    // Orders in the built-in's order: 1[signal > nu] - 1[-nu > signal], under the estimator mode.
    const demand = m.sum((a) => m.above(signal, a.threshold) - m.above(-a.threshold, signal));
    const r = demand / (m.agents * m.params.eta);   // N eta first, as the built-in divides
    const magnitude = Math.abs(r);
    m.forEachAgent((a) => {
      // 0 or 1 (a fraction under the relaxed estimator): the blend is the reset itself.
      const reset = m.bernoulli(m.settings.resetProbability, { stream: 2 });
      a.threshold = reset * magnitude + (1 - reset) * a.threshold;
    });
    m.output({ r });
  },
});
