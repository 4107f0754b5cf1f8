// The fit that the cluster tests run on workers and in one process: tasks of about 50 ms, so that
// a worker killed at a random moment is almost surely in the middle of one.
import { models, simulate, type FitOptions } from '../lib/index.js';

export async function clusterFitCase(agents = 100_000) {
  const model = models.volatility({ agents, steps: 50 });
  const sim = await simulate(model, model.reference, { seed: 5, discrete: { mode: 'exact' } });
  const observed = Array.from({ length: 50 }, (_, t) => [sim.value(0, t + 1)]);
  const options: FitOptions = { parameters: ['sigmaEps', 'eta'], epochs: 10, replicatesPerSample: 8, seed: 3, threads: 1, backend: 'cpu', lr: 0.05 };
  return { model, observed, options };
}
