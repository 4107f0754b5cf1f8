// The worked example of docs/adding-a-model.md, and a check that the guide still quotes the code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import test from 'ava';

import { models, simulate } from '../lib/index.js';
import { checkTangents, repoRoot } from './helpers.js';

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
  for (const { name, scale, worst } of await checkTangents(model, theta, ['p', 'q'], options, (name) => 1e-6 * theta[name as 'p' | 'q'])) {
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
