import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import test from 'ava';

import { backendInfo } from '../lib/index.js';
import type { InstructionSet } from '../lib/native.js';
import { repoRoot } from './helpers.js';

// A digest of CPU simulations (both dtypes, every estimator mode, two temperatures, with and without
// tangents) and of the generator bound's uniform sums, run in a child process whose kernels use the
// instruction set `isa` (or the widest the binary carries and the CPU runs, if less), and the set
// that ran.
function simulationDigest(isa: string): { digest: string; ran: string } {
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
    process.stdout.write(JSON.stringify({ digest: hash.digest('hex'), ran: native().backendInfo().cpu.instructionSet }));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, AGENTGRAD_CPU_ISA: isa },
  });
  return JSON.parse(output) as { digest: string; ran: string };
}

const cpu = backendInfo().cpu;
const cpuFlags = readFileSync('/proc/cpuinfo', 'utf8');
const runsHere = (isa: InstructionSet): boolean =>
  isa === 'baseline' || (isa === 'avx2' ? / avx2 /.test(cpuFlags) : ['avx512f', 'avx512bw', 'avx512dq', 'avx512vl'].every((f) => cpuFlags.includes(` ${f}`)));
// A prebuilt binary (CI's among them) carries all three sets in full; a source build is for this
// processor (not portable): its wide set alone carries the wide models' float kernels, so there is
// nothing to compare.
const wideSets = cpu.instructionSets.filter((isa) => isa !== 'baseline' && runsHere(isa));

(cpu.portable && wideSets.length > 0 ? test : test.skip)(`CPU kernels give bitwise identical results on every instruction set (${['baseline', ...wideSets].join(', ')})`, (t) => {
  t.log(`this CPU runs the ${cpu.instructionSet} kernels; the binary carries ${cpu.instructionSets.join(', ')}`);
  const baseline = simulationDigest('baseline');
  t.is(baseline.ran, 'baseline');
  for (const isa of wideSets) {
    const wide = simulationDigest(isa);
    t.is(wide.ran, isa, `AGENTGRAD_CPU_ISA=${isa} ran the ${isa} kernels`);
    t.is(wide.digest, baseline.digest, `${isa} against baseline`);
  }
});

// A source build for this processor leaves the wide models' float32 kernels out of the baseline set
// (the processor never runs them): asked for baseline, it says what to do instead of crashing, and
// runs everything else. A portable binary gives the wide set's numbers.
(wideSets.length > 0 ? test : test.skip)(`AGENTGRAD_CPU_ISA=baseline: ${cpu.portable ? 'a portable binary gives the same numbers' : 'a source build names the fix for the wide models in float32'}`, (t) => {
  const script = `
    import { models, simulate } from '${pathToFileURL(join(repoRoot, 'dist', 'lib', 'index.js')).href}';
    const run = (dtype) => simulate(models.volatility({ agents: 203, steps: 17 }), { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 },
      { replicates: 3, seed: 3, dtype, tangents: true, discrete: { mode: 'straight-through', tau: 0.1 }, backend: 'cpu' });
    const sum = (sim) => Array.from(sim.values).reduce((a, b) => a + b, 0) + Array.from(sim.tangents).reduce((a, b) => a + b, 0);
    const float64 = sum(await run('float64'));
    const other = await simulate(models.networkSir({ agents: 203, steps: 17 }), { beta: 0.02, gamma: 0.05, I0: 0.05 }, { replicates: 2, seed: 3, backend: 'cpu' });
    let float32;
    try { float32 = { sum: sum(await run('float32')) }; } catch (error) { float32 = { error: error.message }; }
    process.stdout.write(JSON.stringify({ float64, other: other.values.length, float32 }));
  `;
  const outcome = (isa: string) =>
    JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, AGENTGRAD_CPU_ISA: isa } })) as {
      float64: number;
      other: number;
      float32: { sum?: number; error?: string };
    };
  const widest = outcome(wideSets[wideSets.length - 1]!);
  const baseline = outcome('baseline');
  t.true(Number.isFinite(widest.float32.sum), 'the widest set runs float32 volatility');
  t.is(baseline.float64, widest.float64, 'float64 runs on the baseline set in every build');
  t.is(baseline.other, 2 * 18 * 2, 'a narrow model runs its float32 kernels on the baseline set in every build');
  if (cpu.portable) {
    t.is(baseline.float32.sum, widest.float32.sum);
  } else {
    const error = baseline.float32.error ?? 'no error';
    t.log(error);
    t.regex(error, /float32 kernels of 'volatility' for (avx2|avx512) only/);
    t.regex(error, /npm rebuild agentgrad/);
    t.regex(error, /AGENTGRAD_CPU_ISAS=all/);
  }
});
