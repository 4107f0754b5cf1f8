import test from 'ava';

import { fit, graphs, models, priors, simulate } from '../lib/index.js';
import { checkTangents, mean, stderr, strided } from './helpers.js';

interface Deterministic {
  newInfections: number[];
  finalSize: number;
}

// The deterministic SIR difference equations the agent model follows as N grows, in fractions.
function deterministicSir(beta: number, gamma: number, I0: number, dt: number, steps: number): Deterministic {
  let S = 1 - I0;
  let I = I0;
  const newInfections = [I0];
  for (let t = 1; t <= steps; t++) {
    const infections = S * (1 - Math.exp(-beta * I * dt));
    const recoveries = I * (1 - Math.exp(-gamma * dt));
    S -= infections;
    I += infections - recoveries;
    newInfections.push(infections);
  }
  return { newInfections, finalSize: 1 - S };
}

function cumulative(xs: number[]): number[] {
  let sum = 0;
  return xs.map((x) => (sum += x));
}

for (const [label, theta, dt, steps] of [
  ['reference (R0 = 4)', { beta: 0.2, gamma: 0.05, I0: 0.01 }, 1, 300],
  ['R0 = 2, half-day steps', { beta: 0.1, gamma: 0.05, I0: 0.01 }, 0.5, 500],
] as const) {
  test(`sir, ${label}: N = 100,000 follows the deterministic difference equations (final size within 2%)`, async (t) => {
    const replicates = 4;
    const model = models.sir({ agents: 100_000, steps, dt });
    const sim = await simulate(model, theta, { replicates, seed: 3, discrete: { mode: 'exact' } });
    const expected = deterministicSir(theta.beta, theta.gamma, theta.I0, dt, steps);
    const times = steps + 1;
    const daily = Array.from({ length: times }, (_, time) => mean(strided(sim.values, replicates, times * 2, time * 2)));
    const finalSize = cumulative(daily)[steps]!;
    t.true(Math.abs(finalSize / expected.finalSize - 1) < 0.02, `final size ${finalSize} vs ${expected.finalSize}`);
    const peak = Math.max(...expected.newInfections.slice(1));
    const worst = Math.max(...daily.map((x, i) => Math.abs(x - expected.newInfections[i]!)));
    t.true(worst < 0.1 * peak, `daily new infections within 10% of the peak ${peak}: worst gap ${worst}`);
    const recovered = cumulative(Array.from({ length: times }, (_, time) => mean(strided(sim.values, replicates, times * 2, time * 2 + 1))))[steps]!;
    const stillInfected = finalSize - recovered;
    t.true(stillInfected >= 0 && stillInfected < finalSize, `recoveries ${recovered} never exceed infections ${finalSize}`);
  });
}

test('sir (relaxed, float64): tangents of beta, gamma and I0 equal central differences with common random numbers', async (t) => {
  const model = models.sir({ agents: 500, steps: 30 });
  const theta = { beta: 0.3, gamma: 0.1, I0: 0.05 };
  const options = { replicates: 3, seed: 4, dtype: 'float64' as const, discrete: { mode: 'relaxed' as const, tau: 0.2 } };
  const checks = await checkTangents(model, theta, ['beta', 'gamma', 'I0'], options, (name) => 1e-6 * theta[name as keyof typeof theta]);
  for (const { name, scale, worst } of checks) {
    t.true(scale > 1e-3, `${name}: the outputs depend on it`);
    t.true(worst < 1e-4, `${name}: worst relative error ${worst}`);
  }
});

test('sir: the same seed gives the same epidemic, day 0 reports the initial infections, and fractions stay in [0, 1]', async (t) => {
  const model = models.sir({ agents: 2000, steps: 40 });
  const a = await simulate(model, model.reference, { replicates: 3, seed: 8 });
  const b = await simulate(model, model.reference, { replicates: 3, seed: 8, threads: 1 });
  t.deepEqual(Array.from(a.values), Array.from(b.values));
  const initial = strided(a.values, 3, 41 * 2, 0);
  t.true(initial.every((x) => x > 0.002 && x < 0.03), `I0 = 0.01 of 2000 agents: ${initial.join(', ')}`);
  t.true(strided(a.values, 3, 41 * 2, 1).every((x) => x === 0), 'no recoveries on day 0');
  t.true(Array.from(a.values).every((x) => x >= 0 && x <= 1));
});

