// The estimator test model models.gaussianShift, written with defineModel.
//
// Each agent draws z ~ N(theta, 2^2), reparameterised as theta + 2 xi, xi ~ N(0, 1), and reports
// y = theta^2 (4 + z); the output is the mean of y over agents. E[y] = 4 theta^2 + theta^3, so
// dE[y]/dtheta = 8 theta + 3 theta^2 (28 at theta = 2), and each sample's pathwise derivative is
// exactly 2 theta (4 + z) + theta^2.
//
// Stream 0 is the built-in's slot of the noise; theta * theta * (4 + z) is in the built-in's
// order, and the twin gives its numbers bitwise.
import { defineModel } from '../../lib/index.js';

export default defineModel({
  name: 'gaussianShift',
  parameters: {
    theta: { constraint: 'real', reference: 2 },
  },
  settings: { agents: 1, steps: 1 },
  outputs: ['y'],
  init(m) {
    m.output({ y: 0 });
  },
  step(m) {
    const theta = m.params.theta;
    const total = m.sum((_agent) => {
      const z = m.normal(theta, 2, { stream: 0 });   // theta + 2 xi
      return theta * theta * (4 + z);
    });
    m.output({ y: total / m.agents });
  },
});
