// Peers side by side: agentgrad and the NumPy and PyTorch implementations in bench/peers/ run the
// same workloads (model, replicates × agents × steps, K tangents) in this run, and every row prints
// agentgrad/peer ratios of agent-steps per second. Each peer stays up as a server for the whole
// suite (peerServer.ts); within a row, after one warm-up each, agentgrad and the peers time their
// runs in turns of about 50 ms (interleave.ts), so that both sides of a ratio are measured over
// the same minutes of this shared machine, and each side's median run gives its rate.
//
// Random-walk rows without tangents also time the generator bound (generatorSide) in the same turns.
//
// agentgrad runs in straight-through mode (exact draws and thresholds, surrogate tangents), as the
// peers do. PyTorch forward mode makes one forward_ad pass per tangent; reverse mode computes the
// gradient of the sum of all outputs with respect to every parameter, so it sits in the row whose
// K equals the model's parameter count. NumPy runs on one thread, its BLAS pool included
// (python.ts, peerEnvironment); PyTorch runs one intra-op thread by default
// (AGENTGRAD_TORCH_THREADS=n to change): on this shared 2-core machine two OpenMP threads made it
// up to 30 times slower whenever another process held a core. agentgrad uses its own thread pool
// over every core.
import { freemem } from 'node:os';
import { performance } from 'node:perf_hooks';

import { median } from '../lib/benchmark.js';
import { models, simulate, type Model, type SimulateOptions } from '../lib/index.js';
import { native } from '../lib/native.js';
import { interleave, type InterleaveOptions, type TimedSide } from './interleave.js';
import { PeerServer, type PeerWarmUp } from './peerServer.js';
import { pythonWith, type PeerName } from './python.js';
import { StealMeter } from './steal.js';

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
  /** Rounds of turns agentgrad and the peers took (interleave.ts). */
  rounds: number;
  agentgrad: {
    agentStepsPerSecond: number;
    medianSeconds: number;
    runs: number;
    backend: string;
    summary: Record<string, unknown>;
    /** The hypervisor's share of all cores' ticks during agentgrad's turns (steal.ts), or null. */
    stolen: number | null;
  };
  peers: Partial<Record<PeerName, PeerCell>>;
  /** Random walk, K = 0, CPU: the generator bound of the row (generatorSide). */
  generator?: { agentStepsPerSecond: number; medianSeconds: number; runs: number };
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

const maxRuns = 1000;

// Seconds of each run of `run`, at least one run and until they add up to `minSeconds`.
async function timedRuns(run: () => unknown, minSeconds: number): Promise<number[]> {
  const seconds: number[] = [];
  let spent = 0;
  while (seconds.length === 0 || spent < minSeconds) {
    const start = performance.now();
    await run();
    const elapsed = (performance.now() - start) / 1000;
    seconds.push(elapsed);
    spent += elapsed;
  }
  return seconds;
}

// agentgrad's side of a row: simulate() timed from the calling thread, as a user awaits it.
function agentgradSide(model: Model, theta: Record<string, number>, options: SimulateOptions): TimedSide & { steal: StealMeter } {
  const steal = new StealMeter();
  return {
    budgetSeconds: Infinity,
    seconds: [],
    steal,
    time: (minSeconds) =>
      steal.during(() => timedRuns(() => simulate(model, theta, options), minSeconds)),
  };
}

// The generator bound of a random-walk row: the uniforms of the same replicates × agents × steps,
// drawn and summed by the CPU kernels as the walk's agent loop draws and sums them, with no model
// around them (internals.uniformSums). No model that draws one uniform per agent-step runs faster on
// this CPU, so generator / peer is the most such a model's ratio can be against that peer.
function generatorSide(replicates: number, agents: number, steps: number): TimedSide {
  const { uniformSums } = native().internals;
  uniformSums(1, replicates, agents, steps, 0);
  return {
    budgetSeconds: Infinity,
    seconds: [],
    time: (minSeconds) => timedRuns(() => uniformSums(1, replicates, agents, steps, 0), minSeconds),
  };
}

