// `agentgrad worker --cluster URL`: compute fit samples and diagnose fits for coordinators on a
// NATS JetStream cluster until interrupted (SIGINT or SIGTERM hands the task in hand back at once).
import { parseArgs } from 'node:util';

import { runWorker } from '../cluster/worker.js';
import { choiceFlag, integerFlag, UsageError } from './args.js';
import { clusterFlags, clusterFlagUsage, clusterFromFlags } from './cluster-flags.js';

export const workerUsage = `agentgrad worker --cluster URL [options]   (runs until SIGINT or SIGTERM)
${clusterFlagUsage}
  --threads N           CPU threads per task (default: all cores)
  --backend B           auto (default) | cpu | cuda`;

export async function workerCommand(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { ...clusterFlags, threads: { type: 'string' }, backend: { type: 'string' } },
  });
  const cluster = clusterFromFlags(values);
  if (cluster === undefined) throw new UsageError('worker needs --cluster URL, e.g. --cluster nats://127.0.0.1:4222');
  const threads = integerFlag('threads', values.threads);
  if (threads !== undefined && threads < 1) throw new UsageError(`--threads must be an integer >= 1, got '${values.threads}'`);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const summary = await runWorker({
      cluster,
      ...(threads !== undefined ? { threads } : {}),
      ...(values.backend !== undefined ? { backend: choiceFlag('backend', values.backend, ['auto', 'cpu', 'cuda'] as const)! } : {}),
      signal: controller.signal,
    });
    return `worker done: ${summary.completed} tasks completed`;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
