export { runWorker, type WorkerOptions, type WorkerSummary } from './worker.js';
export type { ClusterOptions, ClusterTls } from './options.js';
