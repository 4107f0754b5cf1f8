import test from 'ava';

import { fit, gradient, losses, models, posteriorPredictive, priors, simulate, withIntervention } from '../lib/index.js';
import { checkTangents, mean, strided, type TangentCheck } from './helpers.js';

const sir = models.sir({ agents: 5000, steps: 60 });
const lockdown = withIntervention(sir, { parameter: 'beta', from: 20, name: 'lockdown' });
const truth = { beta: 0.3, gamma: 0.05, I0: 0.01 };

test('withIntervention adds a positive factor parameter with reference 1 and leaves the model as it was', (t) => {
  t.deepEqual(lockdown.parameters.map((p) => p.name), ['beta', 'gamma', 'I0', 'lockdown']);
  t.deepEqual(lockdown.parameters[3], { name: 'lockdown', constraint: 'positive', reference: 1 });
  t.is(lockdown.reference['lockdown'], 1);
  t.deepEqual(lockdown.interventions, [{ name: 'lockdown', parameter: 'beta', from: 20 }]);
  t.deepEqual(sir.interventions, []);
  t.is(sir.parameters.length, 3);
});

test('an intervention changes the outputs exactly where its schedule says', async (t) => {
  const options = { replicates: 8, seed: 11, discrete: { mode: 'exact' as const } };
  const base = await simulate(sir, truth, options);
  const unchanged = await simulate(lockdown, { ...truth, lockdown: 1 }, options);
  t.deepEqual(Array.from(unchanged.values), Array.from(base.values), 'factor 1 is the model itself');
  const strict = await simulate(lockdown, { ...truth, lockdown: 0.2 }, options);
  const times = 61;
  for (let r = 0; r < 8; r++) {
    for (let time = 0; time < 20; time++) {
      t.is(strict.value(r, time, 0), base.value(r, time, 0), `day ${time} comes before the lockdown`);
    }
  }
  const later = (sim: typeof base) => mean(Array.from({ length: 8 }, (_, r) => strided(sim.values, 41, 2, (r * times + 20) * 2).reduce((s, x) => s + x, 0)));
  t.true(later(strict) < 0.5 * later(base), `infections from day 20: ${later(strict)} under lockdown vs ${later(base)}`);
  // A window: from day 20 to day 30, then back to beta.
  const window = withIntervention(sir, { parameter: 'beta', from: 20, to: 30, name: 'lockdown' });
  const zero = await simulate(window, { ...truth, lockdown: 1e-12 }, options);
  for (let r = 0; r < 8; r++) {
    for (let time = 21; time < 30; time++) t.true(zero.value(r, time, 0) < 1e-6, `no new infections on day ${time} with beta ~ 0`);
  }
  t.true(mean(Array.from({ length: 8 }, (_, r) => zero.value(r, 45, 0))) > 0, 'the epidemic resumes after day 30');
});

test('the factor has an exact gradient: gaussianLocation with mu scaled from step 5', async (t) => {
  const location = models.gaussianLocation({ agents: 10, steps: 12 });
  const scaled = withIntervention(location, { parameter: 'mu', from: 5, to: 9 });
  const sim = await simulate(scaled, { mu: 2, sigma: 1, muFactor: 0.5 }, { replicates: 4, seed: 1, tangents: ['mu', 'muFactor'], dtype: 'float64' });
  for (let r = 0; r < 4; r++) {
    for (let time = 1; time <= 12; time++) {
      const inside = time >= 5 && time < 9;
      t.is(sim.tangent(r, time, 'muFactor'), inside ? 2 : 0, `d x(${time}) / d factor = mu inside the window, 0 outside`);
      t.is(sim.tangent(r, time, 'mu'), inside ? 0.5 : 1);
    }
  }
});

