// `agentgrad fit`: calibrate a model, then write posterior.json, history.csv and report.html.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { stringify } from 'csv-stringify/sync';

import { fit, type FitResult } from '../gvi/fit.js';
import { posteriorPredictive } from '../gvi/predictive.js';
import { checkSetup, checkSimulation, predictiveCheckFlagLevel, type PredictiveCheckOptions } from '../gvi/predictiveCheck.js';
import { priorDraws } from '../gvi/random.js';
import type { Model } from '../models/model.js';
import { renderReport, type ReportInput } from '../report/report.js';
import { choiceFlag, devicesFlag, integerFlag, numberFlag, parameterFlags } from './args.js';
import { clusterFlags, clusterFlagUsage, clusterFromFlags } from './cluster-flags.js';
import { resolveModelFlag } from './model-flag.js';
import { commandLinePriors, sizedModel, syntheticData } from './model-setup.js';
import { progressReporter } from './progress.js';
import { readObserved } from './read-data.js';

export const fitUsage = `agentgrad fit [options]            (no options: the volatility model on synthetic data)
  --model NAME|FILE     model to calibrate (default volatility), or a .js module whose default
                        export is a defineModel factory (FILE#name for a named export)
  --data FILE           observed series, .csv or .json (default: synthetic data simulated at the truth)
  --param name=value    the truth for synthetic data, repeatable (default: reference values)
  --parameters LIST     comma-separated parameters to calibrate (default all; others stay at the truth;
                        sir and networkSir: beta,gamma)
  --agents N --steps T  model size (with --data, steps defaults to the number of rows)
  --epochs N            optimisation epochs (default 300; sir and networkSir 200)
  --samples N           variational samples per epoch (default 10)
  --lr X                Adam learning rate (default 0.05)
  --weight W            w in E[loss] + w KL(q || prior) (default 1/n for n observed points, 2/n
                        for logMse: the loss counts like a log-likelihood sum)
  --loss NAME           mmd | energyDistance | mse | logMse (default mmd; sir and networkSir logMse)
  --family NAME         full-rank-gaussian (default) | diagonal-gaussian | flow
  --mode MODE --tau X   discrete estimator (default straight-through, tau 0.1)
  --seed S              seed of the fit (default 1); --data-seed S for synthetic data (default 12345)
  --backend B --threads N
  --devices all|LIST    CUDA devices to spread each epoch's samples over (default: device 0)
  --out DIR             output directory (default agentgrad-fit)
  --checkpoint-every N  write DIR/checkpoint.json every N epochs (default 10)
  --resume              continue from DIR/checkpoint.json (with --cluster: also the results in the stream)
${clusterFlagUsage}`;

/** The report of a fit: loss curve, marginals, predictive band, predictive checks and posterior table. */
export async function buildReport(
  model: Model,
  observed: number[][],
  truth: Record<string, number> | undefined,
  result: FitResult,
  weight: number,
  summary: Array<[string, string]>,
  statistics?: PredictiveCheckOptions['statistics'],
): Promise<ReportInput> {
  const draws = result.posterior.sample(4000, 7);
  const quantiles = result.posterior.quantiles([0.05, 0.5, 0.95]);
  // One set of posterior draws gives the predictive band and the predictive checks.
  const check = checkSetup(model, result.posterior, observed, { draws: 1000, seed: 11, statistics });
  const predictive = await posteriorPredictive(model, result.posterior, check.draws, { seed: check.seed, discrete: { mode: 'exact' }, nonFinite: 'keep' });
  const checkRows = checkSimulation(predictive.simulation, check.observed, check.first, check.statistics);
  const [lower, median, upper] = predictive.quantiles([0.05, 0.5, 0.95]);
  const first = check.first;
  const times = observed.map((_, i) => i + first);
  const mean = result.posterior.mean();
  return {
    title: `agentgrad fit — ${model.name}`,
    summary,
    // total = expected loss + w · KL, so the plot shows the weighted term.
    history: result.history.map((h) => ({ epoch: h.epoch, loss: h.loss, expectedLoss: h.expectedLoss, kl: weight * h.kl })),
    parameters: result.posterior.names.map((name) => ({
      name,
      ...(truth ? { truth: truth[name] } : {}),
      prior: priorDraws(result.posterior.params.find((p) => p.name === name)!.prior, 4000, 17),
      posterior: draws.map((d) => d[name]!),
    })),
    predictive: model.outputs.map((output, o) => ({
      output,
      times,
      observed: observed.map((row) => row[o]!),
      lower: times.map((t) => lower![t]![o]!),
      median: times.map((t) => median![t]![o]!),
      upper: times.map((t) => upper![t]![o]!),
    })),
    predictiveChecks: {
      draws: check.draws,
      level: predictiveCheckFlagLevel,
      rows: checkRows.map((r) => ({ output: r.output, statistic: r.label, observed: r.observed, ...r.quantiles, pValue: r.pValue, flagged: r.flagged, nonFinite: r.nonFinite })),
    },
    posteriorTable: result.posterior.names.map((name) => {
      const values = draws.map((d) => d[name]!);
      const m = mean[name]!;
      const sd = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
      const [q05, q50, q95] = quantiles[name]!;
      return { name, mean: m, sd, q05: q05!, q50: q50!, q95: q95!, ...(truth ? { truth: truth[name] } : {}) };
    }),
  };
}

