import test from 'ava';

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
