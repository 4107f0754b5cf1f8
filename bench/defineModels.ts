// Models written in TypeScript against the C++ models and the PyTorch peer, in the same run: the
// defineModel twins of volatility and SIR (examples/models/) and the built-ins they reproduce run
// the same rows (64 replicates × 1000 agents × 100 steps, K tangents, straight-through, CPU), timed
// in turns with PyTorch eager forward mode (interleave.ts); and the time from defining a new model
// to its first simulate call's result, in fresh processes.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

import { median } from '../lib/benchmark.js';
import { models, simulate, type Model, type SimulateOptions } from '../lib/index.js';
import sirTwin from '../examples/models/sir.js';
import volatilityTwin from '../examples/models/volatility.js';
import { interleave, type TimedSide } from './interleave.js';
import { PeerServer } from './peerServer.js';
import { pythonWith } from './python.js';

export interface DefineRow {
  model: string;
  tangents: number;
  replicates: number;
  agents: number;
  steps: number;
  threads: number;
  /** Median seconds of one simulate() call. */
  builtIn: number;
  twin: number;
  torch: number | null;
  /** twin seconds over built-in seconds (1 = as fast as the C++ model). */
  twinOverBuiltIn: number;
  /** PyTorch seconds over twin seconds (how many times faster the twin is). */
  torchOverTwin: number | null;
}

export interface DefineSuite {
  rows: DefineRow[];
  /** Fresh processes: defineModel of a new model, then its first simulate call (milliseconds). */
  firstRun: { defineMs: number; firstSimulateMs: number; totalMs: number; processes: number };
  notes: string[];
}

interface Case {
  name: 'volatility' | 'sir';
  builtIn: (agents: number, steps: number) => Model;
  twin: (agents: number, steps: number) => Model;
  theta: Record<string, number>;
}

const cases: Case[] = [
  { name: 'volatility', builtIn: (agents, steps) => models.volatility({ agents, steps }), twin: (agents, steps) => volatilityTwin({ agents, steps }),
    theta: { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 } },
  { name: 'sir', builtIn: (agents, steps) => models.sir({ agents, steps }), twin: (agents, steps) => sirTwin({ agents, steps }),
    theta: { beta: 0.2, gamma: 0.05, I0: 0.01 } },
];

function side(run: () => Promise<unknown>): TimedSide {
  return {
    budgetSeconds: Infinity,
    seconds: [],
    async time(minSeconds) {
      const seconds: number[] = [];
      let spent = 0;
      while (seconds.length === 0 || spent < minSeconds) {
        const start = performance.now();
        await run();
        seconds.push((performance.now() - start) / 1000);
        spent += seconds[seconds.length - 1]!;
      }
      return seconds;
    },
  };
}

// One process: import agentgrad, define a model it has never seen, simulate it once.
const firstRunScript = `
const t0 = performance.now();
const { defineModel, simulate } = await import(process.argv[1]);
const t1 = performance.now();
const voter = defineModel({
  name: 'voter', parameters: { flip: { constraint: 'unit', reference: 0.05 }, pull: { constraint: 'positive', reference: 0.5 } },
  settings: { agents: 1000, steps: 100 }, agent: ['opinion'], outputs: ['share'],
  init(m) { m.forEachAgent((a) => { a.opinion = m.bernoulli(0.5); }); m.output({ share: m.sum((a) => a.opinion) / m.agents }); },
  step(m) {
    const share = m.sum((a) => a.opinion) / m.agents;
    m.forEachAgent((a) => {
      const other = a.opinion * (1 - share) + (1 - a.opinion) * share;
      a.opinion = a.opinion + m.bernoulli(Math.min(1, m.params.flip + m.params.pull * other * other)) * (1 - 2 * a.opinion);
    });
    m.output({ share: m.sum((a) => a.opinion) / m.agents });
  },
});
const t2 = performance.now();
await simulate(voter(), { flip: 0.05, pull: 0.5 }, { replicates: 8, seed: 1, tangents: true });
const t3 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, defineMs: t2 - t1, firstSimulateMs: t3 - t2 }));
`;

