import test from 'ava';

import { native } from '../lib/native.js';

// Each rule at points inside its domain; derivatives are checked against central differences of
// the primal value computed by the same native function.
const unary: Array<[string, number[]]> = [
  ['exp', [-3, -0.5, 0.7, 4]],
  ['log', [0.01, 0.5, 2, 30]],
  ['log1p', [-0.9, -0.2, 0.3, 5]],
  ['expm1', [-4, -1e-3, 0.2, 3]],
  ['sqrt', [0.01, 0.5, 2, 100]],
  ['abs', [-2.5, -0.1, 0.3, 7]],
  ['tanh', [-3, -0.4, 0.1, 2]],
  ['sigmoid', [-30, -2, 0.5, 40]],
  ['softplus', [-40, -1, 0.5, 35]],
  ['neg', [-1, 2]],
];
const binary: Array<[string, Array<[number, number]>]> = [
  ['add', [[1.5, -2], [0.1, 3]]],
  ['sub', [[1.5, -2], [0.1, 3]]],
  ['mul', [[1.5, -2], [0.1, 3]]],
  ['div', [[1.5, -2], [0.1, 3], [-4, 0.25]]],
  ['pow', [[1.5, 2.5], [0.3, -1.2], [4, 0.5]]],
  ['min', [[1.5, -2], [0.1, 3]]],
  ['max', [[1.5, -2], [0.1, 3]]],
];

function centralDifference(f: (x: number, y: number) => number, x: number, y: number, lane: 0 | 1): number {
  const h = 1e-6 * Math.max(1, Math.abs(lane === 0 ? x : y));
  return lane === 0 ? (f(x + h, y) - f(x - h, y)) / (2 * h) : (f(x, y + h) - f(x, y - h)) / (2 * h);
}

function closeTo(actual: number, expected: number, relative: number): boolean {
  return Math.abs(actual - expected) <= relative * Math.max(1, Math.abs(expected));
}

for (const [fn, points] of unary) {
  test(`Dual ${fn}: value and tangent match the scalar function and finite differences`, (t) => {
    const { dual } = native().internals;
    const value = (x: number) => dual(fn, x)[0];
    for (const x of points) {
      const [v, dx] = dual(fn, x);
      const fd = centralDifference(value, x, 0, 0);
      t.true(closeTo(dx, fd, 1e-7), `${fn}'(${x}) = ${dx}, finite difference ${fd}`);
      t.true(Number.isFinite(v));
    }
  });
}

for (const [fn, points] of binary) {
  test(`Dual ${fn}: both partial derivatives match finite differences`, (t) => {
    const { dual } = native().internals;
    const value = (x: number, y: number) => dual(fn, x, y)[0];
    for (const [x, y] of points) {
      const [, dx, dy] = dual(fn, x, y);
      t.true(closeTo(dx, centralDifference(value, x, y, 0), 1e-7), `d${fn}/dx at (${x}, ${y}) = ${dx}`);
      t.true(closeTo(dy, centralDifference(value, x, y, 1), 1e-7), `d${fn}/dy at (${x}, ${y}) = ${dy}`);
    }
  });
}

test('Dual values equal the plain math functions', (t) => {
  const { dual } = native().internals;
  t.is(dual('exp', 0.7)[0], Math.exp(0.7));
  t.is(dual('log1p', 0.3)[0], Math.log1p(0.3));
  t.is(dual('pow', 1.5, 2.5)[0], 1.5 ** 2.5);
  t.true(Math.abs(dual('sigmoid', 0.5)[0] - 1 / (1 + Math.exp(-0.5))) < 1e-16);
  t.true(Math.abs(dual('softplus', 0.5)[0] - Math.log1p(Math.exp(0.5))) < 1e-15);
});

test('sigmoid and softplus stay finite with exact tangents in the far tails', (t) => {
  const { dual } = native().internals;
  t.deepEqual(dual('sigmoid', -800).slice(0, 2), [0, 0]);
  t.deepEqual(dual('sigmoid', 800).slice(0, 2), [1, 0]);
  t.deepEqual(dual('softplus', 800).slice(0, 2), [800, 1]);
  t.deepEqual(dual('softplus', -800).slice(0, 2), [0, 0]);
});
