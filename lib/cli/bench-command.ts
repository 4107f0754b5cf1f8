import { parseArgs } from 'node:util';

import { measureThroughput } from '../benchmark.js';
import { configureModel, modelInfo, modelNames } from '../models/model.js';
import { choiceFlag, integerFlag } from './args.js';

export const benchUsage = `agentgrad bench [options]
  --replicates R  replicates per run (default 64)
  --agents N      agents (default 1000; a model with a fixed number keeps it: brockHommes' 4 trader types)
  --steps T       steps (default 100)
  --backend B     auto | cpu | cuda`;

function hasFixedAgents(name: string): boolean {
  const setting = modelInfo(name).settings.find((s) => s.name === 'agents');
  return setting !== undefined && setting.min === setting.max;
}

/** Agent-step throughput of every model without tangents and with all of them, on this machine. */
export async function benchCommand(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      replicates: { type: 'string', default: '64' },
      agents: { type: 'string', default: '1000' },
      steps: { type: 'string', default: '100' },
      backend: { type: 'string', default: 'auto' },
    },
  });
  const replicates = integerFlag('replicates', values.replicates)!;
  const backend = choiceFlag('backend', values.backend, ['auto', 'cpu', 'cuda'] as const)!;
  const agents = integerFlag('agents', values.agents);
  const steps = integerFlag('steps', values.steps);
  const lines = ['| model | agents | tangents | agent-steps/s | ns/agent-step | backend |', '|---|---|---|---|---|---|'];
  for (const name of modelNames()) {
    const model = configureModel(name, hasFixedAgents(name) ? { steps } : { agents, steps });
    for (const tangents of [[], model.parameters.map((p) => p.name)]) {
      const result = await measureThroughput({
        model,
        theta: { ...model.reference },
        options: { replicates, seed: 1, tangents, backend, discrete: { mode: 'straight-through' } },
      });
      lines.push(`| ${name} | ${model.agents} | ${tangents.length} | ${result.agentStepsPerSecond.toExponential(2)} | ${result.nsPerAgentStep.toFixed(2)} | ${result.backend} |`);
    }
  }
  return lines.join('\n');
}
