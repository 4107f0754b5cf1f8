// The defineModel twins of the built-in models (examples/models/) against the C++ models they
// rewrite: same seed, replicates, settings and parameters, CPU backend, every estimator mode in
// both dtypes. Each twin names its draws' streams to take the built-in's slots and keeps the
// built-in's order of arithmetic, so:
//
// - values are bitwise the built-in's, for every twin, mode and dtype;
// - tangents are bitwise the built-in's except (a) volatility in straight-through and smoothed
//   mode, where the built-in takes the two thresholds' surrogate slopes from one fused formula
//   (DeadZoneSign::slopes) and the twin from two m.above, and (b) brockHommes, where the built-in
//   shifts the softmax by the largest U's value alone and the twin's Math.max carries that U's
//   tangents, which cancel only up to rounding;
// - score-mode log p is bitwise except where an agent makes two draws in one pass (sir,
//   networkSir, bernoulliSum): the built-in adds agent i's two log p terms one after the other,
//   the program adds a tile of agents' first draws, then their second ones.
//
// Where a comparison is up to rounding, its tolerance is derived below (`tolerances`). Then the
// analytic checks of randomWalk.test.ts and estimators.test.ts on the twins, and twins with
// deliberate mistakes, which the comparison must reject.
import test from 'ava';

import {
  defineModel, gradient, models, simulate, type DiscreteModeName, type Dtype, type Model, type ModelFactory, type Simulation,
} from '../lib/index.js';
import bassDiffusion from '../examples/models/bassDiffusion.js';
import bernoulliSum from '../examples/models/bernoulliSum.js';
import brockHommes from '../examples/models/brockHommes.js';
import gaussianShift from '../examples/models/gaussianShift.js';
import networkSir from '../examples/models/networkSir.js';
import randomWalk from '../examples/models/randomWalk.js';
import sir from '../examples/models/sir.js';
import volatility from '../examples/models/volatility.js';
import { finalValue, mean, stderr, strided } from './helpers.js';

const modes: readonly DiscreteModeName[] = ['exact', 'relaxed', 'straight-through', 'smoothed', 'score'];
const dtypes: readonly Dtype[] = ['float64', 'float32'];
/** Unit roundoff of each dtype. */
const roundoff: Record<Dtype, number> = { float64: 2 ** -53, float32: 2 ** -24 };

/** How a twin's run must compare with its built-in's. Values are always bitwise. */
interface Expectation {
  /** Relative tolerance of the tangents, where they are equal only up to rounding (else bitwise). */
  tangents?: Record<Dtype, number>;
  /** Where log p is equal only up to rounding (else bitwise): the number of draws it sums. */
  logProbTerms?: number;
}

/**
 * Tangent tolerances, relative to the largest |tangent| of the same replicate, output and
 * parameter up to that time (the size of what the arithmetic has carried so far: a rounding
 * error is relative to that, not to a value that has since cancelled towards 0).
 *
 * - Two formulas of the same surrogate slopes (volatility): a few roundings apart per step,
 *   1e-12 in float64 and 1e-5 in float32 (~200 u) leave room for the steps' accumulation
 *   (seen: 9e-16 and 5e-7 at 30 steps).
 * - brockHommes: Math.max's tangent enters every exp(U_j - largest) and cancels in the ratio of
 *   the softmax sums, whose terms are beta = 120 times larger than x's tangents; a step loses
 *   about beta u, and the chaotic map carries it on. 1e-12 in float64 (~100 beta u; seen 3e-14 at
 *   40 steps) and 1e-4 in float32 (seen 2.2e-5 at 40 steps; the built-in's own float32 tangents
 *   are 20% away from its float64 ones there).
 */
const tolerances = {
  rounding: { float64: 1e-12, float32: 1e-5 },
  brockHommes: { float64: 1e-12, float32: 1e-4 },
} as const;

/**
 * log p sums n one-signed terms (log p_i <= 0, and their tangents) in another order: the
 * difference of two such sums stays below 2 λ √n u of the sum of |terms| with probability
 * 1 - 2 exp(-λ² / 2) per sum (Higham & Mary 2019); λ = 4.
 */
function logProbTolerance(dtype: Dtype, terms: number): number {
  return 2 * 4 * Math.sqrt(terms) * roundoff[dtype];
}

