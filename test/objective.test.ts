import test from 'ava';

import { losses, models, priors } from '../lib/index.js';
import { family } from '../lib/gvi/family.js';
import { estimateObjective, type ObjectiveSetup } from '../lib/gvi/objective.js';
import { freeParameters } from '../lib/gvi/parameters.js';

// With the epoch (hence z and the simulation noise) fixed, the objective estimate is a smooth
// function of φ, so its gradient must equal finite differences: this checks the pathwise chain
// through the simulator, the bijectors, the full-rank factor and both KL branches.
const model = models.gaussianLocation({ steps: 15, agents: 3 });
const observed = Array.from({ length: 15 }, (_, i) => 0.5 + Math.cos(i));

const priorSets = {
  'exact KL (Gaussian priors in the unconstrained space)': { mu: priors.normal(0.3, 2), sigma: priors.logNormal(-0.5, 0.7) },
  'Monte Carlo KL (half-normal prior)': { mu: priors.normal(0.3, 2), sigma: priors.halfNormal(1.5) },
};

for (const [label, prior] of Object.entries(priorSets)) {
  for (const familyName of ['diagonal-gaussian', 'full-rank-gaussian'] as const) {
    test(`objective gradient equals finite differences: ${familyName}, ${label}`, async (t) => {
      const setup: ObjectiveSetup = {
        model,
        family: family(familyName, 2),
        params: freeParameters(model, ['mu', 'sigma'], prior),
        fixed: {},
        loss: losses.mse(observed),
        weight: 0.7,
        samples: 6,
        replicatesPerSample: 2,
        estimator: 'pathwise',
        seed: 4,
        simulation: { dtype: 'float64' },
      };
      const phi = Float64Array.from(familyName === 'full-rank-gaussian' ? [0.2, -0.4, Math.log(0.3), Math.log(0.5), 0.15] : [0.2, -0.4, Math.log(0.3), Math.log(0.5)]);
      const { gradient, kl } = await estimateObjective(setup, phi, 3);
      t.true(Number.isFinite(kl));
      for (let i = 0; i < phi.length; i++) {
        const h = 1e-6;
        const plus = Float64Array.from(phi);
        const minus = Float64Array.from(phi);
        plus[i] = plus[i]! + h;
        minus[i] = minus[i]! - h;
        const fd = ((await estimateObjective(setup, plus, 3)).total - (await estimateObjective(setup, minus, 3)).total) / (2 * h);
        t.true(Math.abs(gradient[i]! - fd) < 1e-5 * Math.max(1, Math.abs(fd)), `dφ[${i}]: ${gradient[i]} vs ${fd}`);
      }
    });
  }
}
