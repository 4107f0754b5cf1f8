// End-to-end cost in the reference volatility setting (N = 1000, T = 100, 4 parameters): one
// pathwise gradient over 10 replicates, and one GVI epoch with 10 variational samples.
import { performance } from 'node:perf_hooks';

import { median } from '../lib/benchmark.js';
import { fit, gradient, losses, models, simulate } from '../lib/index.js';

export interface EndToEndRow {
  task: string;
  msMedian: number;
  runs: number;
}

export async function endToEndRows(options: { quick: boolean; backend: 'cpu' | 'cuda' | 'auto' }): Promise<EndToEndRow[]> {
  const model = models.volatility();
  const truth = model.reference;
  const observed = Array.from((await simulate(model, truth, { seed: 12345, backend: options.backend })).values.subarray(1));
  const loss = losses.mmd(observed);
  const runs = options.quick ? 5 : 20;

  const gradientTimes: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    await gradient(model, truth, { loss, replicates: 10, seed: i, backend: options.backend });
    if (i > 0) gradientTimes.push(performance.now() - start);
  }

  const epochs = runs + 1;
  const result = await fit(model, observed, { loss, weight: 0.01, samplesPerEpoch: 10, epochs, lr: 0.05, seed: 1, backend: options.backend });
  const epochTimes = result.history.slice(1).map((h) => h.seconds * 1000);
  return [
    { task: 'pathwise gradient, 10 replicates, 4 tangents, MMD', msMedian: median(gradientTimes), runs },
    { task: 'GVI epoch, 10 samples, 4 parameters, MMD', msMedian: median(epochTimes), runs: epochTimes.length },
  ];
}

export function endToEndMarkdown(rows: EndToEndRow[]): string {
  return ['| task (volatility, N = 1000, T = 100) | median ms | runs |', '|---|---|---|', ...rows.map((r) => `| ${r.task} | ${r.msMedian.toFixed(1)} | ${r.runs} |`)].join('\n');
}