// A peer's side of a row, after its warm-up; a warm-up past the budget is the measurement itself.
function peerSide(server: PeerServer, warmUp: PeerWarmUp, budgetSeconds: number): TimedSide & { warmUpOnly: boolean } {
  const warmUpOnly = warmUp.seconds > budgetSeconds;
  return { budgetSeconds, seconds: warmUpOnly ? [warmUp.seconds] : [], warmUpOnly, time: (minSeconds) => server.time(minSeconds) };
}

export async function peerRows(options: { quick: boolean; backend: 'cpu' | 'cuda' | 'auto'; models?: string[]; log?: (line: string) => void }): Promise<PeerSuite> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const notes: string[] = [];
  const numpy = pythonWith('numpy');
  const torch = pythonWith('torch');
  notes.push(numpy.note, torch.note);
  const pythons = { numpy: numpy.python, torch: torch.python };
  const torchThreads = Number(process.env['AGENTGRAD_TORCH_THREADS'] ?? 1);
  const servers = new Map<PeerName, PeerServer>();
  for (const [name, python, threads] of [
    ['numpy', numpy.python, 1],
    ['torch-forward', torch.python, torchThreads],
    ['torch-reverse', torch.python, torchThreads],
  ] as const) {
    if (python) servers.set(name, new PeerServer(python, name, threads));
  }
  for (const m of modelsWithoutPeers.filter((name) => !options.models || options.models.includes(name))) notes.push(`${m}: no Python peer; its agentgrad figures are in the throughput suite`);
  const chosenSizes = options.quick ? sizes.slice(0, 2) : sizes;
  const timing = { repeats: options.quick ? 2 : 5, minSeconds: 0.25, maxRuns };
  const budgetSeconds = options.quick ? 2 : 4;
  const rows: PeerRow[] = [];

  try {
    for (const c of modelCases) {
      if (options.models && !options.models.includes(c.name)) continue;
      const parameterNames = c.build(1000, 100).parameters.map((p) => p.name);
      for (const K of tangentCounts) {
        if (K > parameterNames.length) notes.push(`${c.name}, K = ${K}: the model has ${parameterNames.length} parameter(s), so neither agentgrad nor the peers carry ${K} tangents`);
      }
      for (const K of tangentCountsFor(parameterNames.length)) {
        for (const [replicates, agents, steps] of chosenSizes) {
          log(`peers: ${c.name} K=${K} ${replicates}x${agents}x${steps}`);
          rows.push(await peerRow(c, K, parameterNames, [replicates, agents, steps], { servers, timing, budgetSeconds, torchThreads, backend: options.backend }));
        }
      }
    }
  } finally {
    for (const server of servers.values()) server.close();
  }
  return { rows, notes, pythons };
}

interface RowSettings {
  servers: Map<PeerName, PeerServer>;
  timing: InterleaveOptions;
  budgetSeconds: number;
  torchThreads: number;
  backend: 'cpu' | 'cuda' | 'auto';
}

