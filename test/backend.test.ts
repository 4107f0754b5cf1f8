import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import test from 'ava';

import { backendInfo, models, simulate } from '../lib/index.js';
import { repoRoot } from './helpers.js';

// The nvcc a build in this environment compiles the CUDA backend with, or '' where it would not
// (scripts/build-config.cjs: no GPU driver and no AGENTGRAD_CUDA, or no nvcc).
const nvcc = execFileSync('node', [join(repoRoot, 'scripts', 'nvcc.cjs'), '--path'], { encoding: 'utf8' });

test('backendInfo lists the CPU backend with its thread count', (t) => {
  const info = backendInfo();
  t.true(info.backends.includes('cpu'));
  t.true(Number.isInteger(info.cpu.threads) && info.cpu.threads >= 1);
  t.deepEqual(info.tangentBuckets, [1, 2, 4, 8, 16]);
});

test('the CUDA backend is compiled in exactly where the build configuration asks for it', (t) => {
  const info = backendInfo();
  t.is(info.cuda.compiled, nvcc !== '', `nvcc for this environment's build: '${nvcc}'`);
  t.is(info.backends.includes('cuda'), nvcc !== '');
  if (!info.cuda.compiled) t.regex(info.cuda.reason ?? '', /no CUDA backend .*AGENTGRAD_CUDA=1/);
});

test("'auto' runs on CUDA only when a device is present, and 'cuda' without one is a clear error", async (t) => {
  const info = backendInfo();
  const model = models.randomWalk({ agents: 10, steps: 3 });
  const sim = await simulate(model, { p: 0.5 }, { backend: 'auto' });
  t.is(sim.backend, info.cuda.available ? 'cuda' : 'cpu');
  if (info.cuda.available) {
    t.pass();
    return;
  }
  t.is(typeof info.cuda.reason, 'string');
  const error = await t.throwsAsync(simulate(model, { p: 0.5 }, { backend: 'cuda' }));
  t.regex(error!.message, /backend 'cuda' is not available: .+; use backend 'cpu' or 'auto'/);
});

test('CUDA and CPU agree up to float reduction order (runs only where a device is present)', async (t) => {
  const info = backendInfo();
  if (!info.cuda.available) {
    t.log(`no CUDA device: ${info.cuda.reason}`);
    t.pass();
    return;
  }
  const model = models.volatility({ agents: 500, steps: 50 });
  const theta = { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 };
  const options = { replicates: 16, seed: 3, tangents: true, dtype: 'float64' as const, discrete: { mode: 'relaxed' as const } };
  const cpu = await simulate(model, theta, { ...options, backend: 'cpu' });
  const gpu = await simulate(model, theta, { ...options, backend: 'cuda' });
  for (let i = 0; i < cpu.values.length; i++) t.true(Math.abs(cpu.values[i]! - gpu.values[i]!) < 1e-9);
  for (let i = 0; i < cpu.tangents!.length; i++) t.true(Math.abs(cpu.tangents![i]! - gpu.tangents![i]!) < 1e-7);
});
