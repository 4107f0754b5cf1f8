import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { stringify } from 'csv-stringify/sync';

import { diagnose, type DiagnoseResult } from '../diagnose/index.js';
import { verdictOf } from '../report/diagnoseReport.js';
import { choiceFlag, integerFlag, numberFlag, parameterFlags } from './args.js';
import { resolveModelFlag } from './model-flag.js';
import { commandLinePriors, sizedModel } from './model-setup.js';
import { clusterFlags, clusterFlagUsage, clusterFromFlags } from './cluster-flags.js';
import { progressReporter } from './progress.js';

export const diagnoseUsage = `agentgrad diagnose [options]       (no options: 100 fits of the volatility model's sigmaEps, eta)
  --model NAME|FILE     model whose fit recipe is checked (default volatility), or a defineModel module
  --parameters LIST     parameters drawn from the prior and calibrated (default volatility: sigmaEps,eta;
                        else all); the others stay at --param values or the reference
  --param name=value    value of a parameter that is not calibrated, repeatable
  --agents N --steps T  model size
  --simulations N       prior draws, each simulated and fitted (default 100)
  --draws L             posterior draws the truth is ranked among (default 999)
  --epochs N --samples N --lr X --weight W --loss NAME --family NAME --mode MODE --tau X
                        the fit recipe under test (defaults: 200 epochs, 10 samples, lr 0.05, the
                        data-derived weight, mmd, full-rank-gaussian, straight-through at tau 0.1)
  --seed S              seed (default 1)
  --concurrency N       fits at once (default: every core, one thread each)
  --out DIR             output directory (default agentgrad-diagnose): diagnose.json, fits.csv,
                        report.html, and record.jsonl, from which an interrupted run resumes
${clusterFlagUsage}`;

const modelDefaults: Record<string, string> = { volatility: 'sigmaEps,eta', sir: 'beta,gamma', networkSir: 'beta,gamma' };

export async function diagnoseCommand(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      model: { type: 'string', default: 'volatility' },
      parameters: { type: 'string' },
      param: { type: 'string', multiple: true },
      agents: { type: 'string' },
      steps: { type: 'string' },
      simulations: { type: 'string', default: '100' },
      draws: { type: 'string', default: '999' },
      epochs: { type: 'string', default: '200' },
      samples: { type: 'string', default: '10' },
      lr: { type: 'string', default: '0.05' },
      weight: { type: 'string' },
      loss: { type: 'string' },
      family: { type: 'string', default: 'full-rank-gaussian' },
      mode: { type: 'string' },
      tau: { type: 'string' },
      seed: { type: 'string', default: '1' },
      concurrency: { type: 'string' },
      out: { type: 'string', default: 'agentgrad-diagnose' },
      ...clusterFlags,
    },
  });
  const cluster = clusterFromFlags(values);
  const chosen = await resolveModelFlag(values.model!);
  const model = sizedModel(chosen, values);
  const free = (values.parameters ?? (chosen.builtIn && modelDefaults[chosen.builtIn]))?.split(',').map((s) => s.trim()).filter(Boolean);
  const loss = choiceFlag('loss', values.loss, ['mmd', 'energyDistance', 'mse', 'logMse'] as const) ?? (chosen.builtIn === 'sir' || chosen.builtIn === 'networkSir' ? 'logMse' : 'mmd');
  const simulations = integerFlag('simulations', values.simulations)!;
  const outDir = values.out!;
  await mkdir(outDir, { recursive: true });

  const progress = progressReporter('diagnose', { unit: 'fit' });
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  let result: DiagnoseResult;
  try {
    result = await diagnose(model, {
      parameters: free,
      fixed: { ...model.reference, ...parameterFlags(values.param) },
      prior: commandLinePriors(model, free),
      fit: {
        loss,
        weight: numberFlag('weight', values.weight),
        family: choiceFlag('family', values.family, ['diagonal-gaussian', 'full-rank-gaussian', 'flow'] as const),
        epochs: integerFlag('epochs', values.epochs),
        samplesPerEpoch: integerFlag('samples', values.samples),
        lr: numberFlag('lr', values.lr),
        discrete: {
          mode: choiceFlag('mode', values.mode, ['exact', 'relaxed', 'straight-through', 'smoothed', 'score'] as const),
          tau: numberFlag('tau', values.tau),
        },
      },
      simulations,
      draws: integerFlag('draws', values.draws),
      seed: integerFlag('seed', values.seed),
      concurrency: integerFlag('concurrency', values.concurrency),
      record: join(outDir, 'record.jsonl'),
      report: join(outDir, 'report.html'),
      signal: controller.signal,
      ...(cluster ? { cluster: { ...cluster, onNotice: (message: string) => progress.log(message) } } : {}),
      onProgress: (p) => progress.update(p.done, p.total, `${((60 * p.done) / Math.max(p.seconds, 1e-9)).toFixed(1)} fits/min`),
    });
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
  }

  const names = Object.keys(result.sbc);
  await writeFile(join(outDir, 'diagnose.json'), JSON.stringify({ model: model.name, settings: model.settings, ...result }, null, 2) + '\n');
  await writeFile(join(outDir, 'fits.csv'), stringify(result.fits.map((f) => ({
    index: f.index,
    ...Object.fromEntries(names.flatMap((n) => [[`${n}_truth`, f.truth[n]], [`${n}_mean`, f.mean[n]], [`${n}_rank`, f.ranks[n]]])),
    weight: f.weight,
    finalLoss: f.finalLoss,
    seconds: f.seconds,
  })), { header: true }));

  const lines = names.map((name) => {
    const summary = { ...result.sbc[name]!, coverage: result.coverage[name]! };
    const at90 = summary.coverage.find((c) => Math.abs(c.level - 0.9) < 1e-9)!;
    return `  ${name.padEnd(10)} uniformity p ${summary.pValue.toPrecision(2).padStart(8)}   90% coverage ${at90.observed.toFixed(2)}   ${verdictOf(summary)}`;
  });
  const head = `${result.aborted ? 'aborted' : 'done'}: ${result.fits.length} fits in ${result.seconds.toFixed(1)} s, wrote ${join(outDir, 'report.html')}, diagnose.json, fits.csv`;
  return [head, ...lines, ...result.failed.map((f) => `  simulation ${f.index} failed: ${f.error}`)].join('\n');
}