// One row: warm-ups, then agentgrad's and the peers' timed runs in turns (interleave.ts).
async function peerRow(c: ModelCase, K: number, parameterNames: string[], [replicates, agents, steps]: [number, number, number], settings: RowSettings): Promise<PeerRow> {
  const model = c.build(agents, steps);
  const simOptions = { replicates, seed: 1, tangents: parameterNames.slice(0, K), discrete: { mode: 'straight-through' as const }, backend: settings.backend };
  const warm = await simulate(model, c.theta, simOptions);
  const ag = agentgradSide(model, c.theta, simOptions);
  const notes: string[] = [];
  const peers: Array<{ name: PeerName; warmUp: PeerWarmUp; side: ReturnType<typeof peerSide> }> = [];
  for (const [name, server] of settings.servers) {
    if (name === 'torch-reverse') {
      if (K !== parameterNames.length) continue;
      const tape = replicates * agents * steps * tapeBytesPerAgentStep;
      const cap = Math.min(8 * 2 ** 30, 0.4 * freemem());
      if (tape > cap) {
        notes.push(`torch-reverse skipped: its tape would need about ${(tape / 2 ** 30).toFixed(1)} GiB (cap ${(cap / 2 ** 30).toFixed(1)} GiB)`);
        continue;
      }
    }
    const job = { model: c.name, replicates, agents, steps, tangents: K, repeats: settings.timing.repeats, seed: 1, threads: settings.torchThreads };
    try {
      const warmUp = await server.warmUp(job);
      peers.push({ name, warmUp, side: peerSide(server, warmUp, settings.budgetSeconds) });
    } catch (error) {
      notes.push((error as Error).message);
    }
  }
  const generator = c.name === 'randomWalk' && K === 0 && warm.backend === 'cpu' ? generatorSide(replicates, agents, steps) : null;
  let rounds = 0;
  try {
    rounds = await interleave([ag, ...(generator ? [generator] : []), ...peers.map((p) => p.side)], settings.timing);
  } catch (error) {
    // A peer that fails mid-row loses its cells; agentgrad's figure is still measured.
    notes.push((error as Error).message);
    peers.length = 0;
    if (ag.seconds.length === 0) ag.seconds.push(...(await ag.time(settings.timing.minSeconds)));
  }
  const agentSteps = replicates * agents * steps;
  const agMedian = median(ag.seconds);
  const row: PeerRow = {
    model: c.name,
    tangents: K,
    replicates,
    agents,
    steps,
    rounds,
    agentgrad: {
      agentStepsPerSecond: agentSteps / agMedian,
      medianSeconds: agMedian,
      runs: ag.seconds.length,
      backend: warm.backend,
      summary: summaryOf(warm.values, warm.tangents, replicates, steps + 1, K),
      stolen: ag.steal.fraction(),
    },
    peers: {},
    notes,
  };
  for (const { name, warmUp, side } of peers) {
    const peerMedian = median(side.seconds);
    row.peers[name] = {
      agentStepsPerSecond: agentSteps / peerMedian,
      medianSeconds: peerMedian,
      ratio: peerMedian / agMedian,
      runs: side.seconds.length,
      warmUpOnly: side.warmUpOnly,
      threads: warmUp.threads,
      method: warmUp.method,
      summary: warmUp.summary,
    };
  }
  if (generator && generator.seconds.length > 0) {
    const generatorMedian = median(generator.seconds);
    row.generator = { agentStepsPerSecond: agentSteps / generatorMedian, medianSeconds: generatorMedian, runs: generator.seconds.length };
    notes.push(generatorNote(row, row.generator.agentStepsPerSecond));
  }
  return row;
}

function generatorNote(row: PeerRow, generatorRate: number): string {
  const bounds = Object.entries(row.peers).map(([name, cell]) => `${ratio(generatorRate / cell!.agentStepsPerSecond)}× ${name}`);
  return (
    `generator bound ${rate(generatorRate)} agent-steps/s (the same uniforms drawn and summed, no model), ` +
    `agentgrad at ${((100 * row.agentgrad.agentStepsPerSecond) / generatorRate).toFixed(0)}% of it` +
    (bounds.length > 0 ? `; the bound is ${bounds.join(', ')}` : '')
  );
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
  const stolen = suite.rows.map((r) => r.agentgrad.stolen).filter((x): x is number => x !== null);
  const notes = [
    ...(stolen.length > 0 ? [`hypervisor steal time during agentgrad's turns (/proc/stat): at most ${(100 * Math.max(...stolen)).toFixed(1)}% of all cores' time in a row, ${(100 * median(stolen)).toFixed(1)}% in the median row.`] : []),
    '¹ one run (its warm-up exceeded the time budget), not a median.',
    'torch fwd: one torch.autograd.forward_ad pass per tangent; torch rev: gradient of the sum of all outputs w.r.t. all parameters (rows with K = parameter count).',
    `peer threads: ${[...new Set(threads)].join(', ') || 'none'} (torch: AGENTGRAD_TORCH_THREADS, default 1, as two OpenMP threads collapse when another process shares the two cores); agentgrad uses every core.`,
    ...suite.notes.map((n) => `- ${n}`),
    ...footnotes,
  ];
  return lines.join('\n') + '\n\n' + notes.join('\n');
}