/** What differs between a twin's run and its built-in's beyond what `expectation` allows; empty when they agree. */
function problems(ours: Simulation, theirs: Simulation, expectation: Expectation): string[] {
  const found: string[] = [];
  const dtype = theirs.dtype;
  if (JSON.stringify(ours.shape) !== JSON.stringify(theirs.shape)) return [`shape ${JSON.stringify(ours.shape)} vs ${JSON.stringify(theirs.shape)}`];
  if (ours.outputNames.join() !== theirs.outputNames.join()) found.push(`outputs ${ours.outputNames.join()} vs ${theirs.outputNames.join()}`);
  if (ours.tangentNames.join() !== theirs.tangentNames.join()) found.push(`tangent names ${ours.tangentNames.join()} vs ${theirs.tangentNames.join()}`);
  const firstBitDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(b).findIndex((x, i) => !Object.is(a[i], x));
  const values = firstBitDifference(ours.values, theirs.values);
  if (values >= 0) found.push(`values differ first at [${values}]: ${ours.values[values]} vs ${theirs.values[values]}`);
  if ((ours.tangents === null) !== (theirs.tangents === null)) {
    found.push('tangents present in one run only');
  } else if (ours.tangents && theirs.tangents) {
    const tolerance = expectation.tangents?.[dtype];
    if (tolerance === undefined) {
      const i = firstBitDifference(ours.tangents, theirs.tangents);
      if (i >= 0) found.push(`tangents differ first at [${i}]: ${ours.tangents[i]} vs ${theirs.tangents[i]}`);
    } else {
      const worst = worstTangentError(ours, theirs);
      if (!(worst.error <= tolerance)) found.push(`tangents differ by ${worst.error} relative at [${worst.index}] (tolerance ${tolerance})`);
    }
  }
  if ((ours.logProb === null) !== (theirs.logProb === null)) {
    found.push('log p present in one run only');
  } else if (ours.logProb && theirs.logProb) {
    if (expectation.logProbTerms === undefined) {
      const i = firstBitDifference(ours.logProb, theirs.logProb);
      if (i >= 0) found.push(`log p differs first at [${i}]: ${ours.logProb[i]} vs ${theirs.logProb[i]}`);
    } else {
      const tolerance = logProbTolerance(dtype, expectation.logProbTerms);
      theirs.logProb.forEach((x, i) => {
        const error = Math.abs(ours.logProb![i]! - x) / Math.abs(x);
        if (!(error <= tolerance) && !Object.is(ours.logProb![i], x)) found.push(`log p [${i}] differs by ${error} relative (tolerance ${tolerance})`);
      });
    }
  }
  return found;
}

/** The largest tangent difference relative to the largest |tangent| of its replicate, output and lane so far. */
function worstTangentError(ours: Simulation, theirs: Simulation): { error: number; index: number } {
  const { replicates, times, outputs, tangents: lanes } = theirs.shape;
  let worst = { error: 0, index: -1 };
  for (let r = 0; r < replicates; r++) {
    for (let o = 0; o < outputs; o++) {
      for (let k = 0; k < lanes; k++) {
        let carried = 0;
        for (let t = 0; t < times; t++) {
          const index = ((r * times + t) * outputs + o) * lanes + k;
          const a = ours.tangents![index]!;
          const b = theirs.tangents![index]!;
          carried = Math.max(carried, Math.abs(b));
          if (Object.is(a, b)) continue;
          const error = Math.abs(a - b) / carried;   // NaN or Infinity where b is 0 so far: a failure
          if (!(error <= worst.error)) worst = { error, index };
        }
      }
    }
  }
  return worst;
}

interface TwinCase {
  name: string;
  twin: ModelFactory<string>;
  builtIn: (settings: Record<string, number>) => Model;
  settings: Record<string, number>;
  expectation(mode: DiscreteModeName): Expectation;
}

