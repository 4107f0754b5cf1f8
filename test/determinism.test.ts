import { execFileSync } from 'node:child_process';

import test from 'ava';

import { graphs, models, simulate } from '../lib/index.js';
import { repoRoot } from './helpers.js';

const cases: Array<{ model: ReturnType<typeof models.volatility>; theta: Record<string, number>; mode: 'smoothed' | 'straight-through' }> = [
  { model: models.randomWalk({ agents: 300, steps: 30 }), theta: { p: 0.4 }, mode: 'smoothed' },
  { model: models.volatility({ agents: 300, steps: 30 }), theta: { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 }, mode: 'straight-through' },
];

for (const { model, theta, mode } of cases) {
  test(`${model.name}: bitwise identical results for 1 and 2 threads`, async (t) => {
    const options = { replicates: 13, seed: 42, tangents: true, discrete: { mode }, backend: 'cpu' as const };
    const one = await simulate(model, theta, { ...options, threads: 1 });
    const two = await simulate(model, theta, { ...options, threads: 2 });
    const four = await simulate(model, theta, { ...options, threads: 4 });
    t.deepEqual(Buffer.from(one.values.buffer), Buffer.from(two.values.buffer));
    t.deepEqual(Buffer.from(one.tangents!.buffer), Buffer.from(two.tangents!.buffer));
    t.deepEqual(Buffer.from(one.values.buffer), Buffer.from(four.values.buffer));
  });

  test(`${model.name}: a replicate's numbers depend on the seed and replicate index only`, async (t) => {
    const base = { tangents: true, discrete: { mode }, backend: 'cpu' as const };
    const few = await simulate(model, theta, { ...base, replicates: 3, seed: 7 });
    const many = await simulate(model, theta, { ...base, replicates: 9, seed: 7 });
    t.deepEqual(Array.from(few.values), Array.from(many.values.subarray(0, few.values.length)));
    const other = await simulate(model, theta, { ...base, replicates: 3, seed: 8 });
    t.notDeepEqual(Array.from(few.values), Array.from(other.values));
  });
}

test('firstReplicate: a piece of a batched call, run alone, gives its replicates bitwise (points, tangents, programs)', async (t) => {
  const vol = models.volatility({ agents: 300, steps: 30 });
  const points = [0.8, 1, 1.3].map((sigmaEps) => ({ ...vol.reference, sigmaEps }));
  const options = { replicates: 4, seed: 11, tangents: true, discrete: { mode: 'smoothed' as const }, backend: 'cpu' as const };
  const batched = await simulate(vol, points, options);
  const piece = await simulate(vol, [points[1]!], { ...options, firstReplicate: 4 });
  const size = piece.values.length;
  t.deepEqual(Buffer.from(piece.values.buffer), Buffer.from(batched.values.slice(size, 2 * size).buffer));
  t.deepEqual(Buffer.from(piece.tangents!.buffer), Buffer.from(batched.tangents!.slice(piece.tangents!.length, 2 * piece.tangents!.length).buffer));
  // Without the offset the piece draws the first replicates' numbers instead.
  const unshifted = await simulate(vol, [points[1]!], options);
  t.notDeepEqual(Array.from(unshifted.values), Array.from(piece.values));

  const { kirmanAnts } = await import('../examples/kirmanAnts.js');
  const ants = kirmanAnts({ agents: 50, steps: 20 });
  const all = await simulate(ants, ants.reference, { replicates: 5, seed: 3, backend: 'cpu' });
  const last = await simulate(ants, ants.reference, { replicates: 2, seed: 3, backend: 'cpu', firstReplicate: 3 });
  t.deepEqual(Array.from(last.values), Array.from(all.values.subarray(3 * (last.values.length / 2))));
});

test('firstReplicate and wholeReplicates out of range are RangeErrors naming them and the range', async (t) => {
  const vol = models.volatility({ agents: 10, steps: 3 });
  await t.throwsAsync(simulate(vol, vol.reference, { replicates: 2, firstReplicate: 2 ** 32 - 1 }), { instanceOf: RangeError, message: /firstReplicate.*\[0, 4294967294\]/ });
  await t.throwsAsync(simulate(vol, vol.reference, { firstReplicate: -1 }), { instanceOf: RangeError, message: /firstReplicate/ });
  await t.throwsAsync(simulate(vol, vol.reference, { firstReplicate: 1.5 }), { message: /firstReplicate/ });
  await t.throwsAsync(simulate(vol, vol.reference, { replicates: 4, wholeReplicates: 3 }), { instanceOf: RangeError, message: /wholeReplicates must be an integer in \[4, 2147483647\]/ });
  // On the CPU the whole call's size changes nothing.
  const piece = await simulate(vol, vol.reference, { replicates: 2, seed: 4, firstReplicate: 2, wholeReplicates: 6, backend: 'cpu' });
  const alone = await simulate(vol, vol.reference, { replicates: 2, seed: 4, firstReplicate: 2, backend: 'cpu' });
  t.deepEqual(Array.from(piece.values), Array.from(alone.values));
});

