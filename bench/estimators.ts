// Bias, spread and cost of every gradient estimator on models with analytic gradients: the table
// users need to choose an estimator and a temperature τ.
import { performance } from 'node:perf_hooks';

import { gradient, models, type Estimator, type Loss, type Model } from '../lib/index.js';
import type { DiscreteModeName } from '../lib/native.js';

export interface EstimatorRow {
  model: string;
  estimator: Estimator;
  mode: DiscreteModeName;
  tau: number | null;
  truth: number;
  mean: number;
  bias: number;
  /** Standard deviation of a one-replicate estimate. */
  sd: number;
  /** Standard error of `mean`. */
  stderr: number;
  replicates: number;
  msPerGradient: number;
}

const finalValue: Loss = {
  name: 'finalValue',
  evaluate(simulated) {
    const g = new Float64Array(simulated.length);
    g[simulated.length - 1] = 1;
    return { value: simulated[simulated.length - 1]!, gradient: g };
  },
};

interface Problem {
  model: Model;
  parameter: string;
  theta: Record<string, number>;
  truth: number;
  discrete: boolean;
}

// Built when the suite runs, not on import (run.ts imports every suite; `doc` needs no addon).
function problems(): Problem[] {
  return [
    { model: models.randomWalk({ agents: 100, steps: 50 }), parameter: 'p', theta: { p: 0.6 }, truth: 100, discrete: true },
    { model: models.bernoulliSum(), parameter: 'theta', theta: { theta: 0.2 }, truth: 7, discrete: true },
    { model: models.gaussianShift(), parameter: 'theta', theta: { theta: 2 }, truth: 28, discrete: false },
  ];
}

const taus = [0.01, 0.1, 0.5, 1];

interface Variant {
  estimator: Estimator;
  mode: DiscreteModeName;
  tau: number | null;
}

function variants(discrete: boolean): Variant[] {
  const list: Variant[] = [];
  if (discrete) {
    for (const mode of ['relaxed', 'straight-through'] as const) for (const tau of taus) list.push({ estimator: 'pathwise', mode, tau });
    list.push({ estimator: 'pathwise', mode: 'smoothed', tau: null });
  } else {
    list.push({ estimator: 'pathwise', mode: 'exact', tau: null });
  }
  list.push({ estimator: 'score', mode: 'score', tau: null });
  list.push({ estimator: 'finite-difference', mode: 'exact', tau: null });
  return list;
}

export async function estimatorRows(options: { quick: boolean }): Promise<EstimatorRow[]> {
  const replicates = options.quick ? 500 : 4000;
  const rows: EstimatorRow[] = [];
  for (const problem of problems()) {
    for (const v of variants(problem.discrete)) {
      const run = () =>
        gradient(problem.model, problem.theta, {
          loss: finalValue,
          estimator: v.estimator,
          replicates,
          seed: 1,
          dtype: 'float64',
          discrete: { mode: v.mode, tau: v.tau ?? 0.1 },
        });
      await run();
      const start = performance.now();
      const g = await run();
      const ms = performance.now() - start;
      const mean = g.grad[problem.parameter]!;
      const stderr = g.stderr[problem.parameter]!;
      rows.push({
        model: problem.model.name,
        estimator: v.estimator,
        mode: v.mode,
        tau: v.tau,
        truth: problem.truth,
        mean,
        bias: mean - problem.truth,
        sd: stderr * Math.sqrt(g.replicates),
        stderr,
        replicates: g.replicates,
        msPerGradient: ms,
      });
    }
  }
  return rows;
}

export function estimatorMarkdown(rows: EstimatorRow[]): string {
  const lines = [
    '| model | estimator | mode | τ | truth | mean ± s.e. | bias | sd (1 replicate) | ms / gradient |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.model} | ${r.estimator} | ${r.mode} | ${r.tau ?? '—'} | ${r.truth} | ${r.mean.toFixed(3)} ± ${r.stderr.toFixed(3)} | ` +
        `${r.bias.toFixed(3)} | ${r.sd.toFixed(3)} | ${r.msPerGradient.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}