// 1100 agents: more than one tile of the program runner (1024) and of the C++ team (256), and not
// a multiple of the 16 partial sums.
const agents = 1100;
const cases: TwinCase[] = [
  { name: 'randomWalk', twin: randomWalk, builtIn: models.randomWalk, settings: { agents, steps: 20 }, expectation: () => ({}) },
  {
    name: 'volatility', twin: volatility, builtIn: models.volatility, settings: { agents, steps: 30 },
    expectation: (mode) => (mode === 'straight-through' || mode === 'smoothed' ? { tangents: tolerances.rounding } : {}),
  },
  {
    name: 'sir', twin: sir, builtIn: models.sir, settings: { agents, steps: 30 },
    expectation: () => ({ logProbTerms: agents + 2 * agents * 30 }),
  },
  {
    name: 'networkSir', twin: networkSir, builtIn: models.networkSir, settings: { agents, steps: 30 },
    expectation: () => ({ logProbTerms: agents + 2 * agents * 30 }),
  },
  { name: 'bassDiffusion', twin: bassDiffusion, builtIn: models.bassDiffusion, settings: { agents, steps: 20 }, expectation: () => ({}) },
  {
    name: 'bernoulliSum', twin: bernoulliSum, builtIn: models.bernoulliSum, settings: { agents, steps: 3 },
    expectation: () => ({ logProbTerms: 2 * agents * 3 }),
  },
  { name: 'gaussianShift', twin: gaussianShift, builtIn: models.gaussianShift, settings: { agents, steps: 3 }, expectation: () => ({}) },
  {
    name: 'brockHommes', twin: brockHommes, builtIn: models.brockHommes, settings: { steps: 40 },
    expectation: () => ({ tangents: tolerances.brockHommes }),
  },
];

/** The twin's and the built-in's runs at the built-in's reference parameters. */
async function runBoth(twin: Model, builtIn: Model, dtype: Dtype, mode: DiscreteModeName): Promise<[Simulation, Simulation]> {
  const options = { replicates: 3, seed: 11, tangents: true, backend: 'cpu', dtype, discrete: { mode } } as const;
  return Promise.all([simulate(twin, builtIn.reference, options), simulate(builtIn, builtIn.reference, options)]);
}

const describe = (e: Expectation) =>
  [e.tangents ? 'tangents up to rounding' : 'tangents bitwise', ...(e.logProbTerms ? ['log p up to rounding'] : [])].join(', ');

for (const c of cases) {
  for (const dtype of dtypes) {
    for (const mode of modes) {
      const expectation = c.expectation(mode);
      test(`${c.name} twin = built-in (${dtype}, ${mode}): values bitwise, ${describe(expectation)}`, async (t) => {
        const twin = c.twin(c.settings);
        const builtIn = c.builtIn(c.settings);
        t.truthy(twin.program);
        t.deepEqual(twin.parameters, builtIn.parameters);
        t.deepEqual(twin.outputs, builtIn.outputs);
        t.deepEqual(twin.settings, builtIn.settings);
        const [ours, theirs] = await runBoth(twin, builtIn, dtype, mode);
        // The comparison is not of zeros: the runs move, and carry tangents where the mode gives them.
        t.true(Array.from(theirs.values).some((x) => x !== 0), 'the values are not all zero');
        if (mode !== 'exact' && mode !== 'score') t.true(Array.from(theirs.tangents!).some((x) => x !== 0), 'the tangents are not all zero');
        t.is(theirs.logProb !== null, mode === 'score');
        t.deepEqual(problems(ours, theirs, expectation), []);
      });
    }
  }
}

test('where tangents and log p are not bitwise, they do differ (the expectations are not looser than needed)', async (t) => {
  for (const c of cases) {
    for (const dtype of dtypes) {
      for (const mode of modes) {
        const expectation = c.expectation(mode);
        if (!expectation.tangents && !expectation.logProbTerms) continue;
        const [ours, theirs] = await runBoth(c.twin(c.settings), c.builtIn(c.settings), dtype, mode);
        const bitwise = problems(ours, theirs, {});
        if (expectation.tangents) t.true(bitwise.some((p) => p.startsWith('tangents')), `${c.name} ${dtype} ${mode}: ${bitwise.join('; ')}`);
        if (expectation.logProbTerms && mode === 'score') t.true(bitwise.some((p) => p.startsWith('log p')), `${c.name} ${dtype}: ${bitwise.join('; ')}`);
      }
    }
  }
});

// ---------------------------------------------------------------------------------------------
// The analytic checks on the twins


function within(t: import('ava').ExecutionContext, estimate: number, error: number, truth: number, label: string) {
  t.true(Number.isFinite(error) && error > 0, `${label}: stderr ${error}`);
  t.true(Math.abs(estimate - truth) < 4 * error, `${label}: ${estimate} ± ${error} vs ${truth}`);
}