test('sir (relaxed): the tangent of a lockdown factor equals central differences, and gradient() reports it', async (t) => {
  const small = withIntervention(models.sir({ agents: 500, steps: 40 }), { parameter: 'beta', from: 15, name: 'lockdown' });
  const theta = { ...truth, lockdown: 0.5 };
  const options = { replicates: 3, seed: 2, dtype: 'float64' as const, discrete: { mode: 'relaxed' as const, tau: 0.2 } };
  const [{ scale, worst }] = (await checkTangents(small, theta, ['lockdown'], options, () => 1e-6)) as [TangentCheck];
  t.true(scale > 1e-3);
  t.true(worst < 1e-4, `worst relative error ${worst}`);
  const sim = await simulate(small, theta, { ...options, tangents: ['lockdown'] });
  for (let r = 0; r < 3; r++) for (let time = 0; time < 15; time++) t.is(sim.tangent(r, time, 'lockdown', 0), 0);

  const observed = Array.from({ length: 40 }, () => [0.001, 0.001]);
  const g = await gradient(small, theta, { loss: losses.mse(observed), estimator: 'pathwise', replicates: 8, seed: 3, dtype: 'float64', discrete: { mode: 'relaxed', tau: 0.2 } });
  t.true(Number.isFinite(g.grad['lockdown']!) && g.grad['lockdown']! !== 0, `d loss / d lockdown = ${g.grad['lockdown']}`);
});

test('a calibrated SIR simulated under a lockdown: fewer infections, same past', async (t) => {
  const data = await simulate(sir, truth, { seed: 99, discrete: { mode: 'exact' } });
  const observed = Array.from({ length: 60 }, (_, i) => [data.values[(i + 1) * 2]!, data.values[(i + 1) * 2 + 1]!]);
  const result = await fit(sir, observed, {
    parameters: ['beta', 'gamma'],
    prior: priors.logNormal(Math.log(0.1), 1),
    loss: 'mse',
    weight: 1e-4,
    epochs: 150,
    lr: 0.05,
    samplesPerEpoch: 8,
    seed: 1,
    discrete: { mode: 'straight-through', tau: 0.1 },
  });
  const baseline = await posteriorPredictive(lockdown, result.posterior, 40, { seed: 5, discrete: { mode: 'exact' } });
  const halved = await posteriorPredictive(lockdown, result.posterior, 40, { seed: 5, discrete: { mode: 'exact' }, set: { lockdown: 0.5 } });
  t.true(baseline.thetas.every((theta) => theta['lockdown'] === 1), 'the factor defaults to 1');
  t.true(halved.thetas.every((theta) => theta['lockdown'] === 0.5));
  const total = (p: typeof baseline) => Array.from(p.simulation.values).filter((_, i) => i % 2 === 0).reduce((s, x) => s + x, 0);
  t.true(total(halved) < 0.9 * total(baseline), `cumulative infections ${total(halved)} vs ${total(baseline)}`);
  const before = (p: typeof baseline, r: number) => Array.from({ length: 20 }, (_, time) => p.simulation.value(r, time, 0));
  for (let r = 0; r < 40; r++) t.deepEqual(before(halved, r), before(baseline, r));
});

test('interventions are validated', async (t) => {
  t.throws(() => withIntervention(sir, { parameter: 'delta', from: 3 }), { instanceOf: RangeError, message: /intervention.parameter must be a parameter of sir \(beta, gamma, I0\)/ });
  t.throws(() => withIntervention(sir, { parameter: 'beta', from: -1 }), { instanceOf: RangeError, message: /intervention.from must be an integer >= 0/ });
  t.throws(() => withIntervention(sir, { parameter: 'beta', from: 5, to: 5 }), { instanceOf: RangeError, message: /intervention.to must be an integer >= 6/ });
  t.throws(() => withIntervention(lockdown, { parameter: 'gamma', from: 1, name: 'lockdown' }), { instanceOf: RangeError, message: /'lockdown' is already a parameter/ });
  t.throws(() => withIntervention(lockdown, { parameter: 'lockdown', from: 1 }), { instanceOf: RangeError, message: /intervention.parameter/ });
  let many = sir;
  for (let i = 0; i < 4; i++) many = withIntervention(many, { parameter: 'beta', from: i, name: `f${i}` });
  t.throws(() => withIntervention(many, { parameter: 'beta', from: 9 }), { instanceOf: RangeError, message: /at most 4 interventions/ });
  const network = withIntervention(models.networkSir({ agents: 50 }), { parameter: 'beta', from: 2 });
  await t.throwsAsync(simulate(network, { beta: 0.5, gamma: 0.1, I0: 0.1, betaFactor: 3 }), { instanceOf: RangeError, message: /theta.beta times its intervention factors must stay in \[0, 1\]/ });
  await t.throwsAsync(simulate(lockdown, { ...truth, lockdown: -1 }), { instanceOf: RangeError, message: /theta.lockdown must be a finite number > 0/ });
});