function firstRun(processes: number): DefineSuite['firstRun'] {
  const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'index.js');
  const runs = Array.from({ length: processes }, () =>
    JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', firstRunScript, entry], { encoding: 'utf8' })) as Record<string, number>);
  const defineMs = median(runs.map((r) => r['defineMs']!));
  const firstSimulateMs = median(runs.map((r) => r['firstSimulateMs']!));
  return { defineMs, firstSimulateMs, totalMs: median(runs.map((r) => r['defineMs']! + r['firstSimulateMs']!)), processes };
}

export async function defineRows(options: { quick: boolean; log?: (line: string) => void }): Promise<DefineSuite> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const notes: string[] = [];
  const torch = pythonWith('torch');
  notes.push(torch.note);
  const server = torch.python ? new PeerServer(torch.python, 'torch-forward', 1) : null;
  const [replicates, agents, steps] = [64, 1000, 100];
  const timing = { repeats: options.quick ? 3 : 7, minSeconds: options.quick ? 0.5 : 1.5, maxRuns: 200 };
  const rows: DefineRow[] = [];
  try {
    for (const c of cases) {
      const builtIn = c.builtIn(agents, steps);
      const twin = c.twin(agents, steps);
      const names = builtIn.parameters.map((p) => p.name);
      const K = Math.min(4, names.length);
      if (K < 4) notes.push(`${c.name}: ${names.length} parameters, so K = ${K}`);
      log(`define: ${c.name} K=${K} ${replicates}x${agents}x${steps}`);
      const simOptions: SimulateOptions = { replicates, seed: 1, tangents: names.slice(0, K), discrete: { mode: 'straight-through' }, backend: 'cpu', threads: 1 };
      await simulate(builtIn, c.theta, simOptions);
      await simulate(twin, c.theta, simOptions);
      const sides = [side(() => simulate(builtIn, c.theta, simOptions)), side(() => simulate(twin, c.theta, simOptions))];
      let torchSide: TimedSide | null = null;
      if (server) {
        await server.warmUp({ model: c.name, replicates, agents, steps, tangents: K, repeats: timing.repeats, seed: 1, threads: 1 });
        torchSide = { budgetSeconds: options.quick ? 4 : 20, seconds: [], time: (minSeconds) => server.time(minSeconds) };
        sides.push(torchSide);
      }
      await interleave(sides, timing);
      const [b, t] = [median(sides[0]!.seconds), median(sides[1]!.seconds)];
      const p = torchSide ? median(torchSide.seconds) : null;
      rows.push({ model: c.name, tangents: K, replicates, agents, steps, threads: 1, builtIn: b, twin: t, torch: p,
        twinOverBuiltIn: t / b, torchOverTwin: p === null ? null : p / t });
    }
  } finally {
    server?.close();
  }
  notes.push('agentgrad and PyTorch each on one thread (PyTorch eager forward mode, one forward_ad pass per tangent)');
  return { rows, firstRun: firstRun(options.quick ? 3 : 7), notes };
}

export function defineMarkdown(suite: DefineSuite): string {
  const lines = [
    '| model | K | replicates × agents × steps | C++ model | defineModel twin | PyTorch eager | twin / C++ | PyTorch / twin |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
  for (const r of suite.rows) {
    lines.push(`| ${r.model} | ${r.tangents} | ${r.replicates} × ${r.agents} × ${r.steps} | ${ms(r.builtIn)} | ${ms(r.twin)} | ` +
      `${r.torch === null ? '—' : ms(r.torch)} | ${r.twinOverBuiltIn.toFixed(2)} | ${r.torchOverTwin === null ? '—' : r.torchOverTwin.toFixed(1)} |`);
  }
  const f = suite.firstRun;
  lines.push('', `Defining a new model and its first simulate call (8 × 1000 × 100, all tangents), median of ${f.processes} fresh processes: ` +
    `defineModel ${f.defineMs.toFixed(1)} ms, first simulate ${f.firstSimulateMs.toFixed(1)} ms, ${f.totalMs.toFixed(1)} ms in all.`);
  for (const note of suite.notes.filter(Boolean)) lines.push('', `- ${note}`);
  return lines.join('\n');
}