const T = 50;
for (const p of [0.3, 0.6]) {
  test(`randomWalk twin at p = ${p}: mean of x(T) is T(2p - 1) and the smoothed tangent averages 2T, within 4 standard errors`, async (t) => {
    const model = randomWalk({ agents: 100, steps: T });
    const replicates = 400;
    const sim = await simulate(model, { p }, { replicates, seed: 5, tangents: ['p'], discrete: { mode: 'smoothed' } });
    const final = strided(sim.values, replicates, T + 1, T);
    within(t, mean(final), stderr(final), T * (2 * p - 1), 'E[x(T)]');
    const slopes = strided(sim.tangents!, replicates, T + 1, T);
    within(t, mean(slopes), stderr(slopes), 2 * T, 'dE[x(T)]/dp');
  });
}

const walk = randomWalk({ agents: 100, steps: T });
for (const [estimator, mode] of [['pathwise', 'smoothed'], ['score', 'exact'], ['finite-difference', 'exact']] as const) {
  test(`randomWalk twin dE[x(T)]/dp = 2T by ${estimator}`, async (t) => {
    const g = await gradient(walk, { p: 0.6 }, { loss: finalValue, estimator, replicates: 2000, seed: 1, discrete: { mode } });
    within(t, g.grad['p']!, g.stderr['p']!, 2 * T, estimator);
    t.is(g.dropped, 0);
  });
}

const sumModel = bernoulliSum();
for (const [estimator, mode] of [['pathwise', 'smoothed'], ['score', 'exact'], ['finite-difference', 'exact']] as const) {
  test(`bernoulliSum twin dE[x]/dθ = 7 by ${estimator}`, async (t) => {
    const g = await gradient(sumModel, { theta: 0.2 }, { loss: finalValue, estimator, replicates: 40000, seed: 3, discrete: { mode }, dtype: 'float64' });
    within(t, g.grad['theta']!, g.stderr['theta']!, 7, estimator);
  });
}

const shiftModel = gaussianShift();
for (const estimator of ['pathwise', 'score', 'finite-difference'] as const) {
  test(`gaussianShift twin dE[y]/dθ = 8θ + 3θ² = 28 at θ = 2 by ${estimator}`, async (t) => {
    const g = await gradient(shiftModel, { theta: 2 }, { loss: finalValue, estimator, replicates: 20000, seed: 4, dtype: 'float64' });
    within(t, g.grad['theta']!, g.stderr['theta']!, 8 * 2 + 3 * 2 ** 2, estimator);
  });
}

test('gaussianShift twin: the pathwise derivative of each sample is 2θ(4 + z) + θ², to rounding', async (t) => {
  const theta = 2;
  const sim = await simulate(shiftModel, { theta }, { replicates: 500, seed: 5, tangents: true, dtype: 'float64' });
  for (let r = 0; r < 500; r++) {
    const z = sim.value(r, 1) / theta ** 2 - 4;
    const exact = 2 * theta * (4 + z) + theta ** 2;
    t.true(Math.abs(sim.tangent(r, 1, 'theta') - exact) < 1e-12 * Math.max(1, Math.abs(exact)), `replicate ${r}`);
  }
});

// ---------------------------------------------------------------------------------------------
// The comparison rejects twins with mistakes

test('a random walk twin with a wrong constant (steps of -1.0000001) fails the comparison', async (t) => {
  const wrongStep = defineModel({
    name: 'randomWalk',
    parameters: { p: { constraint: 'unit', reference: 0.6 } },
    agent: ['position'],
    outputs: ['x'],
    init(m) { m.output({ x: 0 }); },
    step(m) {
      const total = m.sum((a) => {
        a.position = a.position + (2 * m.bernoulli(m.params.p, { stream: 0 }) - 1.0000001);
        return a.position;
      });
      m.output({ x: total / m.agents });
    },
  });
  const settings = { agents, steps: 20 };
  for (const dtype of dtypes) {
    const [ours, theirs] = await runBoth(wrongStep(settings), models.randomWalk(settings), dtype, 'smoothed');
    const found = problems(ours, theirs, {});
    t.true(found.some((p) => p.startsWith('values differ')), found.join('; '));
  }
});

