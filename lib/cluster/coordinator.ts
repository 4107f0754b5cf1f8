// The coordinator's side of a run: publishes the run's description and its tasks, and gathers the
// results from the results stream, keyed by (run, epoch, sample). The first result for a key wins
// and duplicates are dropped; results already in the stream (from before a restart) count.
import { setTimeout as sleep } from 'node:timers/promises';

import { DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';

import { abortError } from '../errors.js';
import { decodeMessage, encodeMessage } from './codec.js';
import { connectCluster, publicUrl, redact, type CheckedClusterOptions } from './options.js';
import { asResult, describeKey, keyText, newTask, runName, streams, subjects, taskDigest, WORKER_CONSUMER, type Result, type Task, type TaskKey } from './protocol.js';
import { ensureQueues, type QueueSettings } from './queues.js';
import { programDigest, type RunDescription } from './runs.js';

export interface ClusterTask {
  key: TaskKey;
  u: Float64Array | null;
}

/** Results that arrived or were replayed, by key text, then by the digest of the task they answer. */
type Inbox = Map<string, Map<string, Result>>;

interface Waiter {
  digests: Map<string, number>;
  values: unknown[];
  missing: number;
  onValue: ((slot: number, value: unknown) => void) | undefined;
  resolve: (values: unknown[]) => void;
  reject: (error: Error) => void;
}

const NO_WORKER_NOTICE_MS = 20_000;
const LOST_RESULT_GRACE_MS = 2_000;

export class ClusterRun {
  private readonly inbox: Inbox = new Map();
  private waiter: Waiter | undefined;
  private readonly sequences = new Map<number, TaskKey>();
  private lastResultAt = Date.now();
  private closed = false;
  private stopResults: () => void = () => undefined;

  private constructor(
    readonly name: string,
    private readonly program: string | null,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly queue: QueueSettings,
    private readonly options: CheckedClusterOptions,
    private readonly subscriptions: Subscription[],
  ) {}

  /** Connects, creates the streams if missing, publishes the description and starts gathering results. */
  static async open(options: CheckedClusterOptions, description: RunDescription): Promise<ClusterRun> {
    const bytes = encodeMessage(description);
    const name = runName(bytes);
    const nc = await connectCluster(options, 'coordinator');
    try {
      const jsm = await jetstreamManager(nc);
      const queue = await ensureQueues(jsm, { ackWaitMs: options.ackWait, maxDeliveries: options.maxDeliveries });
      const js = jetstream(nc);
      await publishDescription(js, name, bytes, nc.info?.max_payload);
      const run = new ClusterRun(name, programDigest(description.model), nc, js, jsm, queue, options, []);
      await run.listen();
      return run;
    } catch (error) {
      await nc.close();
      // No `cause`: the original message may hold a secret, and inspecting an error shows its cause.
      throw new Error(`cluster at ${publicUrl(options.url)}: ${redact((error as Error).message, options)}`);
    }
  }

  private async listen(): Promise<void> {
    this.subscriptions.push(
      this.nc.subscribe(subjects.notices(this.name), {
        callback: (_error, message) => {
          const notice = safeDecode(message.data) as { worker?: unknown; text?: unknown } | undefined;
          if (typeof notice?.text === 'string') this.options.onNotice(`worker ${String(notice.worker)}: ${notice.text}`);
        },
      }),
      this.nc.subscribe(subjects.maxDeliveries, { callback: (_error, message) => this.onMaxDeliveries(message.data) }),
    );
    const consumer = await this.js.consumers.get(streams.results, { filter_subjects: subjects.results(this.name), deliver_policy: DeliverPolicy.All });
    const messages = await consumer.consume();
    void (async () => {
      for await (const message of messages) {
        const result = asResult(safeDecode(message.data));
        if (result !== undefined && result.run === this.name) this.accept(result);
      }
    })().catch((error: unknown) => {
      if (!this.closed) this.waiter?.reject(new Error(`lost the results stream: ${redact((error as Error).message, this.options)}`));
    });
    this.stopResults = () => void messages.stop();
  }

  private accept(result: Result): void {
    this.lastResultAt = Date.now();
    const key = keyText(result);
    const byDigest = this.inbox.get(key) ?? new Map<string, Result>();
    this.inbox.set(key, byDigest);
    if (byDigest.has(result.task)) return;  // a duplicate: the first result wins
    byDigest.set(result.task, result);
    this.settle(key, result.task);
  }

  private settle(key: string, digest: string): void {
    const waiter = this.waiter;
    const slot = waiter?.digests.get(`${key}/${digest}`);
    if (waiter === undefined || slot === undefined || waiter.values[slot] !== undefined) return;
    const result = this.inbox.get(key)!.get(digest)!;
    if (!result.ok) {
      return waiter.reject(new Error(`cluster: ${describeKey(result)} failed on all ${result.deliveries} deliveries; the last: ${result.error}`));
    }
    waiter.values[slot] = result.value === undefined ? null : result.value;
    waiter.missing--;
    try {
      waiter.onValue?.(slot, waiter.values[slot]);
    } catch (error) {
      return waiter.reject(error as Error);
    }
    if (waiter.missing === 0) waiter.resolve(waiter.values);
  }

  private onMaxDeliveries(data: Uint8Array): void {
    const advisory = safeDecode(data) as { stream_seq?: unknown; deliveries?: unknown } | undefined;
    const key = typeof advisory?.stream_seq === 'number' ? this.sequences.get(advisory.stream_seq) : undefined;
    if (key === undefined || this.waiter === undefined) return;
    const waiter = this.waiter;
    // A worker that fails a task on its last delivery publishes why; give that a moment to arrive.
    setTimeout(() => {
      if (this.waiter !== waiter) return;
      const pending = [...waiter.digests].some(([slotKey, slot]) => slotKey.startsWith(`${keyText(key)}/`) && waiter.values[slot] === undefined);
      if (!pending) return;
      waiter.reject(new Error(
        `cluster: ${describeKey(key)} was delivered ${String(advisory!.deliveries)} time${advisory!.deliveries === 1 ? '' : 's'} without a result: the workers that took it ` +
          `died or missed their heartbeats each time (ack wait ${this.queue.ackWaitMs} ms); see the workers' logs`,
      ));
    }, 500);
  }

  /**
   * Publishes the tasks and resolves with their results' values, in task order; `onValue` hears of
   * each as it arrives.
   */
  async runTasks(tasks: readonly ClusterTask[], signal?: AbortSignal, onValue?: (slot: number, value: unknown) => void): Promise<unknown[]> {
    if (signal?.aborted) throw abortError();
    const prepared = tasks.map(({ key, u }) => {
      const task = newTask(this.name, this.program, key, u);
      return { key, task, digest: taskDigest(task) };
    });
    const done = new Promise<unknown[]>((resolve, reject) => {
      this.waiter = {
        digests: new Map(prepared.map(({ key, digest }, slot) => [`${keyText(key)}/${digest}`, slot])),
        values: new Array<unknown>(tasks.length),
        missing: tasks.length,
        onValue,
        resolve,
        reject,
      };
    });
    // Results already in the stream (a restarted coordinator) settle their slots at once.
    for (const { key, digest } of prepared) if (this.inbox.get(keyText(key))?.has(digest)) this.settle(keyText(key), digest);
    const watchdog = this.watchWorkers();
    const onAbort = () => this.waiter?.reject(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const unanswered = prepared.filter(({ key, digest }) => !this.inbox.get(keyText(key))?.has(digest));
      await Promise.all(unanswered.map(async ({ key, task, digest }) => {
        const ack = await this.js.publish(subjects.tasks(this.name), encodeMessage(task), { msgID: `${this.name}.${keyText(key)}.${digest}` });
        this.sequences.set(ack.seq, key);
        if (ack.duplicate) void this.republishIfLost(key, task, digest, ack.seq);
      }));
      return await done;
    } catch (error) {
      if ((error as Error).name === 'AbortError') await this.withdrawTasks();
      throw error;
    } finally {
      clearInterval(watchdog);
      signal?.removeEventListener('abort', onAbort);
      this.waiter = undefined;
      this.sequences.clear();
      for (const { key } of prepared) this.inbox.delete(keyText(key));
    }
  }

  // A task published again within the duplicate window (a restarted coordinator) is dropped by the
  // server as a duplicate. That is right while the first copy waits in the queue or its result is in
  // the stream; if neither (the results were purged), the task is published once more, under a new id.
  private async republishIfLost(key: TaskKey, task: Task, digest: string, sequence: number): Promise<void> {
    const waiter = this.waiter;
    const answered = () => this.waiter !== waiter || this.inbox.get(keyText(key))?.has(digest) === true;
    await sleep(LOST_RESULT_GRACE_MS);
    if (answered()) return;
    const queued = await this.jsm.streams.getMessage(streams.tasks, { seq: sequence }).then((m) => m !== null, () => false);
    if (queued || answered()) return;
    const ack = await this.js.publish(subjects.tasks(this.name), encodeMessage(task), { msgID: `${this.name}.${keyText(key)}.${digest}.${Date.now()}` });
    this.sequences.set(ack.seq, key);
  }

  // Tasks waiting while no worker holds any: no worker is running (long tasks in progress are not that).
  private watchWorkers(): NodeJS.Timeout {
    this.lastResultAt = Date.now();
    let told = false;
    let asking = false;
    const timer = setInterval(() => {
      if (told || asking || Date.now() - this.lastResultAt < NO_WORKER_NOTICE_MS) return;
      asking = true;
      this.jsm.consumers.info(streams.tasks, WORKER_CONSUMER).then(
        (info) => {
          asking = false;
          if (told || info.num_ack_pending > 0 || info.num_pending === 0) return;
          told = true;
          this.options.onNotice(
            `no worker has taken a task for ${Math.round((Date.now() - this.lastResultAt) / 1000)} s; ${info.num_pending} wait in the queue: start workers with ` +
              `'agentgrad worker --cluster ${publicUrl(this.options.url)}'`,
          );
        },
        () => (asking = false),
      );
    }, 1000);
    timer.unref();
    return timer;
  }

  /** Removes this run's waiting tasks from the queue (after an abort). */
  private async withdrawTasks(): Promise<void> {
    await this.jsm.streams.purge(streams.tasks, { filter: subjects.tasks(this.name) }).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.stopResults();
    await this.nc.drain().catch(() => this.nc.close());
  }
}

function safeDecode(data: Uint8Array): unknown {
  try {
    return decodeMessage(data);
  } catch {
    return undefined;
  }
}

async function publishDescription(js: JetStreamClient, name: string, bytes: Uint8Array, maxPayload: number | undefined): Promise<void> {
  if (maxPayload !== undefined && bytes.length > maxPayload) {
    throw new RangeError(
      `the run's description (model, loss and observed data) is ${bytes.length} bytes, over the server's max_payload of ${maxPayload}; ` +
        'raise max_payload in the nats-server configuration',
    );
  }
  await js.publish(subjects.run(name), bytes, { msgID: name });
}
