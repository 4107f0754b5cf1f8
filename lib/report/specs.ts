/** Vega-Lite specifications for the report panels, fed with compact, pre-summarised data. */
import type { TopLevelSpec } from 'vega-lite';

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

const config = {
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

/** Prior and posterior kernel densities of one parameter, with the truth as a dashed rule when known. */
export function marginalSpec(parameter: ReportParameter): TopLevelSpec {
  const prior = sortedFinite(parameter.prior);
  const posterior = sortedFinite(parameter.posterior);
  const truth = parameter.truth !== undefined && Number.isFinite(parameter.truth) ? parameter.truth : undefined;
  const range = plotRange([prior, posterior], truth === undefined ? [] : [truth]);
  const rows: Array<{ x: number; density: number; distribution: string }> = [];
  for (const [label, samples] of [['prior', prior], ['posterior', posterior]] as const) {
    for (const p of kde(samples, range)) rows.push({ ...p, distribution: label });
  }
  const domain = truth === undefined ? ['prior', 'posterior'] : ['prior', 'posterior', 'truth'];
  const palette = truth === undefined ? [colours.prior, colours.posterior] : [colours.prior, colours.posterior, colours.truth];
  const colour = { scale: { domain, range: palette }, legend: { symbolType: 'square', symbolOpacity: 0.8 } };
  const x = { field: 'x', type: 'quantitative' as const, title: parameter.name, scale: { domain: range, nice: false, zero: false } };
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
          y: { field: 'density', type: 'quantitative', title: 'density', stack: null },
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
