// Child process of the memory suite: one simulate() of the volatility model in a fresh Node process,
// then its own peak RSS (peakRss.ts). Usage: node dist/bench/memoryChild.js '{"replicates":8,"agents":1000,
// "steps":1000,"tangents":4,"backend":"cpu"}'. Prints one JSON line.
import { models, simulate } from '../lib/index.js';
import { peakRss } from './peakRss.js';

interface Job {
  replicates: number;
  agents: number;
  steps: number;
  tangents: number;
  backend: 'cpu' | 'cuda' | 'auto';
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const model = models.volatility({ agents: job.agents, steps: job.steps });
const tangents = model.parameters.map((p) => p.name).slice(0, job.tangents);
// Baseline: Node, the addon and the library loaded, before any simulation.
const baselineBytes = peakRss().bytes;
const sim = await simulate(model, model.reference, {
  replicates: job.replicates,
  seed: 1,
  tangents,
  discrete: { mode: 'straight-through' },
  backend: job.backend,
});
const { bytes: peakRssBytes, source: peakRssSource } = peakRss();
const outputBytes = sim.values.byteLength + (sim.tangents?.byteLength ?? 0) + (sim.logProb?.byteLength ?? 0);
process.stdout.write(JSON.stringify({ baselineBytes, peakRssBytes, peakRssSource, outputBytes, backend: sim.backend }) + '\n');
