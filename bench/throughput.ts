// Agent-step throughput of the agent-heavy models for K tangents and sizes from small to large,
// with the effective memory bandwidth of a stated bytes-per-agent-step model.
import { measureThroughput } from '../lib/benchmark.js';
import { graphs, models, withIntervention, type Model } from '../lib/index.js';
import type { DiscreteModeName } from '../lib/native.js';

export interface ThroughputRow {
  model: string;
  tangents: number;
  mode: DiscreteModeName;
  replicates: number;
  agents: number;
  steps: number;
  agentStepsPerSecond: number;
  nsPerAgentStep: number;
  /** Effective bandwidth: bytesPerAgentStep × agent-steps / wall time. */
  gigabytesPerSecond: number;
  bytesPerAgentStep: number;
  seconds: number;
  backend: string;
}

interface ModelCase {
  name: string;
  build: (agents: number, steps: number) => Model;
  theta: Record<string, number>;
  mode: DiscreteModeName;
  /**
   * Agent-state numbers read or written per agent-step (each 4 bytes × (1 + K) in float32), and
   * other bytes per agent-step (graph indices).
   */
  stateNumbers: number;
  otherBytes: number;
}

const meanDegree = 10;

// The bytes model: every agent-state number an agent step reads or writes crosses memory once
// (value and K tangents, float32); draws are computed, not loaded.
const cases: ModelCase[] = [
  // position: read, write
  { name: 'randomWalk', build: (agents, steps) => models.randomWalk({ agents, steps }), theta: { p: 0.6 }, mode: 'exact', stateNumbers: 2, otherBytes: 0 },
  // threshold: read in the order sum, read and written in the reset loop
  {
    name: 'volatility',
    build: (agents, steps) => models.volatility({ agents, steps }),
    theta: { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 },
    mode: 'straight-through',
    stateNumbers: 3,
    otherBytes: 0,
  },
  // susceptible, infected: read, write
  { name: 'sir', build: (agents, steps) => models.sir({ agents, steps }), theta: { beta: 0.2, gamma: 0.05, I0: 0.01 }, mode: 'straight-through', stateNumbers: 4, otherBytes: 0 },
  // susceptible: read, write; infected: read own, write next, read
  // each neighbour's; 4-byte neighbour index and 2 offsets per agent
  {
    name: 'networkSir',
    build: (agents, steps) => models.networkSir({ graph: graphs.wattsStrogatz({ nodes: agents, k: meanDegree, rewire: 0.1, seed: 1 }), steps }),
    theta: { beta: 0.02, gamma: 0.05, I0: 0.01 },
    mode: 'straight-through',
    stateNumbers: 4 + meanDegree,
    otherBytes: 4 * meanDegree + 8,
  },
];

// K tangent parameters for a model: its own, then (for K beyond them) factors of interventions
// that leave the model unchanged (factor 1 on the first parameter), or null when K is out of reach.
function withTangentParameters(model: Model, theta: Record<string, number>, K: number): { model: Model; theta: Record<string, number>; tangents: string[] } | null {
  let extended = model;
  const point = { ...theta };
  for (let m = 0; extended.parameters.length < K && m < 4; m++) {
    extended = withIntervention(extended, { parameter: model.parameters[0]!.name, from: 0, name: `unchangedFactor${m}` });
    point[`unchangedFactor${m}`] = 1;
  }
  if (extended.parameters.length < K) return null;
  return { model: extended, theta: point, tangents: extended.parameters.map((p) => p.name).slice(0, K) };
}

// (replicates, agents): 1e3 agents up to 1e7 replicate-agents, T = 100.
const sizes: Array<[number, number]> = [
  [1, 1000],
  [64, 1000],
  [1000, 1000],
  [10, 1_000_000],
];

export async function throughputRows(options: { quick: boolean; backend: 'cpu' | 'cuda' | 'auto'; models?: string[] }): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  const steps = 100;
  const chosenSizes = options.quick ? sizes.slice(0, 2) : sizes;
  for (const c of cases) {
    if (options.models && !options.models.includes(c.name)) continue;
    for (const tangentCount of [0, 1, 4, 8]) {
      for (const [replicates, agents] of chosenSizes) {
        const setup = withTangentParameters(c.build(agents, steps), c.theta, tangentCount);
        if (setup === null) continue;
        const { model, theta, tangents } = setup;
        const result = await measureThroughput({
          model,
          theta,
          options: { replicates, seed: 1, tangents, discrete: { mode: c.mode }, backend: options.backend },
          repeats: options.quick ? 2 : 5,
        });
        const bytesPerAgentStep = c.stateNumbers * 4 * (1 + tangentCount) + c.otherBytes;
        rows.push({
          model: model.name,
          tangents: tangentCount,
          mode: c.mode,
          replicates,
          agents,
          steps,
          agentStepsPerSecond: result.agentStepsPerSecond,
          nsPerAgentStep: result.nsPerAgentStep,
          gigabytesPerSecond: (result.agentStepsPerSecond * bytesPerAgentStep) / 1e9,
          bytesPerAgentStep,
          seconds: result.medianSeconds,
          backend: result.backend,
        });
      }
    }
  }
  return rows;
}
