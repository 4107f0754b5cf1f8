// Robustness to misspecification (examples/contamination.ts, docs/robustness.md): with 10% of the
// points replaced by outliers, the MMD-based generalised posterior stays near the truth and the
// MSE-based one moves by about the outliers' share of their distance, 0.1 · 10 = 1.
import test from 'ava';

import { contaminatedData, fitMu, summary, truth } from '../examples/contamination.js';

test('clean data: both losses recover mu', async (t) => {
  const observed = await contaminatedData(0);
  for (const loss of ['mmd', 'mse'] as const) {
    const s = summary(await fitMu(observed, loss));
    t.true(Math.abs(s.mean - truth.mu) < 0.1, `${loss}: mean ${s.mean}`);
    t.true(s.q05 < truth.mu && truth.mu < s.q95, `${loss}: 90% interval [${s.q05}, ${s.q95}]`);
  }
});

test('10% corrupted: the MMD posterior stays near the truth, the MSE posterior moves', async (t) => {
  const observed = await contaminatedData(0.1);
  t.is(observed.filter((y) => y === 11).length, 10);
  const robust = summary(await fitMu(observed, 'mmd'));
  t.true(Math.abs(robust.mean - truth.mu) < 0.1, `MMD mean ${robust.mean}`);
  t.true(robust.q05 < truth.mu && truth.mu < robust.q95, `MMD 90% interval [${robust.q05}, ${robust.q95}]`);
  const moved = summary(await fitMu(observed, 'mse'));
  // The MSE optimum is the sample mean, which the ten outliers shift by about (11 − 1) · 0.1 = 1.
  t.true(Math.abs(moved.mean - (truth.mu + 1)) < 0.15, `MSE mean ${moved.mean}`);
  t.true(moved.q05 > truth.mu, `MSE 90% interval [${moved.q05}, ${moved.q95}] excludes the truth`);
});

test('a larger w widens the generalised posterior around the same centre', async (t) => {
  const observed = await contaminatedData(0.1);
  const narrow = summary(await fitMu(observed, 'mmd', 1));
  const wide = summary(await fitMu(observed, 'mmd', 4));
  const ratio = (wide.q95 - wide.q05) / (narrow.q95 - narrow.q05);
  // The generalised posterior ∝ exp(−loss / w) π: near its mode, a Gaussian whose sd grows like √w.
  t.true(Math.abs(ratio - 2) < 0.3, `interval width ratio ${ratio}`);
  t.true(Math.abs(wide.mean - narrow.mean) < 0.1);
});