test('a brockHommes twin that reads another stream (other noise) fails the comparison', async (t) => {
  const otherNoise = defineModel({
    name: 'brockHommes',
    parameters: {
      beta: { constraint: 'positive', reference: 120 }, R: { constraint: 'positive', reference: 1.01 }, sigma: { constraint: 'positive', reference: 0.04 },
      g1: { constraint: 'real', reference: 0 }, g2: { constraint: 'real', reference: 0.9 }, g3: { constraint: 'real', reference: 0.9 }, g4: { constraint: 'real', reference: 1.01 },
      b1: { constraint: 'real', reference: 0 }, b2: { constraint: 'real', reference: 0.2 }, b3: { constraint: 'real', reference: -0.2 }, b4: { constraint: 'real', reference: 0 },
    },
    settings: { agents: { default: 4, min: 4, max: 4, integer: true }, steps: 100 },
    state: ['x1', 'x2', 'x3'],
    outputs: ['x'],
    init(m) { m.output({ x: 0 }); },
    step(m) {
      const R = m.params.R;
      const x1 = m.state.x1;
      const x2 = m.state.x2;
      const x3 = m.state.x3;
      const realised = x1 - R * x2;
      const performance = (g: number, b: number) => m.params.beta * realised * (g * x3 + b - R * x2);
      const u1 = performance(m.params.g1, m.params.b1);
      const u2 = performance(m.params.g2, m.params.b2);
      const u3 = performance(m.params.g3, m.params.b3);
      const u4 = performance(m.params.g4, m.params.b4);
      const largest = Math.max(u1, u2, u3, u4);
      const w1 = Math.exp(u1 - largest);
      const w2 = Math.exp(u2 - largest);
      const w3 = Math.exp(u3 - largest);
      const w4 = Math.exp(u4 - largest);
      const forecasts = w1 * (m.params.g1 * x1 + m.params.b1) + w2 * (m.params.g2 * x1 + m.params.b2) +
        w3 * (m.params.g3 * x1 + m.params.b3) + w4 * (m.params.g4 * x1 + m.params.b4);
      const x = (forecasts / (w1 + w2 + w3 + w4) + m.params.sigma * m.commonNormal({ stream: 1 })) / R;
      m.state.x3 = x2;
      m.state.x2 = x1;
      m.state.x1 = x;
      m.output({ x });
    },
  });
  const [ours, theirs] = await runBoth(otherNoise({ steps: 40 }), models.brockHommes({ steps: 40 }), 'float64', 'exact');
  const found = problems(ours, theirs, { tangents: tolerances.brockHommes });
  t.true(found.some((p) => p.startsWith('values differ')), found.join('; '));
  t.true(found.some((p) => p.startsWith('tangents differ')), found.join('; '));
});

/** The volatility twin with `order` for the order of an agent with threshold nu under signal x, and `depth` for N eta. */
const volatilitySpec = {
  name: 'volatility',
  parameters: {
    muLN: { constraint: 'positive', reference: 1 }, sigmaLN: { constraint: 'positive', reference: 0.5 },
    sigmaEps: { constraint: 'positive', reference: 1 }, eta: { constraint: 'positive', reference: 0.7 },
  },
  settings: { agents: 1000, steps: 100, resetProbability: { default: 0.1, min: 0, max: 1 } },
} as const;

test('a volatility twin with a wrong constant in r (N eta × 1.0000001) fails on values, and on float64 tangents', async (t) => {
  const wrongDepth = defineModel({
    ...volatilitySpec,
    agent: ['threshold'],
    outputs: ['r'],
    init(m) {
      m.forEachAgent((a) => { a.threshold = Math.exp(m.normal(m.params.muLN, m.params.sigmaLN, { stream: 0 })); });
      m.output({ r: 0 });
    },
    step(m) {
      const signal = m.params.sigmaEps * m.commonNormal({ stream: 1 });
      const demand = m.sum((a) => m.above(signal, a.threshold) - m.above(-a.threshold, signal));
      const r = demand / (m.agents * m.params.eta * 1.0000001);
      const magnitude = Math.abs(r);
      m.forEachAgent((a) => {
        const reset = m.bernoulli(m.settings.resetProbability, { stream: 2 });
        a.threshold = reset * magnitude + (1 - reset) * a.threshold;
      });
      m.output({ r });
    },
  });
  const settings = { agents, steps: 30 };
  for (const dtype of dtypes) {
    for (const mode of ['exact', 'straight-through'] as const) {
      const [ours, theirs] = await runBoth(wrongDepth(settings), models.volatility(settings), dtype, mode);
      const found = problems(ours, theirs, { tangents: tolerances.rounding });
      t.true(found.some((p) => p.startsWith('values differ')), `${dtype} ${mode}: ${found.join('; ')}`);
      // A relative error of 1e-7 is far above the float64 tolerance of the tangents; in float32 it
      // is a rounding (2^-23 = 1.2e-7), so only the bitwise values catch it there.
      if (dtype === 'float64') t.true(found.some((p) => p.startsWith('tangents differ')), `${dtype} ${mode}: ${found.join('; ')}`);
    }
  }
});

