import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import test from 'ava';

import { backendInfo } from '../lib/index.js';
import { repoRoot } from './helpers.js';

// A digest of CPU simulations (both dtypes, every estimator mode, two temperatures, with and without
// tangents) and of the generator bound's uniform sums, run in a child process whose kernels use the
// instruction set `isa` (or the widest the CPU has, if less).
function simulationDigest(isa: string): string {
  const index = pathToFileURL(join(repoRoot, 'dist', 'lib', 'index.js')).href;
  const nativeModule = pathToFileURL(join(repoRoot, 'dist', 'lib', 'native.js')).href;
  const script = `
    import { createHash } from 'node:crypto';
    import { models, simulate } from '${index}';
    import { native } from '${nativeModule}';
    const hash = createHash('sha256');
    for (const agents of [203, 600]) hash.update(new Uint8Array(native().internals.uniformSums(3, 5, agents, 17, 0).buffer));
    const runs = [
      [models.randomWalk({ agents: 203, steps: 17 }), { p: 0.4 }],
      // Three tiles of agents, the last a partial one: SIMD uniform rows that start past the first
      // tile and end in a padded group.
      [models.randomWalk({ agents: 600, steps: 5 }), { p: 0.4 }],
      [models.volatility({ agents: 203, steps: 17 }), { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 }],
      [models.sir({ agents: 203, steps: 17 }), { beta: 0.3, gamma: 0.1, I0: 0.05 }],
    ];
    // tau = 0.1 runs the Concrete kernels with 1/tau = 10 compiled in (straight-through, with
    // tangents, on the wide instruction sets), 0.5 the whole-power kernels at a run-time 1/tau,
    // 0.3 the general ones.
    for (const [model, theta] of runs)
      for (const dtype of ['float32', 'float64'])
        for (const mode of ['exact', 'relaxed', 'straight-through', 'smoothed', 'score'])
          for (const tau of [0.1, 0.5, 0.3])
            for (const tangents of [false, true]) {
              const sim = await simulate(model, theta, { replicates: 5, seed: 3, dtype, tangents, discrete: { mode, tau }, backend: 'cpu' });
              hash.update(new Uint8Array(sim.values.buffer));
              if (sim.tangents) hash.update(new Uint8Array(sim.tangents.buffer));
            }
    process.stdout.write(hash.digest('hex'));
  `;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, AGENTGRAD_CPU_ISA: isa },
  });
}

test('CPU kernels give bitwise identical results on every instruction set', (t) => {
  const { instructionSet } = backendInfo().cpu as { instructionSet?: string };
  t.log(`this CPU runs the ${instructionSet} kernels`);
  const baseline = simulationDigest('baseline');
  t.is(simulationDigest('avx2'), baseline);
  t.is(simulationDigest('avx512'), baseline);
});
