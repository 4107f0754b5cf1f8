// Runs diagnose's independent fits at once: in worker threads (each fit's JavaScript — the loss,
// the optimiser — then runs in parallel too), or in this thread when the loss is a function,
// which cannot cross to a worker (the simulations still run in parallel on the native threads).
import { Worker } from 'node:worker_threads';

import type { Loss } from '../losses/loss.js';
import { ClusterRun } from '../cluster/coordinator.js';
import type { CheckedClusterOptions } from '../cluster/options.js';
import { diagnoseRun } from '../cluster/runs.js';
import { abortError, isPlainObject } from '../errors.js';
import { runOneFit, type FailedFit, type FitOutcome } from './oneFit.js';
import type { Recipe } from './recipe.js';

export type Outcome = FitOutcome | FailedFit;

export interface PoolOptions {
  concurrency: number;
  /** Run the fits as tasks on a cluster's workers instead (the loss must be a name). */
  cluster?: CheckedClusterOptions;
  signal?: AbortSignal;
  lossOf?: (observed: number[][]) => Loss;
  onOutcome: (outcome: Outcome) => void | Promise<void>;
}

/** Runs the fits of `indices`, calling onOutcome as each finishes; rejects with an AbortError on abort. */
export async function runFits(recipe: Recipe, indices: readonly number[], options: PoolOptions): Promise<void> {
  if (indices.length === 0) return;
  if (options.cluster !== undefined) return runOnCluster(recipe, indices, options.cluster, options);
  if (options.lossOf !== undefined || options.concurrency === 1) return runInThisThread(recipe, indices, options);
  return runInWorkers(recipe, indices, options);
}

async function runInThisThread(recipe: Recipe, indices: readonly number[], options: PoolOptions): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < indices.length) {
      if (options.signal?.aborted) throw abortError();
      const index = indices[next++]!;
      await options.onOutcome(await runOneFit(recipe, index, options.signal, options.lossOf));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, indices.length) }, lane));
}

async function runOnCluster(recipe: Recipe, indices: readonly number[], cluster: CheckedClusterOptions, options: PoolOptions): Promise<void> {
  const run = await ClusterRun.open(cluster, diagnoseRun(recipe));
  try {
    await run.runTasks(indices.map((index) => ({ key: { epoch: -1, index }, u: null })), options.signal, (slot, value) => {
      const index = indices[slot]!;
      if (!isPlainObject(value) || value['index'] !== index || !(typeof value['error'] === 'string' || isPlainObject(value['ranks']))) {
        throw new Error(`cluster: the result for diagnose fit ${index} is not a fit outcome`);
      }
      void options.onOutcome(value as unknown as Outcome);
    });
  } finally {
    await run.close();
  }
}

function runInWorkers(recipe: Recipe, indices: readonly number[], options: PoolOptions): Promise<void> {
  const workerUrl = new URL('./worker.js', import.meta.url);
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let running = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      void Promise.all(workers.map((w) => w.terminate())).then(() => (error ? reject(error) : resolve()));
    };
    const onAbort = () => finish(abortError());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) return finish(abortError());
    const feed = (worker: Worker) => {
      if (next >= indices.length) {
        if (running === 0) finish();
        return;
      }
      running++;
      worker.postMessage(indices[next++]);
    };
    for (let w = 0; w < Math.min(options.concurrency, indices.length); w++) {
      const worker = new Worker(workerUrl, { workerData: recipe });
      workers.push(worker);
      worker.on('message', (message: { outcome?: Outcome; index?: number; error?: string }) => {
        running--;
        if (message.outcome === undefined) return finish(new Error(`diagnose: simulation ${message.index} failed in its worker: ${message.error}`));
        Promise.resolve(options.onOutcome(message.outcome)).then(
          () => !settled && feed(worker),
          (error: unknown) => finish(error as Error),
        );
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => {
        if (!settled && code !== 0) finish(new Error(`diagnose: a worker thread exited with code ${code}`));
      });
      feed(worker);
    }
  });
}
