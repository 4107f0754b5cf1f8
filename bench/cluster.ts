// Epoch time of a fit in one process against the same fit on a NATS JetStream cluster of 1 and 2
// `agentgrad worker` processes (one thread each, CPU backend), at the reference volatility setting
// (N = 1000, T = 100, 4 parameters, 10 samples per epoch), at 10^5 and at 10^6 agents; and the per-task
// overhead of the cluster, from a model whose simulation costs next to nothing.
import type { ChildProcess } from 'node:child_process';

import { median } from '../lib/benchmark.js';
import { fit, models, simulate, type FitOptions, type Model } from '../lib/index.js';
import { startNats, startWorker, stopProcess } from './natsServer.js';

export interface ClusterRow {
  setting: string;
  agents: number;
  steps: number;
  samples: number;
  /** 'one process' or 'cluster'. */
  where: string;
  /** Worker processes (cluster) or threads (one process). */
  workers: number;
  msPerEpoch: number;
  epochs: number;
}

export interface ClusterSuite {
  rows: ClusterRow[];
  /** Round trip of one task beyond its computation: publish, delivery, result, acknowledgement. */
  msPerTaskOverhead: number;
  /** The simulation and loss of one sample of the overhead model, in one process. */
  msPerTinySample: number;
}

async function observedOf(model: Model): Promise<number[]> {
  return Array.from((await simulate(model, model.reference, { seed: 12345, backend: 'cpu', discrete: { mode: 'exact' } })).values.subarray(1));
}

// The median epoch, leaving out the first (connections, caches, the run's description).
async function msPerEpoch(model: Model, observed: number[], options: FitOptions): Promise<number> {
  const result = await fit(model, observed, { seed: 1, ...options, backend: 'cpu', lr: 0.05 });
  return 1000 * median(result.history.slice(1).map((h) => h.seconds));
}

export async function clusterSuite(options: { quick: boolean }): Promise<ClusterSuite> {
  const server = await startNats();
  const workers: ChildProcess[] = [];
  try {
    const settings = [
      { setting: 'reference volatility', model: models.volatility({ agents: 1000, steps: 100 }), epochs: options.quick ? 11 : 41 },
      { setting: '10^5 agents', model: models.volatility({ agents: 100_000, steps: 100 }), epochs: options.quick ? 4 : 11 },
      ...(options.quick ? [] : [{ setting: '10^6 agents', model: models.volatility({ agents: 1_000_000, steps: 100 }), epochs: 6 }]),
    ];
    const rows: ClusterRow[] = [];
    const add = (s: (typeof settings)[number], where: string, count: number, ms: number) =>
      rows.push({ setting: s.setting, agents: s.model.agents, steps: s.model.steps, samples: 10, where, workers: count, msPerEpoch: ms, epochs: s.epochs });
    for (const s of settings) {
      const observed = await observedOf(s.model);
      for (const threads of [1, 2]) add(s, 'one process', threads, await msPerEpoch(s.model, observed, { epochs: s.epochs, threads }));
    }
    for (const count of [1, 2]) {
      while (workers.length < count) workers.push((await startWorker(server.url)).child);
      for (const s of settings) {
        // A seed of its own: a rerun of the same fit would find its results in the stream and compute nothing.
        add(s, 'cluster', count, await msPerEpoch(s.model, await observedOf(s.model), { epochs: s.epochs, seed: 1 + count, cluster: { url: server.url } }));
      }
    }
    // Overhead: one worker, a model of 10 agents × 5 steps, 10 samples an epoch taken one after another.
    await Promise.all(workers.splice(1).map((w) => stopProcess(w)));
    const tiny = models.volatility({ agents: 10, steps: 5 });
    const tinyObserved = await observedOf(tiny);
    const epochs = options.quick ? 21 : 101;
    const local = await msPerEpoch(tiny, tinyObserved, { epochs, threads: 1 });
    const remote = await msPerEpoch(tiny, tinyObserved, { epochs, cluster: { url: server.url } });
    return { rows, msPerTaskOverhead: (remote - local) / 10, msPerTinySample: local / 10 };
  } finally {
    await Promise.all(workers.map((w) => stopProcess(w)));
    await server.stop();
  }
}

export function clusterMarkdown(suite: ClusterSuite): string {
  const lines = ['| setting | where | workers / threads | ms per epoch |', '|---|---|---|---|'];
  for (const r of suite.rows) lines.push(`| ${r.setting} | ${r.where} | ${r.workers} | ${r.msPerEpoch.toFixed(1)} |`);
  lines.push('', `Per-task overhead: ${suite.msPerTaskOverhead.toFixed(2)} ms (a tiny sample costs ${suite.msPerTinySample.toFixed(3)} ms in one process).`);
  return lines.join('\n');
}