// On the complete graph, 1 - (1 - b)^I with b = 1 - exp(-beta / N) equals the mean-field
// 1 - exp(-beta I / N), and recovery 1 - exp(-gamma) is the same: one law, two implementations.
test('networkSir on a complete graph agrees with the mean-field sir in distribution', async (t) => {
  const N = 100;
  const steps = 40;
  const replicates = 2000;
  const meanField = { beta: 0.4, gamma: 0.1, I0: 0.03 };
  const mf = await simulate(models.sir({ agents: N, steps }), meanField, { replicates, seed: 21, discrete: { mode: 'exact' } });
  const network = models.networkSir({ graph: graphs.complete(N), steps });
  const net = await simulate(network, { ...meanField, beta: 1 - Math.exp(-meanField.beta / N) }, { replicates, seed: 22, discrete: { mode: 'exact' } });
  const times = steps + 1;
  // Cumulative infections by time t: from daily fractions (mean field), from I + R (network).
  const mfCumulative = (r: number, time: number) => {
    let sum = 0;
    for (let s = 0; s <= time; s++) sum += mf.values[(r * times + s) * 2]!;
    return Math.round(sum * N);
  };
  const netCumulative = (r: number, time: number) => Math.round(net.values[(r * times + time) * 2]! + net.values[(r * times + time) * 2 + 1]!);
  for (const time of [5, 10, 20, steps]) {
    const a = Array.from({ length: replicates }, (_, r) => mfCumulative(r, time));
    const b = Array.from({ length: replicates }, (_, r) => netCumulative(r, time));
    const gap = Math.abs(mean(a) - mean(b));
    const se = Math.hypot(stderr(a), stderr(b));
    t.true(gap < 4 * se, `t = ${time}: mean ${mean(a)} vs ${mean(b)} (se ${se})`);
    const ks = kolmogorovSmirnov(a, b);
    t.true(ks < 1.95 * Math.sqrt(2 / replicates), `t = ${time}: KS distance ${ks}`);
  }
});

// Two-sample Kolmogorov–Smirnov distance of integer samples.
function kolmogorovSmirnov(a: number[], b: number[]): number {
  const values = [...new Set([...a, ...b])].sort((x, y) => x - y);
  const cdf = (xs: number[]) => values.map((v) => xs.filter((x) => x <= v).length / xs.length);
  const ca = cdf(a);
  const cb = cdf(b);
  return Math.max(...ca.map((x, i) => Math.abs(x - cb[i]!)));
}

test('networkSir (relaxed, float64) on a small world: tangents equal central differences with common random numbers', async (t) => {
  const graph = graphs.wattsStrogatz({ nodes: 300, k: 6, rewire: 0.2, seed: 5 });
  const model = models.networkSir({ graph, steps: 25 });
  const theta = { beta: 0.08, gamma: 0.1, I0: 0.05 };
  const options = { replicates: 3, seed: 6, dtype: 'float64' as const, discrete: { mode: 'relaxed' as const, tau: 0.2 } };
  const checks = await checkTangents(model, theta, ['beta', 'gamma', 'I0'], options, (name) => 1e-6 * theta[name as keyof typeof theta]);
  for (const { name, scale, worst } of checks) {
    t.true(scale > 1e-2, `${name}: the outputs depend on it`);
    t.true(worst < 1e-4, `${name}: worst relative error ${worst}`);
  }
});

test('networkSir: counts are whole and add up to at most N, infection needs an edge, and a default graph is built', async (t) => {
  const triangles = graphs.fromEdgeList(6, [[0, 1], [1, 2], [0, 2], [3, 4], [4, 5], [3, 5]]);
  const model = models.networkSir({ graph: triangles, steps: 10 });
  const sim = await simulate(model, { beta: 0.9, gamma: 0.2, I0: 0.3 }, { replicates: 200, seed: 2, discrete: { mode: 'exact' } });
  const counts = Array.from(sim.values);
  t.true(counts.every((x) => Number.isInteger(x) && x >= 0 && x <= 6));
  t.true(sim.values.some((x, i) => i % 2 === 1 && x > 0), 'some agents recover');
  // Without edges nobody beyond the initial infections is ever infected: I + R stays constant.
  const isolated = models.networkSir({ graph: graphs.fromEdgeList(50, []), steps: 20 });
  const alone = await simulate(isolated, { beta: 1, gamma: 0.3, I0: 0.2 }, { replicates: 20, seed: 3, discrete: { mode: 'exact' } });
  for (let r = 0; r < 20; r++) {
    const initial = alone.value(r, 0, 0);
    for (let time = 1; time <= 20; time++) t.is(alone.value(r, time, 0) + alone.value(r, time, 1), initial);
  }
  const noSeed = await simulate(model, { beta: 1, gamma: 0.5, I0: 0 }, { replicates: 5, seed: 1 });
  t.true(Array.from(noSeed.values).every((x) => x === 0), 'with I0 = 0 and beta = 1 nobody is ever infected (no NaN from 0 * log 0)');
  const fallback = models.networkSir({ agents: 500 });
  t.is(fallback.graph!.nodes, 500);
  t.is(fallback.agents, 500);
  t.throws(() => models.networkSir({ graph: triangles, agents: 7 }), { instanceOf: RangeError, message: /agents must equal the graph's 6 nodes/ });
});

test('fit recovers (beta, gamma) of the sir from synthetic data at the reference setting, within 5%', async (t) => {
  const model = models.sir();
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
