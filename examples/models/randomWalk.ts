// The random walk of models.randomWalk, written with defineModel.
//
// Every agent starts at 0 and each step moves +1 with probability p, else -1:
//   x_i(0) = 0,   x_i(t) = x_i(t-1) + 2 xi - 1,   xi ~ Bernoulli(p).
// Output: the mean position x(t) = (1/N) sum_i x_i(t), so E[x(T)] = T (2p - 1) and
// dE[x(T)]/dp = 2T.
//
// The draw names stream 0, the built-in's slot, so the twin draws the built-in's numbers; the
// arithmetic is the built-in's too, and the two give the same numbers bitwise.
import { defineModel } from '../../lib/index.js';

export default defineModel({
  name: 'randomWalk',
  parameters: {
    p: { constraint: 'unit', reference: 0.6 },   // probability of a step up
  },
  settings: { agents: 1000, steps: 100 },
  agent: ['position'],
  outputs: ['x'],
  init(m) {
    m.forEachAgent((a) => { a.position = 0; });
    m.output({ x: 0 });
  },
  step(m) {
    const total = m.sum((a) => {
      const move = 2 * m.bernoulli(m.params.p, { stream: 0 }) - 1;   // +1 or -1
      a.position = a.position + move;
      return a.position;
    });
    m.output({ x: total / m.agents });
  },
});