// What `agentgrad fit --model NAME` uses where no flag says otherwise: the epidemic models are
// calibrated on the trajectory itself (logMse of the daily series), with I0 held at the truth.
const modelDefaults: Record<string, { parameters?: string; loss?: string; epochs?: string }> = {
  sir: { parameters: 'beta,gamma', loss: 'logMse', epochs: '200' },
  networkSir: { parameters: 'beta,gamma', loss: 'logMse', epochs: '200' },
};

export async function fitCommand(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      model: { type: 'string', default: 'volatility' },
      data: { type: 'string' },
      param: { type: 'string', multiple: true },
      parameters: { type: 'string' },
      agents: { type: 'string' },
      steps: { type: 'string' },
      epochs: { type: 'string' },
      samples: { type: 'string', default: '10' },
      lr: { type: 'string', default: '0.05' },
      weight: { type: 'string' },
      loss: { type: 'string' },
      family: { type: 'string', default: 'full-rank-gaussian' },
      mode: { type: 'string' },
      tau: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'data-seed': { type: 'string', default: '12345' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      devices: { type: 'string' },
      out: { type: 'string', default: 'agentgrad-fit' },
      'checkpoint-every': { type: 'string', default: '10' },
      resume: { type: 'boolean', default: false },
      ...clusterFlags,
    },
  });
  const cluster = clusterFromFlags(values);
  const chosen = await resolveModelFlag(values.model!);
  const recommended = (chosen.builtIn && modelDefaults[chosen.builtIn]) || {};
  values.parameters ??= recommended.parameters;
  values.loss ??= recommended.loss ?? 'mmd';
  values.epochs ??= recommended.epochs ?? '300';
  const base = chosen.make({});
  const observedFromFile = values.data === undefined ? undefined : await readObserved(values.data, base.outputs);
  const model = sizedModel(chosen, values, observedFromFile?.length);
  const truth = observedFromFile ? undefined : { ...model.reference, ...parameterFlags(values.param) };
  const dataSeed = integerFlag('data-seed', values['data-seed'])!;
  const observed = observedFromFile ?? (await syntheticData(model, truth!, dataSeed));

  const free = values.parameters?.split(',').map((s) => s.trim()).filter(Boolean);
  const epochs = integerFlag('epochs', values.epochs)!;
  const outDir = values.out!;
  await mkdir(outDir, { recursive: true });
  const checkpointPath = join(outDir, 'checkpoint.json');
  const resumeFrom = values.resume ? checkpointPath : undefined;
  const progress = progressReporter('fit', { unit: 'epoch' });
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  let result: FitResult;
  try {
    result = await fit(model, observed, {
      parameters: free,
      fixed: truth ?? model.reference,
      prior: commandLinePriors(model, free),
      family: choiceFlag('family', values.family, ['diagonal-gaussian', 'full-rank-gaussian', 'flow'] as const),
      loss: choiceFlag('loss', values.loss, ['mmd', 'energyDistance', 'mse', 'logMse'] as const),
      weight: numberFlag('weight', values.weight),
      samplesPerEpoch: integerFlag('samples', values.samples),
      epochs,
      lr: numberFlag('lr', values.lr),
      discrete: {
        mode: choiceFlag('mode', values.mode, ['exact', 'relaxed', 'straight-through', 'smoothed', 'score'] as const),
        tau: numberFlag('tau', values.tau),
      },
      backend: choiceFlag('backend', values.backend, ['auto', 'cpu', 'cuda'] as const),
      threads: integerFlag('threads', values.threads),
      ...(values.devices !== undefined ? { devices: devicesFlag(values.devices) } : {}),
      seed: integerFlag('seed', values.seed),
      signal: controller.signal,
      checkpoint: { path: checkpointPath, every: integerFlag('checkpoint-every', values['checkpoint-every']) },
      resume: resumeFrom,
      onEpoch: (record) => progress.update(record.epoch + 1, epochs, `loss ${record.loss.toPrecision(4)}`),
      ...(cluster ? { cluster: { ...cluster, onNotice: (message: string) => progress.log(message) } } : {}),
    });
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
  }

  const last = result.history.at(-1);
  const summary: Array<[string, string]> = [
    ['model', `${model.name} (${Object.entries(model.settings).map(([k, v]) => `${k} ${v}`).join(', ')})`],
    ['data', values.data ?? `synthetic, seed ${dataSeed}, truth ${Object.entries(truth ?? {}).map(([k, v]) => `${k} = ${v}`).join(', ')}`],
    ['epochs', `${result.epochs}${result.aborted ? ' (aborted)' : ''}`],
    ['final loss', last ? `${last.loss.toPrecision(5)} (expected loss ${last.expectedLoss.toPrecision(5)}, KL ${last.kl.toPrecision(5)})` : '—'],
    ['loss, family', `${values.loss}, ${values.family}`],
    ['loss weight', `${formatWeight(result.weight.value)} (${result.weight.reason})`],
    ['what w trades', 'a smaller w trusts the data more: narrower intervals, calibrated only while the model is right (check with agentgrad diagnose); ' +
      'a larger w widens them, which keeps the posterior honest when the model is misspecified or data are corrupted (docs/robustness.md)'],
    ['seed', String(values.seed)],
  ];
  const posteriorJson = { model: model.name, settings: model.settings, truth: truth ?? null, aborted: result.aborted, epochs: result.epochs,
    best: result.best && { epoch: result.best.epoch, loss: result.best.loss }, posterior: result.posterior.toJSON() };
  await writeFile(join(outDir, 'posterior.json'), JSON.stringify(posteriorJson, null, 2) + '\n');
  await writeFile(join(outDir, 'history.csv'), stringify(result.history, { header: true, columns: ['epoch', 'loss', 'expectedLoss', 'kl', 'gradientNorm', 'droppedSamples', 'seconds'] }));
  await writeFile(join(outDir, 'report.html'), await renderReport(await buildReport(model, observed, truth, result, result.weight.value, summary)));

  const q = result.posterior.quantiles([0.05, 0.5, 0.95]);
  const mean = result.posterior.mean();
  const lines = result.posterior.names.map((n) =>
    `  ${n.padEnd(10)} mean ${mean[n]!.toPrecision(4).padStart(8)}   90% [${q[n]![0]!.toPrecision(4)}, ${q[n]![2]!.toPrecision(4)}]${truth ? `   truth ${truth[n]}` : ''}`);
  return [`${result.aborted ? 'aborted' : 'done'}: ${result.epochs} epochs, wrote ${join(outDir, 'posterior.json')}, history.csv, report.html`, ...lines].join('\n');
}

function formatWeight(w: number): string {
  return Number(w.toPrecision(4)).toString();
}

