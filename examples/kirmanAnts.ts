// Kirman's ants (Kirman 1993): N ants choose between two food sources. Each step an ant switches
// spontaneously with probability epsilon, or is recruited by an ant of the other source with
// probability h times the share of the others: p_flip = min(1, epsilon + h * others). Output: the
// share of ants at source 1. The model of the issue that introduced defineModel, as written there.
import { defineModel } from '../lib/index.js';

export const kirmanAnts = defineModel({
  name: 'kirmanAnts',
  parameters: {
    epsilon: { constraint: 'unit', reference: 0.01 },   // spontaneous switching
    h: { constraint: 'unit', reference: 0.3 },          // recruitment
  },
  settings: { agents: 100, steps: 500 },
  agent: ['choice'],
  outputs: ['share'],
  init(m) {
    m.forEachAgent((a) => { a.choice = m.bernoulli(0.5); });
    m.output({ share: m.sum((a) => a.choice) / m.agents });
  },
  step(m) {
    const share = m.sum((a) => a.choice) / m.agents;
    m.forEachAgent((a) => {
      const others = a.choice * (1 - share) + (1 - a.choice) * share;
      const flip = m.bernoulli(Math.min(1, m.params.epsilon + m.params.h * others));
      a.choice = a.choice + flip * (1 - 2 * a.choice);
    });
    m.output({ share: m.sum((a) => a.choice) / m.agents });
  },
});

export default kirmanAnts;
