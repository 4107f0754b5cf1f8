/** Vega-Lite specifications of the audit report: bias ± 2 s.e. per setting, cost, and MSE per second. */
import type { TopLevelSpec } from 'vega-lite';

import type { AuditResult } from '../audit/types.js';
import { colours, config } from './specs.js';


const significance = { domain: ['no significant bias', 'significant bias'], range: [colours.median, colours.posterior] };

function settingLabels(result: AuditResult): string[] {
  return [...new Set(result.rows.map((r) => r.label))];
}

function heightFor(settings: number): number {
  return Math.max(60, 20 * settings);
}

/** Bias of each setting for one parameter with its ±2 standard-error bar; the reference is the rule at 0. */
export function auditBiasSpec(result: AuditResult, parameter: string): TopLevelSpec {
  const labels = settingLabels(result);
  const rows = result.rows
    .filter((r) => r.parameter === parameter && Number.isFinite(r.bias) && Number.isFinite(r.biasStderr))
    .map((r) => ({
      setting: r.label,
      bias: r.bias,
      lower: r.bias - 2 * r.biasStderr,
      upper: r.bias + 2 * r.biasStderr,
      significance: r.significant ? 'significant bias' : 'no significant bias',
    }));
  const y = { field: 'setting', type: 'nominal' as const, title: null, sort: labels };
  const colour = { field: 'significance', type: 'nominal' as const, scale: significance };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Bias of d loss / d ${parameter} (± 2 s.e.)`,
    width: 360,
    height: heightFor(labels.length),
    config,
    layer: [
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: colours.truth, strokeDash: [4, 3] }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
      {
        data: { values: rows },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y, x: { field: 'lower', type: 'quantitative', title: 'estimate − reference' }, x2: { field: 'upper' }, color: colour },
      },
      { data: { values: rows }, mark: { type: 'point', filled: true, size: 50 }, encoding: { y, x: { field: 'bias', type: 'quantitative' }, color: colour } },
    ],
  } as TopLevelSpec;
}

/** Milliseconds per replicate of each setting (all parameters together), log scale. */
export function auditCostSpec(result: AuditResult): TopLevelSpec {
  const labels = settingLabels(result);
  const rows = labels.map((label) => {
    const row = result.rows.find((r) => r.label === label)!;
    return { setting: label, ms: row.secondsPerReplicate * 1000 };
  }).filter((r) => r.ms > 0 && Number.isFinite(r.ms));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Cost: milliseconds per replicate',
    width: 360,
    height: heightFor(labels.length),
    config,
    data: { values: rows },
    mark: { type: 'bar', color: colours.loss },
    encoding: {
      y: { field: 'setting', type: 'nominal', title: null, sort: labels },
      // A linear axis from 0: bars on a log axis start at 0, which it cannot place, and vanish.
      x: { field: 'ms', type: 'quantitative', title: 'ms per replicate', scale: { zero: true } },
    },
  };
}

/** Each setting's MSE per second over the lowest any setting reaches for that parameter (1: the best), log scale. */
export function auditEfficiencySpec(result: AuditResult): TopLevelSpec {
  const labels = settingLabels(result);
  const best = new Map<string, number>();
  for (const r of result.rows) {
    if (Number.isFinite(r.msePerSecond) && r.msePerSecond > 0) best.set(r.parameter, Math.min(best.get(r.parameter) ?? Infinity, r.msePerSecond));
  }
  const rows = result.rows
    .filter((r) => Number.isFinite(r.msePerSecond) && r.msePerSecond > 0 && best.has(r.parameter))
    .map((r) => ({ setting: r.label, parameter: r.parameter, ratio: r.msePerSecond / best.get(r.parameter)! }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'MSE per second over the best setting, per parameter',
    width: 360,
    height: heightFor(labels.length),
    config,
    data: { values: rows },
    mark: { type: 'point', filled: true, size: 60, opacity: 0.85 },
    encoding: {
      y: { field: 'setting', type: 'nominal', title: null, sort: labels },
      x: { field: 'ratio', type: 'quantitative', title: 'MSE per second ÷ lowest (log scale)', scale: { type: 'log' } },
      color: { field: 'parameter', type: 'nominal' },
      shape: { field: 'parameter', type: 'nominal' },
    },
  };
}
