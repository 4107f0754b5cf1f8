// Throughput of simulate(): agent-steps per second (replicates × agents × steps / wall time).
import { performance } from 'node:perf_hooks';

import type { Model } from './models/model.js';
import { simulate, type SimulateOptions } from './simulate.js';

export interface ThroughputCase {
  model: Model;
  theta: Record<string, number>;
  options: SimulateOptions;
  /** Timed runs after one warm-up run (default 5); the median is reported. */
  repeats?: number;
  /**
   * Runs go on past `repeats` until they add up to this many seconds (default 0.25, at most 1000
   * runs), so that the median of sub-millisecond runs is not at the mercy of one scheduling hiccup.
   */
  minSeconds?: number;
}

export interface Throughput {
  agentSteps: number;
  medianSeconds: number;
  agentStepsPerSecond: number;
  nsPerAgentStep: number;
  backend: string;
}

const maxRuns = 1000;

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function measureThroughput({ model, theta, options, repeats = 5, minSeconds = 0.25 }: ThroughputCase): Promise<Throughput> {
  const warm = await simulate(model, theta, options);
  const seconds: number[] = [];
  let total = 0;
  while (seconds.length < repeats || (total < minSeconds && seconds.length < maxRuns)) {
    const start = performance.now();
    await simulate(model, theta, options);
    const elapsed = (performance.now() - start) / 1000;
    seconds.push(elapsed);
    total += elapsed;
  }
  const agentSteps = (options.replicates ?? 1) * model.agents * model.steps;
  const medianSeconds = median(seconds);
  return {
    agentSteps,
    medianSeconds,
    agentStepsPerSecond: agentSteps / medianSeconds,
    nsPerAgentStep: (medianSeconds * 1e9) / agentSteps,
    backend: warm.backend,
  };
}
