import { backendInfo } from '../backend.js';
import { configureModel, modelNames } from '../models/model.js';

export function infoText(): string {
  const info = backendInfo();
  const lines = [
    `agentgrad backends: ${info.backends.join(', ')} (default: ${info.defaultBackend})`,
    `  cpu: ${info.cpu.threads} threads, ${info.cpu.instructionSet} kernels (built: ${info.cpu.instructionSets.join(', ')}${info.cpu.portable ? '' : ', for this processor'})`,
    info.cuda.available
      ? `  cuda: ${info.cuda.device} (compute ${info.cuda.computeCapability}, ${(info.cuda.totalMemory / 2 ** 30).toFixed(1)} GiB)`
      : `  cuda: unavailable — ${info.cuda.reason}`,
    `tangent buckets: ${info.tangentBuckets.join(', ')}`,
    'models:',
  ];
  for (const name of modelNames()) {
    const model = configureModel(name, {});
    const parameters = model.parameters.map((p) => `${p.name} (${p.constraint}, reference ${p.reference})`).join(', ');
    const settings = Object.entries(model.settings).map(([k, v]) => `${k}=${v}`).join(', ');
    lines.push(`  ${name}: parameters ${parameters}; settings ${settings}; outputs ${model.outputs.join(', ')}`);
  }
  return lines.join('\n');
}
