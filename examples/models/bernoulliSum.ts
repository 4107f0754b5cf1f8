// The estimator test model models.bernoulliSum, written with defineModel.
//
// Each agent draws x = 2 Bernoulli(min(3 theta, 1)) + Bernoulli(theta), fresh every step; the
// output is their mean over agents. E[x] = 2 (3 theta) + theta = 7 theta for theta <= 1/3, so
// dE[x]/dtheta = 7.
//
// Streams 0 and 1 are the built-in's slots of the two draws; the twin gives its values and tangents
// bitwise in every estimator mode (score-mode log p up to rounding: its terms are added in another
// order, as in sir.ts).
import { defineModel } from '../../lib/index.js';

export default defineModel({
  name: 'bernoulliSum',
  parameters: {
    theta: { constraint: 'unit', reference: 0.2 },
  },
  settings: { agents: 1, steps: 1 },
  outputs: ['x'],
  init(m) {
    m.output({ x: 0 });
  },
  step(m) {
    const theta = m.params.theta;
    const triple = Math.min(3 * theta, 1);
    const total = m.sum((_agent) => 2 * m.bernoulli(triple, { stream: 0 }) + m.bernoulli(theta, { stream: 1 }));
    m.output({ x: total / m.agents });
  },
});
