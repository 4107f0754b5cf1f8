import { parseArgs } from 'node:util';

import { backendInfo } from '../backend.js';
import { configureModel, modelNames, type Model } from '../models/model.js';
import { resolveModelFlag } from './model-flag.js';

function modelLine(label: string, model: Model): string {
  const parameters = model.parameters.map((p) => `${p.name} (${p.constraint}, reference ${p.reference})`).join(', ');
  const settings = Object.entries(model.settings).map(([k, v]) => `${k}=${v}`).join(', ');
  return `  ${label}: parameters ${parameters}; settings ${settings}; outputs ${model.outputs.join(', ')}`;
}

/** `agentgrad info [--model FILE]`: the backends and the built-in models, or the model a module defines. */
export async function infoCommand(argv: string[]): Promise<string> {
  const { values } = parseArgs({ args: argv, strict: true, options: { model: { type: 'string' } } });
  if (values.model === undefined) return infoText();
  const model = (await resolveModelFlag(values.model)).make({});
  return `model ${model.name}${model.program ? ` (defineModel, ${model.program.init.length / 5 + model.program.step.length / 5} instructions)` : ''}:\n${modelLine(model.name, model)}`;
}

function devicesVisible(count: number): string {
  return count === 1 ? '1 device visible' : `${count} devices visible (simulate's devices: 'all' uses every one)`;
}

export function infoText(): string {
  const info = backendInfo();
  const lines = [
    `agentgrad backends: ${info.backends.join(', ')} (default: ${info.defaultBackend})`,
    `  cpu: ${info.cpu.threads} threads, ${info.cpu.instructionSet} kernels (built: ${info.cpu.instructionSets.join(', ')}${info.cpu.portable ? '' : ', for this processor'})`,
    info.cuda.available
      ? `  cuda: ${devicesVisible(info.cuda.deviceCount)}; device 0: ${info.cuda.device} (compute ${info.cuda.computeCapability}, ${(info.cuda.totalMemory / 2 ** 30).toFixed(1)} GiB)`
      : `  cuda: unavailable — ${info.cuda.reason}`,
    `tangent buckets: ${info.tangentBuckets.join(', ')}`,
    'models:',
  ];
  for (const name of modelNames()) lines.push(modelLine(name, configureModel(name, {})));
  return lines.join('\n');
}
