// Bass diffusion of an innovation (models.bassDiffusion), written with defineModel.
//
// Each agent that has not adopted adopts during a step with probability 1 - exp(-(p + q F)),
// F the fraction that had adopted before the step: p is the pull of innovation, q of imitation.
// Output: F, with F(0) = 0.
//
// Stream 0 is the built-in's slot of the adoption draws and the arithmetic its order, so the
// twin gives its numbers bitwise.
import { defineModel } from '../../lib/index.js';

export default defineModel({
  name: 'bassDiffusion',
  parameters: {
    p: { constraint: 'positive', reference: 0.03 },   // innovation
    q: { constraint: 'positive', reference: 0.38 },   // imitation
  },
  settings: { agents: 1000, steps: 30 },
  agent: ['adopted'],          // 1 once adopted (a fraction under the relaxed estimator)
  state: ['fraction'],         // F: the fraction adopted after the last step
  outputs: ['adopted'],
  init(m) {
    m.forEachAgent((a) => { a.adopted = 0; });
    m.output({ adopted: 0 });
  },
  step(m) {
    const adoptionProbability = -Math.expm1(-(m.params.p + m.params.q * m.state.fraction));
    const adopters = m.sum((a) => {
      a.adopted = a.adopted + (1 - a.adopted) * m.bernoulli(adoptionProbability, { stream: 0 });
      return a.adopted;
    });
    m.state.fraction = adopters / m.agents;
    m.output({ adopted: m.state.fraction });
  },
});
