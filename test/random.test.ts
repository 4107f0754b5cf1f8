import test from 'ava';

import { models, simulate } from '../lib/index.js';
import { native } from '../lib/native.js';
import { mean, stderr } from './helpers.js';

const count = 200_000;

for (const dtype of ['float32', 'float64'] as const) {
  test(`${dtype} uniforms lie strictly inside (0, 1) with mean 1/2 and variance 1/12`, (t) => {
    const u = native().internals.variates('uniform', dtype, 7, count);
    let min = 1;
    let max = 0;
    for (const x of u) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    t.true(min > 0 && max < 1, `range [${min}, ${max}]`);
    t.true(Math.abs(mean(u) - 0.5) < 4 * stderr(u));
    const squares = Array.from(u, (x) => (x - 0.5) ** 2);
    t.true(Math.abs(mean(squares) - 1 / 12) < 4 * stderr(squares));
  });

  test(`${dtype} normal, logistic and Gumbel variates have their known means and variances`, (t) => {
    const { variates } = native().internals;
    const moments: Array<['normal' | 'logistic' | 'gumbel', number, number]> = [
      ['normal', 0, 1],
      ['logistic', 0, Math.PI ** 2 / 3],
      ['gumbel', 0.5772156649015329, Math.PI ** 2 / 6],
    ];
    for (const [kind, m, v] of moments) {
      const x = variates(kind, dtype, 11, count);
      t.true(Math.abs(mean(x) - m) < 4 * stderr(x), `${kind} mean ${mean(x)}`);
      const squares = Array.from(x, (xi) => (xi - m) ** 2);
      t.true(Math.abs(mean(squares) - v) < 4 * stderr(squares), `${kind} variance ${mean(squares)}`);
      t.true(Array.from(x).every(Number.isFinite));
    }
  });
}

// A float32 normal is Box–Muller on the uniforms of its Philox call's words 0 and 2 (random.hpp);
// its float arithmetic, cos(2 pi u2) included, stays within 1.5e-7 of the exact values, so the
// draw is within 8e-7 + 4e-7 |z| of Box–Muller in double (libm's cosf(2 pi u2) errs by up to
// 2.2e-6 here, from rounding its argument).
test('float32 normals are Box–Muller on their Philox words to within float rounding', (t) => {
  const { philox, variates } = native().internals;
  const seed = 5;
  const n = 100_000;
  const draws = variates('normal', 'float32', seed, n);
  const openUniform = (word: number) => ((word >>> 9) + 0.5) * 2 ** -23;
  let worst = 0;
  for (let agent = 0; agent < n; agent++) {
    const [w0, , w2] = philox(10, [0, agent, 0, 0], [seed, 0]);
    const exact = Math.sqrt(-2 * Math.log(openUniform(w0!))) * Math.cos(2 * Math.PI * openUniform(w2!));
    worst = Math.max(worst, Math.abs(draws[agent]! - exact) / (8e-7 + 4e-7 * Math.abs(exact)));
  }
  t.true(worst <= 1, `worst error ${worst} of the bound`);
});

// Packed uniforms (random.hpp): call `block` of (replicate, block, step, slot | 2^31) yields 4
// float32 (2 float64) uniforms; agents come in groups of 16 calls, and lane l of a group's call c
// is the group's agent 16 l + c. The uniform of `agent` at slot 0, from the Philox words.
function packedUniform(dtype: 'float32' | 'float64', seed: number, replicate: number, agent: number, step: number): number {
  const perCall = dtype === 'float32' ? 4 : 2;
  const block = Math.floor(agent / (16 * perCall)) * 16 + (agent % 16);
  const lane = Math.floor(agent / 16) % perCall;
  const words = native().internals.philox(10, [replicate, block, step, 0x80000000], [seed, 0]);
  if (dtype === 'float32') return ((words[lane]! >>> 9) + 0.5) * 2 ** -23;
  const bits = ((BigInt(words[2 * lane]!) << 32n) | BigInt(words[2 * lane + 1]!)) >> 12n;
  return (Number(bits) + 0.5) * 2 ** -52;
}

