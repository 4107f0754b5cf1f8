// Numerical extremes: parameters at the edges of their constraints, tiny and huge temperatures.
// Every call gives finite outputs and tangents, or a RangeError that says the arithmetic overflowed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import test from 'ava';

import { models, simulate } from '../lib/index.js';
import { repoRoot } from './helpers.js';

const modes = ['exact', 'relaxed', 'straight-through', 'smoothed', 'score'] as const;

async function finiteOrOverflowError(t: import('ava').ExecutionContext, run: () => ReturnType<typeof simulate>, label: string) {
  try {
    const sim = await run();
    const all = [...sim.values, ...(sim.tangents ?? []), ...(sim.logProb ?? [])];
    t.true(all.every(Number.isFinite), `${label}: non-finite numbers`);
  } catch (error) {
    t.true(error instanceof RangeError && /overflow/.test((error as Error).message), `${label}: ${(error as Error).message}`);
  }
}

// tau = 1/31 and 0.1 take the whole-power form of the Concrete sample, 31 its largest exponent.
test('random walk: p in {0, 1e-7, 0.5, 1 - 1e-7, 1} and tau in {1e-3, 1/31, 0.1, 100} give finite numbers in every mode', async (t) => {
  const model = models.randomWalk({ agents: 50, steps: 20 });
  for (const p of [0, 1e-7, 0.5, 1 - 1e-7, 1]) {
    for (const tau of [1e-3, 1 / 31, 0.1, 100]) {
      for (const mode of modes) {
        for (const dtype of ['float32', 'float64'] as const) {
          const sim = await simulate(model, { p }, { replicates: 4, seed: 1, tangents: true, discrete: { mode, tau }, dtype });
          const all = [...sim.values, ...sim.tangents!, ...(sim.logProb ?? [])];
          t.true(all.every(Number.isFinite), `p=${p} tau=${tau} ${mode} ${dtype}`);
        }
      }
    }
  }
});

test('volatility: parameters at the edges of their constraints give finite numbers or a clear overflow error', async (t) => {
  const model = models.volatility({ agents: 100, steps: 20 });
  const reference = model.reference;
  const edges = [1e-12, 1e-6, 1e6, 1e12];
  for (const name of Object.keys(reference)) {
    for (const value of edges) {
      for (const mode of modes) {
        for (const dtype of ['float32', 'float64'] as const) {
          await finiteOrOverflowError(t, () => simulate(model, { ...reference, [name]: value }, { replicates: 2, seed: 1, tangents: true, discrete: { mode, tau: 1e-3, sharpness: 1e3 }, dtype }), `${name}=${value} ${mode} ${dtype}`);
        }
      }
    }
  }
});

test('a float32 overflow is reported, and the same point runs in float64', async (t) => {
  // Found by the fuzz test (at sigmaLN = 43.15, where the overflow hung on the last digits of the
  // normal draw z = 2.0026): exp(44 z) = 1.8e38 and its tangent z exp(44 z) overflow float32.
  const model = models.volatility({ agents: 1, steps: 1 });
  const theta = { muLN: 0.001, sigmaLN: 44, sigmaEps: 0.001, eta: 0.001 };
  const error = await t.throwsAsync(simulate(model, theta, { seed: 12, tangents: true, discrete: { mode: 'relaxed', tau: 0.001 } }));
  t.true(error instanceof RangeError);
  t.regex(error!.message, /\((values|tangents) from step \d+.* of \d+\): they overflow float32 arithmetic; try dtype 'float64'/);
  const kept = await simulate(model, theta, { seed: 12, tangents: true, discrete: { mode: 'relaxed', tau: 0.001 }, nonFinite: 'keep' });
  t.true(kept.nonFinite > 0);
  await finiteOrOverflowError(t, () => simulate(model, theta, { seed: 12, tangents: true, discrete: { mode: 'relaxed', tau: 0.001 }, dtype: 'float64' }), 'float64');
});

test('simulate from worker threads gives the same numbers as on the main thread', async (t) => {
  const script = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.index).then(async ({ models, simulate }) => {
      const sim = await simulate(models.volatility({ agents: 100, steps: 10 }), { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 },
        { replicates: 3, seed: workerData.seed, tangents: true });
      parentPort.postMessage({ values: Array.from(sim.values), tangents: Array.from(sim.tangents) });
    });`;
  const index = new URL('../lib/index.js', import.meta.url).href;
  const runInWorker = (seed: number) =>
    new Promise<{ values: number[]; tangents: number[] }>((resolve, reject) => {
      const worker = new Worker(script, { eval: true, workerData: { index, seed } });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const [a, b, c] = await Promise.all([runInWorker(1), runInWorker(2), runInWorker(1)]);
  const main = await simulate(models.volatility({ agents: 100, steps: 10 }), { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 }, { replicates: 3, seed: 1, tangents: true });
  t.deepEqual(a!.values, Array.from(main.values));
  t.deepEqual(a!.tangents, Array.from(main.tangents!));
  t.deepEqual(c, a);
  t.notDeepEqual(b!.values, a!.values);
});

// AddressSanitizer quarantines freed memory (up to 256 MiB), so RSS says nothing under `test:asan`.
const underAddressSanitizer = (process.env['LD_PRELOAD'] ?? '').includes('libasan');

// Serial: AVA runs serial tests before the concurrent ones, so no other test's worker threads or
// buffers are counted.
(underAddressSanitizer ? test.skip : test.serial)('resident memory outside the JavaScript heap stays flat over 10,000 simulate calls', async (t) => {
  const model = models.volatility({ agents: 50, steps: 10 });
  const theta = model.reference;
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) await simulate(model, theta, { replicates: 2, seed: i, tangents: ['eta'] });
  };
  // V8 grows its heap toward a steady size over the first several thousand calls (by 25–45 MiB here,
  // more when the machine is busy and its concurrent collector lags), so the memory outside V8's
  // heap, RSS less the heap it holds, is where a native leak shows.
  const outsideHeap = () => {
    globalThis.gc?.();
    const { rss, heapTotal } = process.memoryUsage();
    return rss - heapTotal;
  };
  await run(1000);
  const before = outsideHeap();
  await run(9000);
  const after = outsideHeap();
  t.true(after - before < 32 * 2 ** 20, `memory outside the JavaScript heap grew by ${((after - before) / 2 ** 20).toFixed(1)} MiB`);
});

// A worker thread terminated while its simulations run (diagnose does this on abort) tears down
// its environment under the addon: loading it then, or settling a finished simulation, must not
// take the process down ('terminate called after throwing an instance of Napi::Error' before).
test('terminating worker threads in the middle of simulations leaves the process running', (t) => {
  const index = join(repoRoot, 'dist', 'lib', 'index.js');
  const worker = `import(${JSON.stringify(index)}).then(async ({ models, simulate }) => {
    const m = models.volatility();
    for (;;) await simulate(m, m.reference, { replicates: 8, seed: 1, tangents: true, threads: 1 });
  });`;
  const script = `
    import { Worker } from 'node:worker_threads';
    const code = ${JSON.stringify(worker)};
    for (let i = 0; i < 30; i++) {
      const worker = new Worker(code, { eval: true });
      await new Promise((resolve) => setTimeout(resolve, 20 + (i % 10) * 25));
      await worker.terminate();
    }
    console.log('still running');`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout.trim(), 'still running');
});
