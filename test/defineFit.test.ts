// fit() through defineModel twins of the built-in models (examples/models/): the calibrations of
// test/fit.test.ts (volatility) and test/sir.test.ts (sir) with the same data, settings and
// tolerances, run on the twins' programs instead of the C++ models. The twins give the built-ins'
// numbers (test/twins.test.ts), so each fit recovers the truth as the built-in's does.
import test from 'ava';

import { fit, models, posteriorPredictive, priors, simulate } from '../lib/index.js';
import sirTwin from '../examples/models/sir.js';
import volatilityTwin from '../examples/models/volatility.js';

test('volatility twin from synthetic data at the reference truth: sigmaEps and eta within 10%', async (t) => {
  const model = volatilityTwin();
  t.truthy(model.program, 'the model runs its program');
  const truth = model.reference;
  const data = await simulate(model, truth, { seed: 12345, discrete: { mode: 'exact' } });
  const observed = Array.from(data.values.subarray(1));
  const logNormal = priors.logNormal(0, 1);
  // The diagonal family these tolerances were set for: the default full-rank family leans along the
  // σε–η ridge and gives σε a wider, more honest interval (docs/diagnostics.md) whose mean sits above its median.
  const result = await fit(model, observed, { prior: logNormal, family: 'diagonal-gaussian', loss: 'mmd', weight: 0.01, epochs: 300, lr: 0.05, samplesPerEpoch: 10, seed: 1 });
  const mean = result.posterior.mean();
  t.true(Math.abs(mean['sigmaEps']! / truth['sigmaEps']! - 1) < 0.1, `sigmaEps ${mean['sigmaEps']}`);
  t.true(Math.abs(mean['eta']! / truth['eta']! - 1) < 0.1, `eta ${mean['eta']}`);
  const predictive = await posteriorPredictive(model, result.posterior, 50, { seed: 3 });
  t.is(predictive.thetas.length, 50);
  t.is(predictive.simulation.shape.replicates, 50);
  const [lower, upper] = predictive.quantiles([0.05, 0.95]);
  t.true(lower!.slice(1).every((row, i) => row[0]! <= upper![i + 1]![0]!));
});

test('sir twin: fit recovers (beta, gamma) from synthetic data at the reference setting, within 5%', async (t) => {
  const model = sirTwin();
  t.truthy(model.program, 'the model runs its program');
  const data = await simulate(model, model.reference, { seed: 12345, discrete: { mode: 'exact' } });
  const observed = Array.from({ length: 60 }, (_, i) => [data.values[(i + 1) * 2]!, data.values[(i + 1) * 2 + 1]!]);
  const result = await fit(model, observed, {
    parameters: ['beta', 'gamma'],
    prior: priors.logNormal(Math.log(0.1), 1),
    loss: 'logMse',
    weight: 0.01,
    epochs: 200,
    lr: 0.05,
    samplesPerEpoch: 10,
    seed: 1,
    discrete: { mode: 'straight-through', tau: 0.1 },
  });
  const mean = result.posterior.mean();
  for (const name of ['beta', 'gamma']) {
    const truth = model.reference[name]!;
    t.true(Math.abs(mean[name]! / truth - 1) < 0.05, `${name}: posterior mean ${mean[name]} vs truth ${truth}`);
  }
  t.is(result.posterior.fixed['I0'], 0.01, 'I0 is held at its reference value');
});

// Where the twin's tangents are bitwise the built-in's (test/twins.test.ts), a fit through it takes
// the built-in's path exactly: the same posterior, bit for bit.
test('20 epochs through the sir twin (straight-through) and the volatility twin (relaxed) give the built-ins\' posteriors bitwise', async (t) => {
  const cases = [
    { twin: sirTwin({ agents: 2000, steps: 30 }), builtIn: models.sir({ agents: 2000, steps: 30 }), parameters: ['beta', 'gamma'], loss: 'logMse' as const, mode: 'straight-through' as const },
    { twin: volatilityTwin({ agents: 500, steps: 50 }), builtIn: models.volatility({ agents: 500, steps: 50 }), parameters: undefined, loss: 'mmd' as const, mode: 'relaxed' as const },
  ];
  for (const { twin, builtIn, parameters, loss, mode } of cases) {
    const data = await simulate(builtIn, builtIn.reference, { seed: 5, discrete: { mode: 'exact' } });
    const observed = Array.from({ length: builtIn.steps }, (_, i) => builtIn.outputs.map((_o, o) => data.value(0, i + 1, o)));
    const options = { parameters, loss, weight: 0.01, epochs: 20, lr: 0.05, samplesPerEpoch: 4, seed: 2, discrete: { mode, tau: 0.1 } };
    const [ours, theirs] = await Promise.all([fit(twin, observed, options), fit(builtIn, observed, options)]);
    t.deepEqual(Array.from(ours.posterior.phi), Array.from(theirs.posterior.phi), builtIn.name);
    t.deepEqual(ours.history.map((h) => h.loss), theirs.history.map((h) => h.loss), builtIn.name);
    t.notDeepEqual(Array.from(ours.posterior.phi), Array.from((await fit(twin, observed, { ...options, epochs: 1 })).posterior.phi), `${builtIn.name}: the fit moved`);
  }
});
