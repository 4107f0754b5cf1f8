// The mean-field agent SIR of models.sir, written with defineModel.
//
// Each agent is susceptible, infected or recovered (under the relaxed estimator a mixture whose
// amounts sum to 1). Initial infection ~ Bernoulli(I0). Each step, with I the number infected
// before the step,
//   a susceptible agent is infected with   p_inf = 1 - exp(-beta (I / N) dt),
//   an infected agent recovers with        p_rec = 1 - exp(-gamma dt).
// Outputs, as fractions of N: the day's new infections and new recoveries (day 0: the initial
// infections).
//
// Streams 0, 1, 2 are the built-in's slots of the initial, infection and recovery draws, and
// the arithmetic is in the built-in's order (-beta times I/N, then times dt; expm1 for
// 1 - exp), so the twin gives the built-in's values and tangents bitwise in every estimator mode.
// Score-mode log p is equal up to rounding: the built-in adds each agent's two draws' log p one
// after the other, the program the first draws of a tile of agents, then their second ones.
import { defineModel } from '../../lib/index.js';

export default defineModel({
  name: 'sir',
  parameters: {
    beta: { constraint: 'positive', reference: 0.2 },   // infection rate
    gamma: { constraint: 'positive', reference: 0.05 }, // recovery rate
    I0: { constraint: 'unit', reference: 0.01 },        // initially infected fraction
  },
  settings: {
    agents: 10000,
    steps: 60,
    dt: { default: 1, min: 1e-6, max: 1e3 },            // days per step
  },
  agent: ['susceptible', 'infected'],
  state: ['infectedTotal'],
  outputs: ['newInfections', 'newRecoveries'],
  init(m) {
    const infected = m.sum((a) => {
      a.infected = m.bernoulli(m.params.I0, { stream: 0 });
      a.susceptible = 1 - a.infected;
      return a.infected;
    });
    m.state.infectedTotal = infected;
    m.output({ newInfections: infected / m.agents, newRecoveries: 0 });
  },
  step(m) {
    const infectionProbability = -Math.expm1(-m.params.beta * (m.state.infectedTotal / m.agents) * m.settings.dt);
    const recoveryProbability = -Math.expm1(-m.params.gamma * m.settings.dt);
    const { infections, recoveries } = m.sum((a) => {
      const infection = a.susceptible * m.bernoulli(infectionProbability, { stream: 1 });
      const recovery = a.infected * m.bernoulli(recoveryProbability, { stream: 2 });
      a.susceptible = a.susceptible - infection;
      a.infected = a.infected + infection - recovery;
      return { infections: infection, recoveries: recovery };
    });
    m.state.infectedTotal = m.state.infectedTotal + infections - recoveries;
    m.output({ newInfections: infections / m.agents, newRecoveries: recoveries / m.agents });
  },
});
