// Peers side by side: agentgrad and the NumPy and PyTorch implementations in bench/peers/ run the
// same workloads (model, replicates × agents × steps, K tangents) one after another in this run,
// and every row prints agentgrad/peer ratios of agent-steps per second.
//
// agentgrad runs in straight-through mode (exact draws and thresholds, surrogate tangents), as the
// peers do. PyTorch forward mode makes one forward_ad pass per tangent; reverse mode computes the
// gradient of the sum of all outputs with respect to every parameter, so it sits in the row whose
// K equals the model's parameter count. NumPy is single-threaded; PyTorch runs one intra-op thread
// by default (AGENTGRAD_TORCH_THREADS=n to change): on this shared 2-core machine two OpenMP
// threads made it up to 30 times slower whenever another process held a core. agentgrad uses its
// own thread pool over every core.
import { freemem } from 'node:os';

import { measureThroughput } from '../lib/benchmark.js';
import { models, simulate, type Model } from '../lib/index.js';
import { pythonWith, runPeer, type PeerName, type PeerResult } from './python.js';

export interface PeerCell {
  agentStepsPerSecond: number;
  medianSeconds: number;
  /** agentgrad agent-steps/s over this peer's. */
  ratio: number;
  runs: number;
  warmUpOnly: boolean;
  threads: number;
  method: string;
  summary: Record<string, unknown>;
}

export interface PeerRow {
  model: string;
  tangents: number;
  replicates: number;
  agents: number;
  steps: number;
  agentgrad: { agentStepsPerSecond: number; medianSeconds: number; backend: string; summary: Record<string, unknown> };
  peers: Partial<Record<PeerName, PeerCell>>;
  notes: string[];
}

export interface PeerSuite {
  rows: PeerRow[];
  notes: string[];
  pythons: Record<string, string | null>;
}

interface ModelCase {
  name: 'randomWalk' | 'volatility' | 'sir';
  build: (agents: number, steps: number) => Model;
  theta: Record<string, number>;
}

const modelCases: ModelCase[] = [
  { name: 'randomWalk', build: (agents, steps) => models.randomWalk({ agents, steps }), theta: { p: 0.6 } },
  {
    name: 'volatility',
    build: (agents, steps) => models.volatility({ agents, steps }),
    theta: { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 },
  },
  { name: 'sir', build: (agents, steps) => models.sir({ agents, steps }), theta: { beta: 0.2, gamma: 0.05, I0: 0.01 } },
];

// Models of the throughput suite without a Python peer; listed so the report says so.
const modelsWithoutPeers = ['networkSir'];

const tangentCounts = [0, 1, 4, 8];

// The suite's tangent counts a model has parameters for, and its parameter count (the row where the
// reverse-mode peer, which always computes the full gradient, sits).
function tangentCountsFor(parameters: number): number[] {
  return [...new Set([...tangentCounts.filter((k) => k <= parameters), parameters])].sort((a, b) => a - b);
}

// (replicates, agents, steps): 1e3 agents up to 1e7 replicate-agents. The two largest sizes run 10
// steps so that one NumPy/PyTorch run stays near ten seconds on two cores (with T = 100 for
// 1000 × 1000 the full suite took 21 minutes on a loaded 2-core machine).
const sizes: Array<[number, number, number]> = [
  [1, 1000, 100],
  [64, 1000, 100],
  [1000, 1000, 10],
  [10, 1_000_000, 10],
];

// Bytes of PyTorch's reverse-mode tape per agent-step (measured: about 55 for the walk and 65 for
// volatility in float32), with margin. Rows whose tape would not fit are skipped with a note.
const tapeBytesPerAgentStep = 80;

function summaryOf(values: ArrayLike<number>, tangents: ArrayLike<number> | null, replicates: number, times: number, K: number): Record<string, unknown> {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const out: Record<string, unknown> = { meanSumOutputs: sum / replicates };
  if (tangents && K > 0) {
    const sums = new Array<number>(K).fill(0);
    for (let i = 0; i < replicates * times; i++) for (let k = 0; k < K; k++) sums[k]! += tangents[i * K + k]!;
    out['meanSumTangents'] = sums.map((s) => s / replicates);
  }
  return out;
}

