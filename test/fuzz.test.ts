// Property-based fuzzing of the public entry points: random valid and invalid arguments must
// either give finite numbers or be rejected with a TypeError/RangeError; nothing may crash or hang.
import test from 'ava';
import fc from 'fast-check';

import { fit, gradient, losses, models, simulate, type Model } from '../lib/index.js';

const modelBuilders: Record<string, (o: { agents: number; steps: number }) => Model> = {
  randomWalk: models.randomWalk,
  volatility: models.volatility,
  bernoulliSum: models.bernoulliSum,
  gaussianShift: models.gaussianShift,
  gaussianLocation: models.gaussianLocation,
};

const junk = fc.oneof(
  fc.constant(NaN), fc.constant(Infinity), fc.constant(-Infinity), fc.constant(-1), fc.constant(0), fc.constant(1.5),
  fc.constant(1e12), fc.constant('3'), fc.constant(null), fc.constant(undefined), fc.constant({}), fc.constant([1]),
);

function validValue(constraint: string) {
  if (constraint === 'unit') return fc.double({ min: 0, max: 1, noNaN: true });
  if (constraint === 'positive') return fc.double({ min: 1e-3, max: 1e3, noNaN: true });
  return fc.double({ min: -100, max: 100, noNaN: true });
}

// A case: a model and arguments where each field is valid with high probability, junk otherwise.
const caseArbitrary = fc.constantFrom(...Object.keys(modelBuilders)).chain((name) => {
  const model = modelBuilders[name]!({ agents: 8, steps: 6 });
  const theta = fc.record(Object.fromEntries(model.parameters.map((p) => [p.name, fc.oneof({ weight: 9, arbitrary: validValue(p.constraint) }, { weight: 1, arbitrary: junk })])));
  const maybe = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: junk });
  return fc.record({
    name: fc.constant(name),
    agents: maybe(fc.integer({ min: 1, max: 40 })),
    steps: maybe(fc.integer({ min: 1, max: 12 })),
    theta,
    replicates: maybe(fc.integer({ min: 1, max: 6 })),
    seed: maybe(fc.integer({ min: 0, max: 2 ** 40 })),
    tangents: fc.oneof(fc.constant(true), fc.subarray(model.parameters.map((p) => p.name)), fc.constant(['bogus'])),
    mode: maybe(fc.constantFrom('exact', 'relaxed', 'straight-through', 'smoothed', 'score')),
    tau: maybe(fc.double({ min: 1e-3, max: 100, noNaN: true })),
    dtype: maybe(fc.constantFrom('float32', 'float64')),
    threads: maybe(fc.integer({ min: 0, max: 3 })),
  });
});

type Case = Record<string, unknown>;

async function expectFiniteOrArgumentError(run: () => Promise<ArrayLike<number>[]>): Promise<boolean> {
  try {
    const arrays = await run();
    return arrays.every((a) => Array.from(a).every(Number.isFinite));
  } catch (error) {
    return error instanceof TypeError || error instanceof RangeError;
  }
}

function configure(c: Case): Model {
  return modelBuilders[c['name'] as string]!({ agents: c['agents'] as number, steps: c['steps'] as number });
}

test('simulate: finite numbers or a TypeError/RangeError, for random arguments', async (t) => {
  await fc.assert(
    fc.asyncProperty(caseArbitrary, async (c) =>
      expectFiniteOrArgumentError(async () => {
        const sim = await simulate(configure(c), c.theta as Record<string, number>, {
          replicates: c.replicates as number, seed: c.seed as number, tangents: c.tangents as string[],
          discrete: { mode: c.mode as 'exact', tau: c.tau as number }, dtype: c.dtype as 'float32', threads: c.threads as number,
        });
        return [sim.values, sim.tangents ?? [], sim.logProb ?? []];
      }),
    ),
    { numRuns: 300, seed: 1 },
  );
  t.pass();
});

test('gradient: finite numbers or a TypeError/RangeError, for random arguments', async (t) => {
  await fc.assert(
    fc.asyncProperty(caseArbitrary, fc.constantFrom('pathwise', 'score', 'finite-difference', 'bogus'), async (c, estimator) =>
      expectFiniteOrArgumentError(async () => {
        const model = configure(c);
        const observed = Array.from({ length: model.steps }, (_, i) => Math.sin(i));
        const g = await gradient(model, c.theta as Record<string, number>, {
          loss: losses.mse(observed), estimator: estimator as 'pathwise', replicates: c.replicates as number, seed: c.seed as number,
          tangents: c.tangents === true ? true : (c.tangents as string[]), discrete: { mode: c.mode as 'exact', tau: c.tau as number },
          dtype: c.dtype as 'float32',
        });
        return [[g.value], Object.values(g.grad)];
      }),
    ),
    { numRuns: 150, seed: 2 },
  );
  t.pass();
});

test('fit: finite numbers or a TypeError/RangeError, for random arguments', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      caseArbitrary,
      fc.constantFrom('mse', 'mmd', 'energyDistance', 'logMse', 'nope'),
      fc.oneof(fc.integer({ min: 1, max: 3 }), junk),
      fc.oneof(fc.double({ min: 1e-3, max: 0.5, noNaN: true }), junk),
      async (c, loss, epochs, lr) =>
        expectFiniteOrArgumentError(async () => {
          const model = configure(c);
          const observed = Array.from({ length: model.steps }, (_, i) => 1 + Math.cos(i));
          const result = await fit(model, observed, { loss: loss as 'mse', epochs: epochs as number, lr: lr as number, samplesPerEpoch: 2, seed: 3, discrete: { mode: c.mode as 'exact' } });
          return [result.history.map((h) => h.loss), Object.values(result.posterior.mean())];
        }),
    ),
    { numRuns: 40, seed: 3 },
  );
  t.pass();
});
