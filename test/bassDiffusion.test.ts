// The worked example of docs/adding-a-model.md, and a check that the guide still quotes the code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import test from 'ava';

import { models, simulate } from '../lib/index.js';
import { repoRoot, strided } from './helpers.js';

test('bassDiffusion with N = 200,000 follows the mean-field Bass recursion', async (t) => {
  const model = models.bassDiffusion({ agents: 200_000, steps: 30 });
  const { p, q } = model.reference as { p: number; q: number };
  const sim = await simulate(model, model.reference, { replicates: 2, seed: 1, discrete: { mode: 'exact' } });
  let F = 0;
  for (let time = 1; time <= 30; time++) {
    F += (1 - F) * (1 - Math.exp(-(p + q * F)));
    const simulated = (sim.value(0, time) + sim.value(1, time)) / 2;
    t.true(Math.abs(simulated - F) < 0.01, `F(${time}) = ${simulated} vs ${F}`);
  }
  t.true(F > 0.9, 'the innovation saturates within the horizon');
});

test('bassDiffusion (relaxed, float64): tangents of p and q equal central differences', async (t) => {
  const model = models.bassDiffusion({ agents: 300, steps: 20 });
  const theta = { p: 0.03, q: 0.38 };
  const options = { replicates: 2, seed: 3, dtype: 'float64' as const, discrete: { mode: 'relaxed' as const, tau: 0.2 } };
  const sim = await simulate(model, theta, { ...options, tangents: true });
  for (const [lane, name] of (['p', 'q'] as const).entries()) {
    const h = 1e-6 * theta[name];
    const plus = await simulate(model, { ...theta, [name]: theta[name] + h }, options);
    const minus = await simulate(model, { ...theta, [name]: theta[name] - h }, options);
    const forward = strided(sim.tangents!, sim.values.length, 2, lane);
    const central = Array.from(plus.values, (v, i) => (v - minus.values[i]!) / (2 * h));
    const scale = Math.max(...central.map(Math.abs));
    const worst = Math.max(...central.map((c, i) => Math.abs(forward[i]! - c) / Math.max(Math.abs(c), 1e-3 * scale)));
    t.true(scale > 1e-2 && worst < 1e-4, `${name}: worst relative error ${worst}`);
  }
});

test('docs/adding-a-model.md quotes the files it walks through word for word', (t) => {
  const guide = readFileSync(join(repoRoot, 'docs', 'adding-a-model.md'), 'utf8');
  const excerpts = [...guide.matchAll(/<!-- from (\S+) -->\n```\w+\n([\s\S]*?)```/g)];
  t.true(excerpts.length >= 5, `${excerpts.length} excerpts`);
  for (const [, file, code] of excerpts) {
    const source = readFileSync(join(repoRoot, file!), 'utf8');
    t.true(source.includes(code!), `${file} no longer contains:\n${code}`);
  }
});
