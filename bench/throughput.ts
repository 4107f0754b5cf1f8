// Agent-step throughput of every model for K tangents and sizes from small to large.
import { measureThroughput } from '../lib/benchmark.js';
import { models, type Model } from '../lib/index.js';
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
  seconds: number;
  backend: string;
}

interface ModelCase {
  build: (agents: number, steps: number) => Model;
  theta: Record<string, number>;
  mode: DiscreteModeName;
}

const cases: ModelCase[] = [
  { build: (agents, steps) => models.randomWalk({ agents, steps }), theta: { p: 0.6 }, mode: 'exact' },
  { build: (agents, steps) => models.volatility({ agents, steps }), theta: { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 }, mode: 'straight-through' },
];

// (replicates, agents): 1e3 agents up to 1e7 replicate-agents, T = 100.
const sizes: Array<[number, number]> = [
  [1, 1000],
  [64, 1000],
  [1000, 1000],
  [10, 1_000_000],
];

export async function throughputRows(options: { quick: boolean; backend: 'cpu' | 'cuda' | 'auto' }): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  const steps = 100;
  const chosenSizes = options.quick ? sizes.slice(0, 2) : sizes;
  for (const c of cases) {
    for (const tangentCount of [0, 1, 4, 8]) {
      for (const [replicates, agents] of chosenSizes) {
        const model = c.build(agents, steps);
        const tangents = model.parameters.map((p) => p.name).slice(0, tangentCount);
        if (tangents.length < tangentCount) continue;
        const result = await measureThroughput({
          model,
          theta: c.theta,
          options: { replicates, seed: 1, tangents, discrete: { mode: c.mode }, backend: options.backend },
          repeats: options.quick ? 2 : 5,
        });
        rows.push({
          model: model.name,
          tangents: tangentCount,
          mode: c.mode,
          replicates,
          agents,
          steps,
          agentStepsPerSecond: result.agentStepsPerSecond,
          nsPerAgentStep: result.nsPerAgentStep,
          seconds: result.medianSeconds,
          backend: result.backend,
        });
      }
    }
  }
  return rows;
}
