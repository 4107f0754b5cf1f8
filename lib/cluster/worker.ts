// A cluster worker: takes one task at a time from the work queue, computes it, publishes the
// result and only then acknowledges the task. While it computes it sends heartbeats, so a long task
// keeps its claim; if the process dies the claim lapses and the task goes to another worker.
import { setTimeout as sleep } from 'node:timers/promises';

import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { runOneFit } from '../diagnose/oneFit.js';
import { sampleStatistics, type SampleSetup } from '../gvi/objective.js';
import type { BackendChoice } from '../native.js';
import { agentgradVersion } from '../version.js';
import { decodeMessage, encodeMessage } from './codec.js';
import { checkClusterOptions, connectCluster, processName, publicUrl, redact, type CheckedClusterOptions, type ClusterOptions } from './options.js';
import { checkTask, describeKey, keyText, PROTOCOL, streams, subjects, taskDigest, WORKER_CONSUMER, type FailureResult, type SuccessResult, type Task } from './protocol.js';
import { ensureQueues, type QueueSettings } from './queues.js';
import { diagnoseRecipeOf, programDigest, sampleSetupOf, type RunDescription } from './runs.js';
import type { Recipe } from '../diagnose/recipe.js';

export interface WorkerOptions {
  cluster: ClusterOptions;
  /** CPU threads per task (default: all cores). */
  threads?: number;
  backend?: BackendChoice;
  /** Stops the worker: the task in hand goes back to the queue at once. */
  signal?: AbortSignal;
  /** Receives one line per event (default: stderr). */
  log?: (line: string) => void;
}

export interface WorkerSummary {
  completed: number;
  failed: number;
  refused: number;
  /** Messages that were not valid tasks, rejected without being executed. */
  rejected: number;
}

type PreparedRun = { description: RunDescription; fit?: SampleSetup; diagnose?: Recipe };

/** Why this worker will not run `task`, or null when it will. */
function refusalOf(task: Task, run: RunDescription | undefined): string | null {
  if (task.protocol !== PROTOCOL) return `the task speaks cluster protocol ${task.protocol}, this worker ${PROTOCOL}`;
  if (task.version !== agentgradVersion) return `the coordinator runs agentgrad ${task.version}, this worker ${agentgradVersion}; run the same version on both`;
  if (run === undefined) return null;
  const program = programDigest(run.model);
  if (task.program !== program) {
    return `the task's model program (${task.program ?? 'a built-in model'}) differs from the run's (${program ?? 'a built-in model'})`;
  }
  if ((run.kind === 'fit') !== (task.epoch >= 0)) return `a ${task.epoch >= 0 ? 'fit sample' : 'diagnose fit'} task does not belong to a ${run.kind} run`;
  return null;
}

class Worker {
  readonly name = processName();
  readonly summary: WorkerSummary = { completed: 0, failed: 0, refused: 0, rejected: 0 };
  private readonly runs = new Map<string, PreparedRun>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly queue: QueueSettings,
    private readonly options: WorkerOptions & { cluster: CheckedClusterOptions },
    private readonly log: (line: string) => void,
  ) {}

  async handle(message: JsMsg): Promise<void> {
    let task: Task;
    try {
      task = checkTask(decodeMessage(message.data));
    } catch (error) {
      this.summary.rejected++;
      this.log(`rejected message ${message.seq} on ${message.subject}: it is not a valid task (${(error as Error).message}); it was not executed`);
      message.term('not a valid agentgrad task');
      return;
    }
    const where = `${describeKey(task)} of run ${task.run.slice(0, 8)}`;
    const early = refusalOf(task, undefined);
    if (early !== null) return this.refuse(message, task, where, early);
    let run: PreparedRun;
    try {
      run = await this.prepare(task.run);
    } catch (error) {
      return this.fail(message, task, where, error as Error);
    }
    const refusal = refusalOf(task, run.description);
    if (refusal !== null) return this.refuse(message, task, where, refusal);

    const heartbeat = setInterval(() => message.working(), Math.max(50, Math.floor(this.queue.ackWaitMs / 3)));
    let value: unknown;
    try {
      value = await this.compute(task, run);
    } catch (error) {
      clearInterval(heartbeat);
      if ((error as Error).name === 'AbortError') {
        message.nak();
        throw error;
      }
      return this.fail(message, task, where, error as Error);
    }
    clearInterval(heartbeat);
    const result: SuccessResult = { ok: true, run: task.run, epoch: task.epoch, index: task.index, task: taskDigest(task), worker: this.name, value };
    await this.publishResult(message, task, result);
    message.ack();
    this.summary.completed++;
  }

  private async compute(task: Task, run: PreparedRun): Promise<unknown> {
    if (run.fit) {
      const [statistic] = await sampleStatistics(run.fit, [task.u!], task.index, task.epoch, this.options.signal);
      return statistic;
    }
    const outcome = await runOneFit(run.diagnose!, task.index, this.options.signal);
    return outcome;
  }

  private async prepare(name: string): Promise<PreparedRun> {
    const cached = this.runs.get(name);
    if (cached) return cached;
    const jsm = await jetstreamManager(this.nc);
    const stored = await jsm.streams.getMessage(streams.runs, { last_by_subj: subjects.run(name) });
    if (stored === null) throw new Error(`run ${name.slice(0, 8)} has no description in ${streams.runs} (expired, or never published)`);
    const description = decodeMessage(stored.data) as RunDescription;
    const local = { ...(this.options.backend ? { backend: this.options.backend } : {}), ...(this.options.threads ? { threads: this.options.threads } : {}) };
    const prepared: PreparedRun = description.kind === 'fit'
      ? { description, fit: sampleSetupOf(description, local) }
      : description.kind === 'diagnose'
        ? { description, diagnose: diagnoseRecipeOf(description, local) }
        : (() => { throw new TypeError('the run description is neither a fit nor a diagnose run'); })();
    if (this.runs.size >= 16) this.runs.delete(this.runs.keys().next().value!);
    this.runs.set(name, prepared);
    return prepared;
  }

  // The message id names the task message (its stream sequence): the server drops a second result
  // for a redelivered message, but not the result of a task published anew (docs/cluster.md).
  private async publishResult(message: JsMsg, task: Task, result: SuccessResult | FailureResult): Promise<void> {
    const msgID = `${task.run}.${keyText(task)}.${result.task}.${message.seq}.${result.ok ? 'ok' : 'failed'}`;
    await this.js.publish(subjects.result(task.run, task), encodeMessage(result), { msgID });
  }

  private notice(task: Task, text: string): void {
    this.nc.publish(subjects.notices(task.run), encodeMessage({ worker: this.name, text }));
  }

  private async refuse(message: JsMsg, task: Task, where: string, reason: string): Promise<void> {
    this.summary.refused++;
    this.log(`refused ${where}: ${reason}`);
    await this.giveUpOrRequeue(message, task, where, `refused by worker ${this.name}: ${reason}`, 1000);
  }

  private async fail(message: JsMsg, task: Task, where: string, error: Error): Promise<void> {
    this.summary.failed++;
    const text = redact(error.message, this.options.cluster);
    this.log(`${where} failed (delivery ${message.info.deliveryCount} of ${this.queue.maxDeliveries}): ${text}`);
    await this.giveUpOrRequeue(message, task, where, `failed on worker ${this.name}: ${text}`, 250 * message.info.deliveryCount);
  }

  // Before the last delivery the task goes back to the queue, for this or another worker; on the
  // last, the coordinator is told, so the run fails with the reason instead of waiting forever.
  private async giveUpOrRequeue(message: JsMsg, task: Task, where: string, reason: string, delayMs: number): Promise<void> {
    const deliveries = message.info.deliveryCount;
    if (deliveries < this.queue.maxDeliveries) {
      this.notice(task, `${where} ${reason} (delivery ${deliveries} of ${this.queue.maxDeliveries}; it goes back to the queue)`);
      message.nak(delayMs);
      return;
    }
    const failure: FailureResult = { ok: false, run: task.run, epoch: task.epoch, index: task.index, task: taskDigest(task), worker: this.name, error: reason, deliveries };
    await this.publishResult(message, task, failure);
    message.term(reason.slice(0, 200));
  }
}