test('a volatility twin with plain comparisons instead of m.above has the right values but fails on straight-through tangents', async (t) => {
  const hardOrders = defineModel({
    ...volatilitySpec,
    agent: ['threshold'],
    outputs: ['r'],
    init(m) {
      m.forEachAgent((a) => { a.threshold = Math.exp(m.normal(m.params.muLN, m.params.sigmaLN, { stream: 0 })); });
      m.output({ r: 0 });
    },
    step(m) {
      const signal = m.params.sigmaEps * m.commonNormal({ stream: 1 });
      const demand = m.sum((a) => (signal > a.threshold ? 1 : 0) - (-a.threshold > signal ? 1 : 0));
      const r = demand / (m.agents * m.params.eta);
      const magnitude = Math.abs(r);
      m.forEachAgent((a) => {
        const reset = m.bernoulli(m.settings.resetProbability, { stream: 2 });
        a.threshold = reset * magnitude + (1 - reset) * a.threshold;
      });
      m.output({ r });
    },
  });
  const settings = { agents, steps: 30 };
  for (const dtype of dtypes) {
    const [ours, theirs] = await runBoth(hardOrders(settings), models.volatility(settings), dtype, 'straight-through');
    const found = problems(ours, theirs, { tangents: tolerances.rounding });
    t.false(found.some((p) => p.startsWith('values')), found.join('; '));
    t.true(found.some((p) => p.startsWith('tangents differ')), found.join('; '));
  }
});

test('an sir twin with the same equations in another order (beta I / N) is not bitwise: the order matters', async (t) => {
  const reordered = defineModel({
    name: 'sir',
    parameters: {
      beta: { constraint: 'positive', reference: 0.2 }, gamma: { constraint: 'positive', reference: 0.05 }, I0: { constraint: 'unit', reference: 0.01 },
    },
    settings: { agents: 10000, steps: 60, dt: { default: 1, min: 1e-6, max: 1e3 } },
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
      // beta I / N instead of beta (I / N): the same number up to rounding.
      const infectionProbability = -Math.expm1(-m.params.beta * m.state.infectedTotal / m.agents * m.settings.dt);
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
  const settings = { agents, steps: 30 };
  const [ours, theirs] = await runBoth(reordered(settings), models.sir(settings), 'float64', 'relaxed');
  const found = problems(ours, theirs, {});
  t.true(found.some((p) => p.startsWith('values differ')), found.join('; '));
  const error = Math.max(...Array.from(theirs.values, (x, i) => Math.abs(ours.values[i]! - x) / Math.max(Math.abs(x), 1e-300)));
  t.true(error < 1e-12, `relaxed values differ by rounding only: ${error}`);
});

test('the tolerances are as tight as stated: a relative error of 1e-10 (float64) or 1e-3 (float32) in one tangent or log p is rejected', async (t) => {
  const perturbed = (sim: Simulation, which: 'tangents' | 'logProb', index: number, factor: number): Simulation => {
    const copy = sim[which]!.slice();
    copy[index] = copy[index]! * factor;
    return { ...sim, [which]: copy };
  };
  for (const dtype of dtypes) {
    const model = brockHommes({ steps: 40 });
    const [ours, theirs] = await runBoth(model, models.brockHommes({ steps: 40 }), dtype, 'exact');
    const expectation = { tangents: tolerances.brockHommes };
    t.deepEqual(problems(ours, theirs, expectation), []);
    const small = dtype === 'float64' ? 1e-10 : 1e-3;
    // The largest tangent: its error is relative to itself.
    const tangents = Array.from(theirs.tangents!, Math.abs);
    const largest = tangents.indexOf(Math.max(...tangents));
    const found = problems(perturbed(ours, 'tangents', largest, 1 + small), theirs, expectation);
    t.true(found.some((p) => p.startsWith('tangents differ')), `${dtype}: ${found.join('; ')}`);
    const [sirOurs, sirTheirs] = await runBoth(sir({ agents, steps: 30 }), models.sir({ agents, steps: 30 }), dtype, 'score');
    const sirExpectation = { logProbTerms: agents + 2 * agents * 30 };
    t.deepEqual(problems(sirOurs, sirTheirs, sirExpectation), []);
    const logProbFound = problems(perturbed(sirOurs, 'logProb', 0, 1 + small), sirTheirs, sirExpectation);
    t.true(logProbFound.some((p) => p.startsWith('log p')), `${dtype}: ${logProbFound.join('; ')}`);
  }
});
