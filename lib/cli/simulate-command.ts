import { parseArgs } from 'node:util';

import { simulate } from '../simulate.js';
import { choiceFlag, integerFlag, numberFlag, parameterFlags, UsageError } from './args.js';
import { resolveModelFlag } from './model-flag.js';
import { formatOf, writeSimulation } from './write-table.js';

export const simulateUsage = `agentgrad simulate [options]
  --model NAME|FILE     model to run (default volatility; see 'agentgrad info'), or a .js module
                        whose default export is a defineModel factory
  --agents N --steps T  model size (model defaults otherwise)
  --param name=value    parameter value, repeatable (reference values otherwise)
  --replicates R        replicates (default 4)
  --seed S              RNG seed (default 1)
  --tangents LIST       comma-separated parameter names, or 'all'
  --mode MODE           exact | relaxed | straight-through | smoothed | score (default straight-through)
  --tau X --sharpness K temperature of Bernoulli relaxations, sharpness of threshold surrogates
  --dtype D             float32 | float64
  --backend B           auto | cpu | cuda
  --threads N           CPU threads (default all cores)
  --out FILE            .csv or .json (default sim.csv)`;

export async function simulateCommand(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      model: { type: 'string', default: 'volatility' },
      agents: { type: 'string' },
      steps: { type: 'string' },
      param: { type: 'string', multiple: true },
      replicates: { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
      tangents: { type: 'string' },
      mode: { type: 'string' },
      tau: { type: 'string' },
      sharpness: { type: 'string' },
      dtype: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      out: { type: 'string', default: 'sim.csv' },
    },
  });
  const chosen = await resolveModelFlag(values.model!);
  const size: Record<string, number> = {};
  const agents = integerFlag('agents', values.agents);
  const steps = integerFlag('steps', values.steps);
  if (agents !== undefined) size['agents'] = agents;
  if (steps !== undefined) size['steps'] = steps;
  const model = chosen.make(size);
  const out = values.out!;
  if (formatOf(out) === undefined) throw new UsageError(`--out must end in .csv or .json, got '${out}'`);

  const theta = { ...model.reference, ...parameterFlags(values.param) };
  const tangents = values.tangents === 'all' ? true : values.tangents?.split(',').map((s) => s.trim()).filter(Boolean);
  const sim = await simulate(model, theta, {
    replicates: integerFlag('replicates', values.replicates),
    seed: integerFlag('seed', values.seed),
    tangents,
    discrete: {
      mode: choiceFlag('mode', values.mode, ['exact', 'relaxed', 'straight-through', 'smoothed', 'score'] as const),
      tau: numberFlag('tau', values.tau),
      sharpness: numberFlag('sharpness', values.sharpness),
    },
    dtype: choiceFlag('dtype', values.dtype, ['float32', 'float64'] as const),
    backend: choiceFlag('backend', values.backend, ['auto', 'cpu', 'cuda'] as const),
    threads: integerFlag('threads', values.threads),
  });
  await writeSimulation(out, sim, { model: model.name, settings: model.settings, theta });
  return `wrote ${out}: ${model.name}, ${sim.shape.replicates} replicates × ${sim.shape.times} times × ` +
    `${sim.shape.outputs} output(s)${sim.shape.tangents ? ` with tangents for ${sim.tangentNames.join(', ')}` : ''} on ${sim.backend}`;
}
