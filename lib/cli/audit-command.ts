// `agentgrad audit`: every gradient estimator of a model against an unbiased reference; prints the
// table and writes audit.json, audit.csv and audit.html.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { stringify } from 'csv-stringify/sync';

import { audit } from '../audit/audit.js';
import { auditPathwiseModes, auditEstimators } from '../audit/settings.js';
import { auditRecordColumns, auditRecords, formatAuditTable } from '../audit/table.js';
import type { AuditResult } from '../audit/types.js';
import type { Estimator } from '../gradient.js';
import { energyDistance, logMse, mmd, mse } from '../losses/index.js';
import { renderAuditReport } from '../report/auditReport.js';
import { choiceFlag, integerFlag, numberFlag, parameterFlags, UsageError } from './args.js';
import { resolveModelFlag } from './model-flag.js';
import { sizedModel, syntheticData } from './model-setup.js';
import { progressReporter } from './progress.js';
import { readObserved } from './read-data.js';

export const auditUsage = `agentgrad audit [options]          (no options: the volatility model on synthetic data)
  --model NAME|FILE     model to audit (default volatility), or a .js module exporting a defineModel factory
  --param name=value    the point of the audit, repeatable (default: where fit starts, the prior
                        median: 1 for positive, 0.5 for unit, 0 for real parameters)
  --data FILE           observed series of the loss, .csv or .json (default: synthetic data at the truth)
  --truth name=value    the truth of synthetic data, repeatable (default: reference values)
  --parameters LIST     comma-separated parameters to audit (default all; sir and networkSir: beta,gamma)
  --agents N --steps T  model size
  --loss NAME           mmd | energyDistance | mse | logMse (default mmd; sir and networkSir logMse)
  --replicates N        replicates per setting (default 256)
  --reference-replicates N  replicates of the finite-difference reference (default 4 x replicates)
  --taus LIST           temperatures of relaxed and straight-through (default 0.05,0.1,0.25,0.5,1)
  --estimators LIST     pathwise,score,finite-difference (default all that apply)
  --modes LIST          relaxed,straight-through,smoothed (default all)
  --significance Z      |z| above which a bias is significant (default 3)
  --seed S              seed of the audit (default 1); --data-seed S for synthetic data (default 12345)
  --sharpness K --dtype D --backend B --threads N
  --out DIR             output directory (default agentgrad-audit): audit.json, audit.csv, audit.html`;

// As `agentgrad fit`: the epidemic models are audited on the trajectory itself, with I0 held.
const modelDefaults: Record<string, { parameters?: string; loss?: string }> = {
  sir: { parameters: 'beta,gamma', loss: 'logMse' },
  networkSir: { parameters: 'beta,gamma', loss: 'logMse' },
};

/** The prior medians of `agentgrad fit`'s default priors, by constraint. */
const fitStart = { positive: 1, unit: 0.5, real: 0 } as const;

