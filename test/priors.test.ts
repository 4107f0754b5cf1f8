import test from 'ava';

import { priors } from '../lib/index.js';
import { bijectorFor, intervalBijector } from '../lib/gvi/bijectors.js';

function integrate(f: (x: number) => number, a: number, b: number, n = 200_000): number {
  const h = (b - a) / n;
  let s = 0;
  for (let i = 0; i < n; i++) s += f(a + (i + 0.5) * h);
  return s * h;
}

const cases = [
  { prior: priors.normal(1, 2), range: [-20, 22], mean: 1 },
  { prior: priors.logNormal(0.5, 0.4), range: [1e-9, 30], mean: Math.exp(0.5 + 0.08) },
  { prior: priors.uniform(-1, 3), range: [-1, 3], mean: 1 },
  { prior: priors.beta(2, 5), range: [1e-12, 1 - 1e-12], mean: 2 / 7 },
  { prior: priors.halfNormal(2), range: [0, 30], mean: 2 * Math.sqrt(2 / Math.PI) },
];

for (const { prior, range, mean } of cases) {
  test(`${prior.kind}(${prior.params.join(', ')}): density integrates to 1, has the right mean and derivative, samples match`, (t) => {
    const [a, b] = range as [number, number];
    const mass = integrate((x) => Math.exp(prior.logDensity(x)), a, b);
    t.true(Math.abs(mass - 1) < 1e-3, `mass ${mass}`);
    const first = integrate((x) => x * Math.exp(prior.logDensity(x)), a, b);
    t.true(Math.abs(first - mean) < 1e-3 * Math.max(1, Math.abs(mean)), `mean ${first} vs ${mean}`);
    const x = a + 0.37 * (b - a) * (prior.kind === 'normal' ? 1 : 0.3);
    const h = 1e-6;
    const fd = (prior.logDensity(x + h) - prior.logDensity(x - h)) / (2 * h);
    t.true(Math.abs(prior.logDensityDerivative(x) - fd) < 1e-5 * Math.max(1, Math.abs(fd)));
    let state = 12345;
    const uniform = () => ((state = (state * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const draws = Array.from({ length: 40_000 }, () => prior.sample(normal, uniform));
    const m = draws.reduce((s, v) => s + v, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((s, v) => s + (v - m) ** 2, 0) / draws.length);
    t.true(Math.abs(m - mean) < 4 * sd / Math.sqrt(draws.length), `sample mean ${m} vs ${mean}`);
  });
}

test('bijectors: forward/inverse round trip, derivative and log-det-Jacobian match finite differences', (t) => {
  const bijectors = [bijectorFor('real'), bijectorFor('positive'), bijectorFor('unit'), intervalBijector(0.1, 2)];
  for (const b of bijectors) {
    for (const u of [-3, -0.2, 0.5, 2.5]) {
      t.true(Math.abs(b.inverse(b.forward(u)) - u) < 1e-9);
      const h = 1e-6;
      const fd = (b.forward(u + h) - b.forward(u - h)) / (2 * h);
      t.true(Math.abs(b.derivative(u) - fd) < 1e-6 * Math.max(1, Math.abs(fd)));
      t.true(Math.abs(b.logDetJacobian(u) - Math.log(b.derivative(u))) < 1e-12);
      const fdLogDet = (b.logDetJacobian(u + h) - b.logDetJacobian(u - h)) / (2 * h);
      t.true(Math.abs(b.logDetJacobianDerivative(u) - fdLogDet) < 1e-6);
    }
  }
  t.true(bijectorFor('unit').forward(800) === 1 && bijectorFor('unit').forward(-800) === 0);
  t.true(Number.isFinite(bijectorFor('unit').logDetJacobian(800)));
});

test('prior constructors reject bad arguments', (t) => {
  t.throws(() => priors.normal(0, 0), { instanceOf: RangeError, message: /normal\(sd\) must be a finite number > 0/ });
  t.throws(() => priors.uniform(2, 1), { instanceOf: RangeError, message: /needs high > low/ });
  t.throws(() => priors.beta(NaN, 1), { instanceOf: RangeError });
  t.throws(() => priors.logNormal('0' as never, 1), { instanceOf: TypeError });
});
