// The HTML report of a diagnose run: what was checked, how long it took, a verdict per parameter,
// the rank histograms and the coverage curve (lib/report/diagnoseReport.ts draws them).
import { writeFile } from 'node:fs/promises';

import { fitDefaults } from '../gvi/fit.js';
import type { Model } from '../models/model.js';
import { renderDiagnoseReport, type DiagnoseReportInput } from '../report/diagnoseReport.js';
import type { DiagnoseResult } from './diagnose.js';
import type { Recipe } from './recipe.js';

/** The recipe in words, with fit's defaults filled in and the loss weights the fits used. */
export function describeRecipe(recipe: Recipe, result: DiagnoseResult, customLoss: boolean): string {
  const fit = recipe.fit;
  const weights = [...new Set(result.fits.map((f) => Number(f.weight.toPrecision(4))))];
  const weight = weights.length === 0 ? '—' : weights.join(', ');
  return [
    customLoss ? 'a loss function' : (fit.loss ?? fitDefaults.loss),
    fit.family ?? fitDefaults.family,
    `${fit.epochs ?? fitDefaults.epochs} epochs`,
    `${fit.samplesPerEpoch ?? fitDefaults.samplesPerEpoch} samples`,
    `lr ${fit.lr ?? fitDefaults.lr}${fit.lrSchedule === 'cosine' ? ' (cosine)' : ''}`,
    `loss weight ${weight}${fit.weight === undefined ? ' (derived from the data)' : ''}`,
  ].join(', ');
}

export function diagnoseReportInput(model: Model, recipe: Recipe, result: DiagnoseResult, customLoss: boolean): DiagnoseReportInput {
  const fitted = result.fits.length;
  return {
    title: `agentgrad diagnose — ${model.name}`,
    summary: [
      ['model', `${model.name} (${Object.entries(model.settings).map(([k, v]) => `${k} ${v}`).join(', ')})`],
      ['calibrated', recipe.parameters.map((p) => `${p.name} ~ ${p.prior.kind}(${p.prior.params.join(', ')})`).join(', ')],
      ['recipe', describeRecipe(recipe, result, customLoss)],
      ['simulations', `${fitted} fitted${result.failed.length ? `, ${result.failed.length} failed` : ''}${result.aborted ? ' (aborted)' : ''} of ${result.simulations}`],
      ['time', `${result.seconds.toFixed(1)} s (${((60 * fitted) / Math.max(result.seconds, 1e-9)).toFixed(1)} fits per minute)`],
      ['seed', String(recipe.seed)],
    ],
    draws: result.draws,
    parameters: Object.keys(result.sbc).map((name) => ({ name, ...result.sbc[name]!, coverage: result.coverage[name]! })),
  };
}

export async function writeDiagnoseReport(path: string, input: DiagnoseReportInput): Promise<void> {
  await writeFile(path, await renderDiagnoseReport(input));
}
