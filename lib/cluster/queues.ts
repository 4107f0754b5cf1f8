// The streams and the workers' consumer, created on first use by whichever process comes first
// (coordinator or worker) and left as they are afterwards.
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

import { streams, WORKER_CONSUMER } from './protocol.js';

const DAY_MS = 24 * 3600 * 1000;
const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

const streamConfigs: Array<Partial<StreamConfig> & { name: string }> = [
  // Tasks wait at most a day; a duplicate (a restarted coordinator publishing again) is dropped.
  { name: streams.tasks, subjects: ['agentgrad.tasks.>'], retention: RetentionPolicy.Workqueue, max_age: nanos(DAY_MS), duplicate_window: nanos(DUPLICATE_WINDOW_MS) },
  { name: streams.runs, subjects: ['agentgrad.runs.>'], max_msgs_per_subject: 1, max_age: nanos(7 * DAY_MS), duplicate_window: nanos(DUPLICATE_WINDOW_MS) },
  { name: streams.results, subjects: ['agentgrad.results.>'], max_age: nanos(7 * DAY_MS), duplicate_window: nanos(DUPLICATE_WINDOW_MS) },
];

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
  } catch (error) {
    if ((error as { code?: number }).code !== 10059 && !/stream not found/i.test((error as Error).message)) throw error;
    try {
      await jsm.streams.add({ storage: StorageType.File, ...config });
    } catch (raced) {
      // Another process created it in between.
      if (!/already in use/i.test((raced as Error).message)) throw raced;
    }
  }
}

export interface QueueSettings {
  ackWaitMs: number;
  maxDeliveries: number;
}

/** Creates what is missing and returns the delivery settings of the work queue actually in force. */
export async function ensureQueues(jsm: JetStreamManager, wanted: QueueSettings): Promise<QueueSettings> {
  for (const config of streamConfigs) await ensureStream(jsm, config);
  let info;
  try {
    info = await jsm.consumers.info(streams.tasks, WORKER_CONSUMER);
  } catch (error) {
    if ((error as { code?: number }).code !== 10014 && !/consumer not found/i.test((error as Error).message)) throw error;
    info = await jsm.consumers.add(streams.tasks, {
      durable_name: WORKER_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(wanted.ackWaitMs),
      max_deliver: wanted.maxDeliveries,
      max_ack_pending: 100_000,
    });
  }
  return { ackWaitMs: Math.round((info.config.ack_wait ?? nanos(wanted.ackWaitMs)) / 1e6), maxDeliveries: info.config.max_deliver ?? wanted.maxDeliveries };
}
