/** Vega-Lite specifications of the diagnose report: rank histograms and the coverage curve. */
import type { TopLevelSpec } from 'vega-lite';

import { colours, config } from './specs.js';


export interface RankHistogramInput {
  name: string;
  /** Counts per bin. */
  histogram: readonly number[];
  /** Rank values 0..draws. */
  draws: number;
  /** The 99% binomial band of a bin's count under calibration. */
  band: readonly [number, number];
  pValue: number;
}

/** Rank histogram of one parameter with the band a calibrated recipe's bins stay in 99% of the time. */
export function rankHistogramSpec(input: RankHistogramInput): TopLevelSpec {
  const bins = input.histogram.length;
  const width = (input.draws + 1) / bins;
  const rows = input.histogram.map((count, b) => ({ from: b * width, to: (b + 1) * width, count }));
  const expected = input.histogram.reduce((a, b) => a + b, 0) / bins;
  const x = { type: 'quantitative' as const, title: `rank of the truth among ${input.draws} posterior draws`, scale: { domain: [0, input.draws + 1], nice: false } };
  const domain = ['99% band if calibrated', 'rank counts'];
  const colour = { scale: { domain, range: [colours.band, colours.loss] }, legend: { symbolType: 'square' } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: input.name, subtitle: `uniformity p = ${input.pValue.toPrecision(2)}` },
    width: 300,
    height: 170,
    config,
    layer: [
      {
        data: { values: [{ from: 0, to: input.draws + 1, low: input.band[0], high: input.band[1] }] },
        mark: { type: 'rect', opacity: 0.5 },
        encoding: { x: { ...x, field: 'from' }, x2: { field: 'to' }, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, fill: { datum: domain[0], ...colour } },
      },
      {
        data: { values: rows },
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1, opacity: 0.85 },
        encoding: {
          x: { ...x, field: 'from' },
          x2: { field: 'to' },
          y: { field: 'count', type: 'quantitative', title: 'simulations' },
          y2: { datum: 0 },
          fill: { datum: domain[1], ...colour },
        },
      },
      {
        data: { values: [{ expected }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: colours.median },
        encoding: { y: { field: 'expected', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

export interface CoverageInput {
  parameters: Array<{ name: string; points: ReadonlyArray<{ level: number; observed: number; band: readonly [number, number] }> }>;
}

/** Observed against nominal coverage of central intervals, per parameter, with the 95% band and the diagonal. */
export function coverageSpec(input: CoverageInput): TopLevelSpec {
  const band = input.parameters[0]?.points.map((p) => ({ level: p.level, low: p.band[0], high: p.band[1] })) ?? [];
  const lines = input.parameters.flatMap((p) => p.points.map((pt) => ({ level: pt.level, observed: pt.observed, parameter: p.name })));
  const axis = { type: 'quantitative' as const, scale: { domain: [0, 1], nice: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Coverage of central posterior intervals',
    width: 360,
    height: 300,
    config,
    layer: [
      {
        data: { values: band },
        mark: { type: 'area', color: colours.band, opacity: 0.5 },
        encoding: { x: { ...axis, field: 'level', title: 'nominal level' }, y: { ...axis, field: 'low', title: 'share of truths inside' }, y2: { field: 'high' } },
      },
      {
        data: { values: [{ a: 0, b: 1 }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#888888' },
        encoding: { x: { ...axis, field: 'a' }, y: { ...axis, field: 'a' }, x2: { field: 'b' }, y2: { field: 'b' } },
      },
      {
        data: { values: lines },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: { ...axis, field: 'level' },
          y: { ...axis, field: 'observed' },
          color: { field: 'parameter', type: 'nominal', scale: { scheme: 'category10' } },
        },
      },
    ],
  } as TopLevelSpec;
}
