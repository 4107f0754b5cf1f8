import test from 'ava';

import { losses, type Loss } from '../lib/index.js';
import { normals } from './helpers.js';


function finiteDifferenceCheck(t: import('ava').ExecutionContext, loss: Loss, simulated: number[], outputs: number) {
  const shape = { times: simulated.length / outputs, outputs };
  const x = Float64Array.from(simulated);
  const { gradient } = loss.evaluate(x, shape);
  for (let i = 0; i < x.length; i++) {
    const h = 1e-6;
    const plus = Float64Array.from(x);
    const minus = Float64Array.from(x);
    plus[i] = plus[i]! + h;
    minus[i] = minus[i]! - h;
    const fd = (loss.evaluate(plus, shape).value - loss.evaluate(minus, shape).value) / (2 * h);
    t.true(Math.abs(gradient[i]! - fd) < 1e-6 * Math.max(1, Math.abs(fd)), `${loss.name} d/dx[${i}] = ${gradient[i]}, finite difference ${fd}`);
  }
}

test('mse and logMse: known values on t = 1..T and t = 0..T alignments', (t) => {
  const shape = { times: 4, outputs: 1 };
  const simulated = Float64Array.from([0, 1, 2, 3]);
  t.is(losses.mse([1, 1, 1]).evaluate(simulated, shape).value, (0 + 1 + 4) / 3);
  t.is(losses.mse([0, 1, 1, 1]).evaluate(simulated, shape).value, (0 + 0 + 1 + 4) / 4);
  t.is(losses.logMse([1, 1, 1]).evaluate(simulated, shape).value, Math.log(5 / 3));
  const { gradient } = losses.mse([1, 1, 1]).evaluate(simulated, shape);
  t.deepEqual(Array.from(gradient), [0, 0, 2 / 3, 4 / 3]);
  t.throws(() => losses.mse([1, 2]).evaluate(simulated, shape), { instanceOf: RangeError, message: /observed has 2 rows but the simulation has 4 time points/ });
});

test('mse, logMse, mmd and energyDistance derivatives match finite differences', (t) => {
  const observed = normals(1, 30);
  const simulated = [0, ...normals(2, 30, 0.3)];
  for (const loss of [losses.mse(observed), losses.logMse(observed), losses.mmd(observed), losses.energyDistance(observed)]) {
    finiteDifferenceCheck(t, loss, simulated, 1);
  }
  const observed2d = normals(3, 20).map((x, i) => [x, normals(4, 20)[i]!]);
  const simulated2d = [...normals(5, 21), ...normals(6, 21, 0.5)];
  for (const loss of [losses.mse(observed2d), losses.mmd(observed2d), losses.energyDistance(observed2d)]) {
    finiteDifferenceCheck(t, loss, simulated2d, 2);
  }
});

test('mmd and energyDistance are ~0 between large samples of one distribution and not for shifted ones', (t) => {
  const n = 1500;
  const observed = normals(7, n);
  const same = Float64Array.from([0, ...normals(8, n)]);
  const shifted = Float64Array.from([0, ...normals(9, n, 0.5)]);
  const shape = { times: n + 1, outputs: 1 };
  for (const loss of [losses.mmd(observed), losses.energyDistance(observed)]) {
    const near = loss.evaluate(same, shape).value;
    const far = loss.evaluate(shifted, shape).value;
    t.true(Math.abs(near) < 3e-3, `${loss.name} same distribution: ${near}`);
    t.true(far > 20 * Math.abs(near) && far > 0.03, `${loss.name} shifted: ${far}`);
  }
});

test('mmd uses the median pairwise distance of the observed data as its bandwidth', (t) => {
  // Observed {0, 1, 3}: distances 1, 2, 3, median 2, so k(d) = exp(-d² / 8); simulated t = 1..3 = {5, 6, 8}.
  const loss = losses.mmd([0, 1, 3]);
  const k = (d: number) => Math.exp(-(d * d) / (2 * 4));
  const x = [5, 6, 8];
  const y = [0, 1, 3];
  let within = 0;
  let across = 0;
  let observedTerm = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    across += k(x[i]! - y[j]!);
    if (i !== j) { within += k(x[i]! - x[j]!); observedTerm += k(y[i]! - y[j]!); }
  }
  const expected = within / 6 + observedTerm / 6 - (2 * across) / 9;
  t.true(Math.abs(loss.evaluate(Float64Array.from([0, 5, 6, 8]), { times: 4, outputs: 1 }).value - expected) < 1e-15);
});

test('observed data with NaN, wrong row lengths or too few rows is rejected', (t) => {
  t.throws(() => losses.mse([1, NaN, 2]), { instanceOf: RangeError, message: /observed\[1\] must be a finite number/ });
  t.throws(() => losses.mmd([[1, 2], [3]]), { instanceOf: RangeError, message: /observed\[1\]\.length must be 2 like row 0/ });
  t.throws(() => losses.energyDistance([1]), { instanceOf: RangeError, message: /observed\.length must be at least 2 rows/ });
  t.throws(() => losses.mse('abc' as never), { instanceOf: TypeError });
});
