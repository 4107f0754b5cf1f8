/** Vega-Lite specifications for the report panels, fed with compact, pre-summarised data. */
import type { TopLevelSpec } from 'vega-lite';

import { quantileOfSorted } from '../stats/series.js';
import { kde, plotRange, sortedFinite, thin } from './density.js';
import type { ReportHistoryPoint, ReportParameter, ReportSeries } from './types.js';

export const colours = {
  loss: '#4c78a8',
  expectedLoss: '#f58518',
  kl: '#54a24b',
  prior: '#7f8c9a',
  posterior: '#e4572e',
  truth: '#111111',
  band: '#9ecae1',
  median: '#08519c',
  observed: '#e4572e',
} as const;

/** The look shared by every chart of the reports. */
export const config = {
  font: 'Helvetica, Arial, sans-serif',
  background: 'white',
  view: { stroke: '#dddddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eeeeee' },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 400, orient: 'top' as const, title: null },
  title: { fontSize: 14, anchor: 'start' as const },
};

/** Largest number of points drawn per line; longer series are strided. */
export const maxLinePoints = 1500;

/** Total loss, expected loss and KL term against epoch; log y-axis when every plotted value is positive. */
export function lossSpec(history: readonly ReportHistoryPoint[]): TopLevelSpec {
  const series = [
    ['total loss', 'loss'],
    ['expected loss', 'expectedLoss'],
    ['weighted KL (w · KL)', 'kl'],
  ] as const;
  const rows: Array<{ epoch: number; value: number; series: string }> = [];
  for (const point of thin(history, maxLinePoints)) {
    for (const [label, key] of series) {
      const value = point[key];
      if (Number.isFinite(value) && Number.isFinite(point.epoch)) rows.push({ epoch: point.epoch, value, series: label });
    }
  }
  const log = rows.length > 0 && rows.every((r) => r.value > 0);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Loss curve',
    width: 640,
    height: 280,
    config,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.75, interpolate: 'linear' },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { zero: false, nice: false } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: log ? 'loss (log scale)' : 'loss',
        scale: log ? { type: 'log' } : { zero: false },
      },
      color: {
        field: 'series',
        type: 'nominal',
        scale: { domain: series.map(([label]) => label), range: [colours.loss, colours.expectedLoss, colours.kl] },
      },
    },
  };
}

/** Positive samples spread over more than this factor are drawn on a log axis. */
export const logAxisRatio = 100;

/** Whether the central 99% of positive sample sets (and the truth) span more than logAxisRatio. */
export function wantsLogAxis(sets: readonly Float64Array[], truth?: number): boolean {
  if (truth !== undefined && !(truth > 0)) return false;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of sets) {
    if (s.length === 0) continue;
    if (!(s[0]! > 0)) return false;
    lo = Math.min(lo, quantileOfSorted(s, 0.005));
    hi = Math.max(hi, quantileOfSorted(s, 0.995));
  }
  return lo > 0 && Number.isFinite(hi) && hi / lo > logAxisRatio;
}

function powersOfTen(lo: number, hi: number): number[] {
  const values: number[] = [];
  for (let k = Math.ceil(Math.log10(lo)); k <= Math.floor(Math.log10(hi)); k++) values.push(Number(`1e${k}`));
  return values;
}

/**
 * Prior and posterior kernel densities of one parameter, with the truth as a dashed rule when known.
 * A positive parameter whose samples span more than a factor 100 (a wide prior around a narrow
 * posterior) is drawn on a log axis, with the densities of its logarithm, so that neither is a
 * sliver at one edge.
 */
export function marginalSpec(parameter: ReportParameter): TopLevelSpec {
  const prior = sortedFinite(parameter.prior);
  const posterior = sortedFinite(parameter.posterior);
  const truth = parameter.truth !== undefined && Number.isFinite(parameter.truth) ? parameter.truth : undefined;
  const log = wantsLogAxis([prior, posterior], truth);
  const scaled = (s: Float64Array) => (log ? s.map(Math.log) : s);
  const range = plotRange([scaled(prior), scaled(posterior)], truth === undefined ? [] : [log ? Math.log(truth) : truth]);
  const rows: Array<{ x: number; density: number; distribution: string }> = [];
  for (const [label, samples] of [['prior', prior], ['posterior', posterior]] as const) {
    for (const p of kde(scaled(samples), range)) rows.push({ x: log ? Math.exp(p.x) : p.x, density: p.density, distribution: label });
  }
  const domain = truth === undefined ? ['prior', 'posterior'] : ['prior', 'posterior', 'truth'];
  const palette = truth === undefined ? [colours.prior, colours.posterior] : [colours.prior, colours.posterior, colours.truth];
  const colour = { scale: { domain, range: palette }, legend: { symbolType: 'square', symbolOpacity: 0.8 } };
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: log ? `${parameter.name} (log scale)` : parameter.name,
    scale: log ? { type: 'log' as const, domain: range.map(Math.exp), nice: false } : { domain: range, nice: false, zero: false },
    // Ticks and grid lines at the powers of ten only (the plotted range spans at least two).
    ...(log ? { axis: { values: powersOfTen(Math.exp(range[0]), Math.exp(range[1])), format: '~g' } } : {}),
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: parameter.name,
    width: 250,
    height: 170,
    config,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'area', fillOpacity: 0.3, strokeWidth: 1.5 },
        encoding: {
          x,
          y: { field: 'density', type: 'quantitative', title: log ? `density of log ${parameter.name}` : 'density', stack: null },
          fill: { field: 'distribution', type: 'nominal', ...colour },
          stroke: { field: 'distribution', type: 'nominal', ...colour },
        },
      },
      ...(truth === undefined
        ? []
        : [
            {
              data: { values: [{ x: truth }] },
              mark: { type: 'rule' as const, strokeDash: [6, 4], strokeWidth: 2 },
              encoding: { x, stroke: { datum: 'truth', ...colour } },
            },
          ]),
    ],
  } as TopLevelSpec;
}

/** Posterior predictive 5–95% band and median against the observed series of one output. */
export function predictiveSpec(series: ReportSeries): TopLevelSpec {
  const n = Math.min(series.times.length, series.observed.length, series.lower.length, series.median.length, series.upper.length);
  const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
  const rows = thin(
    Array.from({ length: n }, (_, i) => ({
      t: finite(series.times[i]),
      observed: finite(series.observed[i]),
      lower: finite(series.lower[i]),
      median: finite(series.median[i]),
      upper: finite(series.upper[i]),
    })).filter((r) => r.t !== null),
    maxLinePoints,
  );
  const domain = ['5–95% predictive', 'predictive median', 'observed'];
  const colour = {
    scale: { domain, range: [colours.band, colours.median, colours.observed] },
    legend: { symbolType: 'square', symbolOpacity: 1, symbolStrokeWidth: 0 },
  };
  const x = { field: 't', type: 'quantitative' as const, title: 't', scale: { zero: false, nice: false } };
  const y = { type: 'quantitative' as const, title: series.output, scale: { zero: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Posterior predictive — ${series.output}`,
    width: 640,
    height: 240,
    config,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'area', opacity: 0.6 },
        encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' }, color: { datum: domain[0], ...colour } },
      },
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { x, y: { ...y, field: 'median' }, color: { datum: domain[1], ...colour } },
      },
      {
        mark: { type: 'line', strokeWidth: 1.25, point: n <= 200 ? { size: 14 } : false },
        encoding: { x, y: { ...y, field: 'observed' }, color: { datum: domain[2], ...colour } },
      },
    ],
  } as TopLevelSpec;
}
