// The SIR on a contact graph of models.networkSir, written with defineModel.
//
// A susceptible agent with m infected neighbours (as the previous step left them) is infected
// with p_inf = 1 - (1 - beta)^m; an infected agent recovers with p_rec = 1 - exp(-gamma).
// Initial infection ~ Bernoulli(I0). Outputs: the infected and recovered counts. The factory takes
// `graph` (CSR arrays, see graphs.*), or builds the built-in's default small world over `agents`.
//
// Streams 0, 1, 2 are the built-in's slots of the initial, infection and recovery draws, and
// (1 - beta)^m is taken as -expm1(m log1p(-beta)), as the built-in does, so the twin gives its
// values and tangents bitwise in every estimator mode (score-mode log p up to rounding: its terms
// are added in another order, as in sir.ts).
import { defineModel } from '../../lib/index.js';

export default defineModel({
  name: 'networkSir',
  parameters: {
    beta: { constraint: 'unit', reference: 0.02 },      // infection chance per infected contact
    gamma: { constraint: 'positive', reference: 0.05 }, // recovery rate
    I0: { constraint: 'unit', reference: 0.01 },        // initially infected fraction
  },
  settings: { agents: 1000, steps: 60 },
  agent: ['susceptible', 'infected'],
  outputs: ['infected', 'recovered'],
  init(m) {
    const infected = m.sum((a) => {
      a.infected = m.bernoulli(m.params.I0, { stream: 0 });
      a.susceptible = 1 - a.infected;
      return a.infected;
    });
    m.output({ infected, recovered: 0 });
  },
  step(m) {
    const logEscape = Math.log1p(-m.params.beta);            // log(1 - beta): one contact does not infect
    const recoveryProbability = -Math.expm1(-m.params.gamma);
    const { infected, susceptible } = m.sum((a) => {
      const pressure = m.neighbours(a).sum((b) => b.infected);
      // 0 * log(0) at beta = 1 and no infected neighbour would be NaN; the probability is 0 there.
      const p = pressure > 0 ? -Math.expm1(pressure * logEscape) : 0;
      const infection = a.susceptible * m.bernoulli(p, { stream: 1 });
      const recovery = a.infected * m.bernoulli(recoveryProbability, { stream: 2 });
      a.susceptible = a.susceptible - infection;
      a.infected = a.infected + infection - recovery;
      return { infected: a.infected, susceptible: a.susceptible };
    });
    m.output({ infected, recovered: m.agents - susceptible - infected });
  },
});