test('uniforms are packed 16 calls to a group of agents, lane by lane', (t) => {
  const { variates } = native().internals;
  const seed = 9;
  const n = 1000;
  for (const dtype of ['float32', 'float64'] as const) {
    const draws = variates('uniform', dtype, seed, n);
    const wrong = Array.from(draws).findIndex((u, agent) => u !== packedUniform(dtype, seed, 0, agent, 0));
    t.is(wrong, -1, `${dtype}: agent ${wrong}`);
  }
});

// The CPU team draws a loop's uniforms a tile of agents at a time, with SIMD where it can (padding a
// row's last group): SIR's initial infections, 1[u < I0] on the uniforms of step 0 and slot 0, must
// count the same agents as the per-agent uniforms do, for rows that end anywhere in a group.
test('SIMD tile uniforms are the per-agent uniforms', async (t) => {
  const { variates } = native().internals;
  for (const dtype of ['float32', 'float64'] as const) {
    for (const agents of [1, 5, 17, 40, 100, 203, 600]) {
      for (const seed of [1, 2, 3]) {
        const uniforms = variates('uniform', dtype, seed, agents);
        for (const I0 of [0.3, 0.5, 0.7]) {
          const sim = await simulate(models.sir({ agents, steps: 1 }), { beta: 0.2, gamma: 0.05, I0 }, {
            replicates: 1, seed, dtype, discrete: { mode: 'exact' }, backend: 'cpu',
          });
          const expected = Array.from(uniforms).filter((u) => u < I0).length;
          t.is(Math.round(sim.value(0, 0, 0) * agents), expected, `${dtype}, ${agents} agents, seed ${seed}, I0 ${I0}`);
        }
      }
    }
  }
});

// internals.uniformSums (the benchmark's generator bound) draws and sums uniforms as a model's agent
// loop does: per step, the packed float32 uniforms of slot 0, agent i added to partial sum i mod 16
// in agent order, the 16 partial sums added pairwise (8 apart, then 4, 2, 1), the steps' totals added
// in order, all in float32. Rows that end inside a packed group and span several tiles of 256
// agents, on one thread and two.
test('uniform sums are the packed uniforms summed in the team order, on any thread count', (t) => {
  const { uniformSums } = native().internals;
  const seed = 4;
  const expectedSum = (replicate: number, agents: number, steps: number): number => {
    let total = 0;
    for (let step = 0; step < steps; step++) {
      const lanes = new Float32Array(16);
      for (let i = 0; i < agents; i++) lanes[i % 16] = lanes[i % 16]! + packedUniform('float32', seed, replicate, i, step);
      for (let width = 8; width >= 1; width /= 2) for (let j = 0; j < width; j++) lanes[j] = lanes[j]! + lanes[j + width]!;
      total = Math.fround(total + lanes[0]!);
    }
    return total;
  };
  for (const agents of [1, 17, 300, 600]) {
    const expected = [0, 1, 2].map((r) => expectedSum(r, agents, 3));
    for (const threads of [1, 2]) {
      t.deepEqual(Array.from(uniformSums(seed, 3, agents, 3, threads)), expected, `${agents} agents, ${threads} thread(s)`);
    }
  }
});

test('uniform sums reject sizes outside their ranges', (t) => {
  const { uniformSums } = native().internals;
  t.throws(() => uniformSums(1, 0, 10, 1, 0), { instanceOf: RangeError, message: /replicates/ });
  t.throws(() => uniformSums(1, 1, 0, 1, 0), { instanceOf: RangeError, message: /agents/ });
  t.throws(() => uniformSums(1, 1, 10, 2_000_000, 0), { instanceOf: RangeError, message: /steps/ });
  t.throws(() => uniformSums(1, 1, 10, 1, -1), { instanceOf: RangeError, message: /threads/ });
});
