// `agentgrad fit`: calibrate a model, then write posterior.json, history.csv and report.html.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import cliProgress from 'cli-progress';
import { stringify } from 'csv-stringify/sync';

import { fit, type FitResult } from '../gvi/fit.js';
import { posteriorPredictive } from '../gvi/predictive.js';
import { logNormal } from '../gvi/priors.js';
import { priorDraws } from '../gvi/random.js';
import { defaultPrior } from '../gvi/parameters.js';
import type { EpochRecord } from '../gvi/checkpoint.js';
import type { Model } from '../models/model.js';
import { renderReport, type ReportInput } from '../report/report.js';
import { simulate } from '../simulate.js';
import { choiceFlag, integerFlag, numberFlag, parameterFlags, UsageError } from './args.js';
import { resolveModelFlag } from './model-flag.js';
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
  --weight W            w in E[loss] + w KL(q || prior) (default 0.01)
  --loss NAME           mmd | energyDistance | mse | logMse (default mmd; sir and networkSir logMse)
  --family NAME         diagonal-gaussian | full-rank-gaussian
  --mode MODE --tau X   discrete estimator (default straight-through, tau 0.1)
  --seed S              seed of the fit (default 1); --data-seed S for synthetic data (default 12345)
  --backend B --threads N
  --out DIR             output directory (default agentgrad-fit)
  --checkpoint-every N  write DIR/checkpoint.json every N epochs (default 10)
  --resume              continue from DIR/checkpoint.json`;

interface Progress {
  update(record: EpochRecord): void;
  stop(): void;
}

function progressReporter(total: number, start: number): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'fit |{bar}| epoch {value}/{total} | loss {loss} | ETA {eta_formatted}', stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, start, { loss: '…' });
    return { update: (r) => bar.update(r.epoch + 1, { loss: r.loss.toPrecision(4) }), stop: () => bar.stop() };
  }
  const every = Math.max(1, Math.round(total / 10));
  const began = Date.now();
  return {
    update(r) {
      if ((r.epoch + 1) % every !== 0 && r.epoch + 1 !== total) return;
      const done = r.epoch + 1 - start;
      const eta = ((Date.now() - began) / done) * (total - r.epoch - 1) / 1000;
      process.stderr.write(`fit: epoch ${r.epoch + 1}/${total}, loss ${r.loss.toPrecision(4)}, ETA ${eta.toFixed(0)} s\n`);
    },
    stop() {},
  };
}

async function buildReport(
  model: Model,
  observed: number[][],
  truth: Record<string, number> | undefined,
  result: FitResult,
  weight: number,
  summary: Array<[string, string]>,
): Promise<ReportInput> {
  const draws = result.posterior.sample(4000, 7);
  const quantiles = result.posterior.quantiles([0.05, 0.5, 0.95]);
  const predictive = await posteriorPredictive(model, result.posterior, 200, { seed: 11 });
  const [lower, median, upper] = predictive.quantiles([0.05, 0.5, 0.95]);
  const first = observed.length === model.steps ? 1 : 0;
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
      weight: { type: 'string', default: '0.01' },
      loss: { type: 'string' },
      family: { type: 'string', default: 'diagonal-gaussian' },
      mode: { type: 'string' },
      tau: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'data-seed': { type: 'string', default: '12345' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      out: { type: 'string', default: 'agentgrad-fit' },
      'checkpoint-every': { type: 'string', default: '10' },
      resume: { type: 'boolean', default: false },
    },
  });
  const chosen = await resolveModelFlag(values.model!);
  const recommended = (chosen.builtIn && modelDefaults[chosen.builtIn]) || {};
  values.parameters ??= recommended.parameters;
  values.loss ??= recommended.loss ?? 'mmd';
  values.epochs ??= recommended.epochs ?? '300';
  const base = chosen.make({});
  const observedFromFile = values.data === undefined ? undefined : await readObserved(values.data, base.outputs);
  const size: Record<string, number> = {};
  const agents = integerFlag('agents', values.agents);
  const steps = integerFlag('steps', values.steps) ?? observedFromFile?.length;
  if (agents !== undefined) size['agents'] = agents;
  if (steps !== undefined) size['steps'] = steps;
  const model = chosen.make(size);
  const truth = observedFromFile ? undefined : { ...model.reference, ...parameterFlags(values.param) };
  const dataSeed = integerFlag('data-seed', values['data-seed'])!;
  const observed = observedFromFile ?? (await syntheticData(model, truth!, dataSeed));

  const free = values.parameters?.split(',').map((s) => s.trim()).filter(Boolean);
  const epochs = integerFlag('epochs', values.epochs)!;
  const outDir = values.out!;
  await mkdir(outDir, { recursive: true });
  const checkpointPath = join(outDir, 'checkpoint.json');
  const resumeFrom = values.resume ? checkpointPath : undefined;
  const progress = progressReporter(epochs, 0);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  let result: FitResult;
  try {
    result = await fit(model, observed, {
      parameters: free,
      fixed: truth ?? model.reference,
      prior: Object.fromEntries(
        model.parameters
          .filter((p) => free === undefined || free.includes(p.name))
          .map((p) => [p.name, p.constraint === 'positive' ? logNormal(0, 1) : defaultPrior(p.constraint)]),
      ),
      family: choiceFlag('family', values.family, ['diagonal-gaussian', 'full-rank-gaussian'] as const),
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
      seed: integerFlag('seed', values.seed),
      signal: controller.signal,
      checkpoint: { path: checkpointPath, every: integerFlag('checkpoint-every', values['checkpoint-every']) },
      resume: resumeFrom,
      onEpoch: (record) => progress.update(record),
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
    ['loss, weight, family', `${values.loss}, ${values.weight}, ${values.family}`],
    ['seed', String(values.seed)],
  ];
  const posteriorJson = { model: model.name, settings: model.settings, truth: truth ?? null, aborted: result.aborted, epochs: result.epochs,
    best: result.best && { epoch: result.best.epoch, loss: result.best.loss }, posterior: result.posterior.toJSON() };
  await writeFile(join(outDir, 'posterior.json'), JSON.stringify(posteriorJson, null, 2) + '\n');
  await writeFile(join(outDir, 'history.csv'), stringify(result.history, { header: true, columns: ['epoch', 'loss', 'expectedLoss', 'kl', 'gradientNorm', 'droppedSamples', 'seconds'] }));
  await writeFile(join(outDir, 'report.html'), await renderReport(await buildReport(model, observed, truth, result, numberFlag('weight', values.weight)!, summary)));

  const q = result.posterior.quantiles([0.05, 0.5, 0.95]);
  const mean = result.posterior.mean();
  const lines = result.posterior.names.map((n) =>
    `  ${n.padEnd(10)} mean ${mean[n]!.toPrecision(4).padStart(8)}   90% [${q[n]![0]!.toPrecision(4)}, ${q[n]![2]!.toPrecision(4)}]${truth ? `   truth ${truth[n]}` : ''}`);
  return [`${result.aborted ? 'aborted' : 'done'}: ${result.epochs} epochs, wrote ${join(outDir, 'posterior.json')}, history.csv, report.html`, ...lines].join('\n');
}

async function syntheticData(model: Model, truth: Record<string, number>, seed: number): Promise<number[][]> {
  const sim = await simulate(model, truth, { seed, replicates: 1, discrete: { mode: 'exact' } });
  const rows: number[][] = [];
  for (let t = 1; t < sim.shape.times; t++) rows.push(Array.from({ length: sim.shape.outputs }, (_, o) => sim.value(0, t, o)));
  if (rows.length < 2) throw new UsageError('synthetic data needs steps >= 2');
  return rows;
}