export async function peerRows(options: { quick: boolean; backend: 'cpu' | 'cuda' | 'auto'; log?: (line: string) => void }): Promise<PeerSuite> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const notes: string[] = [];
  const numpy = pythonWith('numpy');
  const torch = pythonWith('torch');
  notes.push(numpy.note, torch.note);
  const pythons = { numpy: numpy.python, torch: torch.python };
  const peers: Array<{ name: PeerName; python: string | null }> = [
    { name: 'numpy', python: numpy.python },
    { name: 'torch-forward', python: torch.python },
    { name: 'torch-reverse', python: torch.python },
  ];
  for (const m of modelsWithoutPeers) notes.push(`${m}: no Python peer; its agentgrad figures are in the throughput suite`);
  const torchThreads = Number(process.env['AGENTGRAD_TORCH_THREADS'] ?? 1);
  const chosenSizes = options.quick ? sizes.slice(0, 2) : sizes;
  const repeats = options.quick ? 2 : 5;
  const budgetSeconds = options.quick ? 2 : 4;
  const rows: PeerRow[] = [];

  for (const c of modelCases) {
    const parameterNames = c.build(1000, 100).parameters.map((p) => p.name);
    for (const K of tangentCounts) {
      if (K > parameterNames.length) notes.push(`${c.name}, K = ${K}: the model has ${parameterNames.length} parameter(s), so neither agentgrad nor the peers carry ${K} tangents`);
    }
    for (const K of tangentCountsFor(parameterNames.length)) {
      for (const [replicates, agents, steps] of chosenSizes) {
        const model = c.build(agents, steps);
        const tangents = parameterNames.slice(0, K);
        log(`peers: ${c.name} K=${K} ${replicates}x${agents}x${steps}`);
        const simOptions = { replicates, seed: 1, tangents, discrete: { mode: 'straight-through' as const }, backend: options.backend };
        const result = await measureThroughput({ model, theta: c.theta, options: simOptions, repeats });
        const sim = await simulate(model, c.theta, simOptions);
        const row: PeerRow = {
          model: c.name,
          tangents: K,
          replicates,
          agents,
          steps,
          agentgrad: {
            agentStepsPerSecond: result.agentStepsPerSecond,
            medianSeconds: result.medianSeconds,
            backend: result.backend,
            summary: summaryOf(sim.values, sim.tangents, replicates, steps + 1, K),
          },
          peers: {},
          notes: [],
        };
        for (const peer of peers) {
          if (!peer.python) continue;
          if (peer.name === 'torch-reverse') {
            if (K !== parameterNames.length) continue;
            const tape = replicates * agents * steps * tapeBytesPerAgentStep;
            const cap = Math.min(8 * 2 ** 30, 0.4 * freemem());
            if (tape > cap) {
              row.notes.push(`torch-reverse skipped: its tape would need about ${(tape / 2 ** 30).toFixed(1)} GiB (cap ${(cap / 2 ** 30).toFixed(1)} GiB)`);
              continue;
            }
          }
          let r: PeerResult;
          try {
            r = runPeer(peer.python, peer.name, { model: c.name, replicates, agents, steps, tangents: K, repeats, budgetSeconds, seed: 1, threads: torchThreads });
          } catch (error) {
            row.notes.push((error as Error).message);
            continue;
          }
          row.peers[peer.name] = {
            agentStepsPerSecond: r.agentStepsPerSecond,
            medianSeconds: r.medianSeconds,
            ratio: result.agentStepsPerSecond / r.agentStepsPerSecond,
            runs: r.seconds.length,
            warmUpOnly: r.warmUpOnly,
            threads: r.threads,
            method: r.method,
            summary: r.summary,
          };
        }
        rows.push(row);
      }
    }
  }
  return { rows, notes, pythons };
}

function rate(x: number): string {
  return x.toExponential(2);
}

function ratio(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

export function peerMarkdown(suite: PeerSuite): string {
  const lines = [
    'agent-steps/s (replicates × agents × steps / median wall time); ratio = agentgrad / peer. Straight-through mode, float32.',
    '',
    '| model | K | replicates × agents × steps | agentgrad | numpy | ag/numpy | torch fwd | ag/torch fwd | torch rev | ag/torch rev |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const footnotes: string[] = [];
  for (const r of suite.rows) {
    const cell = (name: PeerName): [string, string] => {
      const c = r.peers[name];
      if (!c) return ['—', '—'];
      return [rate(c.agentStepsPerSecond) + (c.warmUpOnly ? '¹' : ''), ratio(c.ratio)];
    };
    const [n, nr] = cell('numpy');
    const [f, fr] = cell('torch-forward');
    const [b, br] = cell('torch-reverse');
    lines.push(`| ${r.model} | ${r.tangents} | ${r.replicates} × ${r.agents} × ${r.steps} | ${rate(r.agentgrad.agentStepsPerSecond)} | ${n} | ${nr} | ${f} | ${fr} | ${b} | ${br} |`);
    for (const note of r.notes) footnotes.push(`- ${r.model}, K = ${r.tangents}, ${r.replicates} × ${r.agents} × ${r.steps}: ${note}`);
  }
  const threads = suite.rows.flatMap((r) => Object.entries(r.peers).map(([p, c]) => `${p}: ${c!.threads}`));
  const notes = [
    '¹ one run (its warm-up exceeded the time budget), not a median.',
    'torch fwd: one torch.autograd.forward_ad pass per tangent; torch rev: gradient of the sum of all outputs w.r.t. all parameters (rows with K = parameter count).',
    `peer threads: ${[...new Set(threads)].join(', ') || 'none'} (torch: AGENTGRAD_TORCH_THREADS, default 1, as two OpenMP threads collapse when another process shares the two cores); agentgrad uses every core.`,
    ...suite.notes.map((n) => `- ${n}`),
    ...footnotes,
  ];
  return lines.join('\n') + '\n\n' + notes.join('\n');
}
