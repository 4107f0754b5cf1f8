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
