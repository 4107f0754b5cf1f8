import { parseArgs } from 'node:util';

import { measureThroughput } from '../benchmark.js';
import { configureModel, modelNames } from '../models/model.js';
import { choiceFlag, integerFlag } from './args.js';

export const benchUsage = `agentgrad bench [options]
  --replicates R  replicates per run (default 64)
  --agents N      agents (default 1000)
  --steps T       steps (default 100)
  --backend B     auto | cpu | cuda`;

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
  const lines = ['| model | tangents | agent-steps/s | ns/agent-step | backend |', '|---|---|---|---|---|'];
  for (const name of modelNames()) {
    const model = configureModel(name, { agents: integerFlag('agents', values.agents), steps: integerFlag('steps', values.steps) });
    for (const tangents of [[], model.parameters.map((p) => p.name)]) {
      const result = await measureThroughput({
        model,
        theta: { ...model.reference },
        options: { replicates, seed: 1, tangents, backend, discrete: { mode: 'straight-through' } },
      });
      lines.push(`| ${name} | ${tangents.length} | ${result.agentStepsPerSecond.toExponential(2)} | ${result.nsPerAgentStep.toFixed(2)} | ${result.backend} |`);
    }
  }
  return lines.join('\n');
}