function listFlag(flag: string, text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${flag} must be a comma-separated list, got '${text}'`);
  return items;
}

function choicesFlag<T extends string>(flag: string, text: string | undefined, choices: readonly T[]): T[] | undefined {
  return listFlag(flag, text)?.map((item) => choiceFlag(flag, item, choices)!);
}


export async function auditCommand(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      model: { type: 'string', default: 'volatility' },
      param: { type: 'string', multiple: true },
      data: { type: 'string' },
      truth: { type: 'string', multiple: true },
      parameters: { type: 'string' },
      agents: { type: 'string' },
      steps: { type: 'string' },
      loss: { type: 'string' },
      replicates: { type: 'string', default: '256' },
      'reference-replicates': { type: 'string' },
      taus: { type: 'string' },
      estimators: { type: 'string' },
      modes: { type: 'string' },
      significance: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'data-seed': { type: 'string', default: '12345' },
      sharpness: { type: 'string' },
      dtype: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      out: { type: 'string', default: 'agentgrad-audit' },
    },
  });
  const chosen = await resolveModelFlag(values.model!);
  const recommended = (chosen.builtIn && modelDefaults[chosen.builtIn]) || {};
  const lossName = choiceFlag('loss', values.loss ?? recommended.loss ?? 'mmd', ['mmd', 'energyDistance', 'mse', 'logMse'] as const)!;
  const base = chosen.make({});
  const observedFromFile = values.data === undefined ? undefined : await readObserved(values.data, base.outputs);
  const model = sizedModel(chosen, values, observedFromFile?.length);
  if (observedFromFile && values.truth) throw new UsageError('--truth is for synthetic data: leave it out with --data');
  const truth = { ...model.reference, ...parameterFlags(values.truth) };
  const audited = listFlag('parameters', values.parameters ?? recommended.parameters);
  // By default the audit runs where `agentgrad fit` starts, the prior median of each audited
  // parameter (logNormal(0, 1), uniform(0, 1), normal(0, 1)): away from the truth, where the
  // gradient of the loss is not near zero and a relative bias can be measured.
  const start = Object.fromEntries(
    model.parameters.filter((p) => audited === undefined || audited.includes(p.name)).map((p) => [p.name, fitStart[p.constraint]]),
  );
  const theta = { ...truth, ...start, ...parameterFlags(values.param) };
  const dataSeed = integerFlag('data-seed', values['data-seed'])!;
  const observed = observedFromFile ?? (await syntheticData(model, truth, dataSeed));
  const loss = { mmd, energyDistance, mse, logMse }[lossName](observed);
  const referenceReplicates = integerFlag('reference-replicates', values['reference-replicates']);

  const outDir = values.out!;
  await mkdir(outDir, { recursive: true });
  const progress = progressReporter('audit', { every: 1 });
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  let result: AuditResult;
  try {
    result = await audit(model, theta, {
      loss,
      parameters: audited,
      replicates: integerFlag('replicates', values.replicates),
      ...(referenceReplicates === undefined ? {} : { reference: { replicates: referenceReplicates } }),
      taus: listFlag('taus', values.taus)?.map((tau) => numberFlag('taus', tau)!),
      estimators: choicesFlag<Estimator>('estimators', values.estimators, auditEstimators),
      modes: choicesFlag('modes', values.modes, auditPathwiseModes),
      significance: numberFlag('significance', values.significance),
      seed: integerFlag('seed', values.seed),
      sharpness: numberFlag('sharpness', values.sharpness),
      dtype: choiceFlag('dtype', values.dtype, ['float32', 'float64'] as const),
      backend: choiceFlag('backend', values.backend, ['auto', 'cpu', 'cuda'] as const),
      threads: integerFlag('threads', values.threads),
      signal: controller.signal,
      onProgress: (p) => progress.update(p.done, p.total, `${p.phase === 'setting' ? '' : `${p.phase} `}${p.label === p.phase ? '' : p.label} (${p.seconds.toFixed(2)} s)`.trim()),
    });
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
  }

  const modelLine = `${model.name} (${Object.entries(model.settings).map(([k, v]) => `${k} ${v}`).join(', ')})`;
  const dataLine = values.data ?? `synthetic, seed ${dataSeed}, truth ${Object.entries(truth).map(([k, v]) => `${k} = ${v}`).join(', ')}`;
  const json = { ...result, settings: model.settings, data: dataLine };
  await writeFile(join(outDir, 'audit.json'), JSON.stringify(json, null, 2) + '\n');
  await writeFile(join(outDir, 'audit.csv'), stringify(auditRecords(result), { header: true, columns: [...auditRecordColumns], cast: { boolean: (b) => String(b) } }));
  await writeFile(join(outDir, 'audit.html'), await renderAuditReport(result, `agentgrad audit — ${model.name}`, [['model', modelLine], ['data', dataLine]]));
  return [
    `audit of ${modelLine} at ${Object.entries(theta).map(([k, v]) => `${k} = ${v}`).join(', ')}; loss ${result.loss}; ${result.seconds.toFixed(1)} s`,
    '',
    formatAuditTable(result),
    '',
    `wrote ${join(outDir, 'audit.json')}, audit.csv, audit.html`,
  ].join('\n');
}