// A login that may not create the streams (docs/cluster.md, Security) waits for a coordinator to.
async function waitForQueues(jsm: JetStreamManager, cluster: CheckedClusterOptions, log: (line: string) => void, signal?: AbortSignal): Promise<QueueSettings | undefined> {
  let told = false;
  while (!signal?.aborted) {
    try {
      return await ensureQueues(jsm, { ackWaitMs: cluster.ackWait, maxDeliveries: cluster.maxDeliveries });
    } catch (error) {
      if (!/permission/i.test((error as Error).message)) throw error;
      if (!told) log(`the work queue does not exist yet and this login may not create it; waiting for a coordinator to (${redact((error as Error).message, cluster)})`);
      told = true;
      await sleep(1000);
    }
  }
  return undefined;
}

/**
 * Runs a worker until `signal` aborts: connects, creates the work queue if it is missing, and
 * computes tasks one at a time. Resolves with what it did.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerSummary> {
  const cluster = checkClusterOptions(options.cluster);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const nc = await connectCluster(cluster, 'worker');
  try {
    const jsm = await jetstreamManager(nc);
    const queue = await waitForQueues(jsm, cluster, log, options.signal);
    if (queue === undefined) return { completed: 0, failed: 0, refused: 0, rejected: 0 };
    const js = jetstream(nc);
    const consumer = await js.consumers.get(streams.tasks, WORKER_CONSUMER);
    const worker = new Worker(nc, js, queue, { ...options, cluster }, log);
    log(
      `agentgrad ${agentgradVersion} worker ${worker.name} taking tasks from ${publicUrl(cluster.url)} ` +
        `(${options.threads ? `${options.threads} thread${options.threads === 1 ? '' : 's'}` : 'all cores'}, backend ${options.backend ?? 'auto'}; ack wait ${queue.ackWaitMs} ms, ${queue.maxDeliveries} deliveries)`,
    );
    while (!options.signal?.aborted) {
      let message: JsMsg | null;
      try {
        message = await consumer.next({ expires: 1000 });
      } catch (error) {
        if (options.signal?.aborted || nc.isClosed()) break;
        log(`waiting for the server: ${redact((error as Error).message, cluster)}`);
        await sleep(1000);
        continue;
      }
      if (message === null) continue;
      try {
        await worker.handle(message);
      } catch (error) {
        if ((error as Error).name === 'AbortError') break;
        log(`could not finish a task: ${redact((error as Error).message, cluster)}`);
      }
    }
    const s = worker.summary;
    log(`worker ${worker.name} stopped: ${s.completed} tasks completed, ${s.failed} failed, ${s.refused} refused, ${s.rejected} malformed messages rejected`);
    return s;
  } finally {
    await nc.drain().catch(() => nc.close());
  }
}