// The CPU backend keeps agent-state workspaces between runs (native/cpu/workspace_cache.hpp): a run
// must not read what an earlier run of another model left in them.
test('every agent-state model gives the same numbers in workspaces that runs of other models left behind', async (t) => {
  const agentModels = [
    { model: models.randomWalk({ agents: 3000, steps: 5 }), theta: models.randomWalk().reference },
    { model: models.volatility({ agents: 3000, steps: 5 }), theta: models.volatility().reference },
    { model: models.sir({ agents: 3000, steps: 5 }), theta: models.sir().reference },
    { model: models.bassDiffusion({ agents: 3000, steps: 5 }), theta: models.bassDiffusion().reference },
    { model: models.networkSir({ graph: graphs.wattsStrogatz({ nodes: 3000, k: 4, rewire: 0.1, seed: 1 }), steps: 5 }), theta: models.networkSir().reference },
  ];
  const options = { replicates: 4, seed: 11, tangents: true, threads: 2, backend: 'cpu' as const };
  for (const { model, theta } of agentModels) {
    const first = await simulate(model, theta, options);
    for (const other of agentModels) if (other.model !== model) await simulate(other.model, other.theta, { ...options, seed: 5 });
    const again = await simulate(model, theta, options);
    t.deepEqual(Buffer.from(again.values.buffer), Buffer.from(first.values.buffer), model.name);
    t.deepEqual(Buffer.from(again.tangents!.buffer), Buffer.from(first.tangents!.buffer), model.name);
  }
});

test('a small request runs on the calling thread and gives the numbers a worker thread gives', async (t) => {
  const model = models.volatility({ agents: 300, steps: 30 });
  const theta = { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 };
  const options = { seed: 3, tangents: true, backend: 'cpu' as const };
  let settled = false;
  const small = simulate(model, theta, { ...options, replicates: 3 }).then((r) => ((settled = true), r));
  await new Promise((resolve) => setImmediate(resolve)); // microtasks only: no worker has reported back
  t.true(settled, '3 x 300 x 30 agent-steps x 5 lanes = 135,000 runs inline');
  const large = await simulate(model, theta, { ...options, replicates: 40 });
  const inline = await small;
  t.deepEqual(Buffer.from(inline.values.buffer), Buffer.from(large.values.buffer, 0, inline.values.byteLength));
  t.deepEqual(Buffer.from(inline.tangents!.buffer), Buffer.from(large.tangents!.buffer, 0, inline.tangents!.byteLength));
});

test('concurrent simulate calls give the same numbers as sequential ones', async (t) => {
  const model = models.volatility({ agents: 200, steps: 20 });
  const theta = { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 };
  const seeds = [1, 2, 3, 4, 5, 6];
  const sequential = [];
  for (const seed of seeds) sequential.push(await simulate(model, theta, { replicates: 5, seed, tangents: true }));
  const concurrent = await Promise.all(seeds.map((seed) => simulate(model, theta, { replicates: 5, seed, tangents: true })));
  for (let i = 0; i < seeds.length; i++) {
    t.deepEqual(Array.from(concurrent[i]!.values), Array.from(sequential[i]!.values));
    t.deepEqual(Array.from(concurrent[i]!.tangents!), Array.from(sequential[i]!.tangents!));
  }
});

// The CUDA backend runs requests with many tangents in passes of at most 8 (float) or 4 (double)
// lanes; the CPU backend runs the same passes under AGENTGRAD_CPU_LANES_PER_PASS, in a child
// process since the variable is read per request.
test('tangents computed in passes of lanes equal those of one run, bitwise', async (t) => {
  const script = `
    import { models, simulate, withIntervention } from './dist/lib/index.js';
    let model = models.sir({ agents: 300, steps: 12 });
    for (let m = 0; m < 4; m++) model = withIntervention(model, { parameter: 'beta', from: 3 * m, name: 'f' + m });
    const theta = { beta: 0.3, gamma: 0.1, I0: 0.05, f0: 0.9, f1: 0.8, f2: 1.1, f3: 0.7 };
    const mode = process.env.MODE;
    const sim = await simulate(model, theta, { replicates: 3, seed: 2, tangents: true, dtype: 'float64', discrete: { mode } });
    process.stdout.write(JSON.stringify([Array.from(sim.values), Array.from(sim.tangents), Array.from(sim.logProb ?? [])]));
  `;
  const run = (env: Record<string, string>) =>
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8' });
  for (const [mode, carrier] of [['straight-through', 1], ['score', 2]] as const) {
    const whole = run({ MODE: mode });
    const result = JSON.parse(whole) as number[][];
    t.true(result[carrier]!.some((x) => x !== 0), `${mode}: the ${carrier === 1 ? 'tangents' : 'log-probability tangents'} are not all zero`);
    for (const lanes of ['1', '2', '4']) t.is(run({ MODE: mode, AGENTGRAD_CPU_LANES_PER_PASS: lanes }), whole, `${mode}, passes of ${lanes}`);
  }
});
