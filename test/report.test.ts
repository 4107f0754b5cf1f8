import test from 'ava';

import { renderReport, type ReportInput, type ReportParameter } from '../lib/report/report.js';
import { normals } from './helpers.js';


function parameter(i: number, samples: number, truth?: number): ReportParameter {
  return {
    name: `theta_${i}`,
    ...(truth === undefined ? {} : { truth }),
    prior: normals(100 + i, samples, 0, 2),
    posterior: normals(200 + i, samples, truth ?? 0.5, 0.2),
  };
}

function sineSeries(output: string, n: number, phase: number) {
  const times = Array.from({ length: n }, (_, i) => i);
  const median = times.map((t) => Math.sin(t / 8 + phase));
  const noise = normals(7, n, 0, 0.15);
  return {
    output,
    times,
    observed: median.map((m, i) => m + noise[i]!),
    lower: median.map((m) => m - 0.3),
    median,
    upper: median.map((m) => m + 0.3),
  };
}

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  const history = Array.from({ length: 200 }, (_, epoch) => {
    const expectedLoss = 10 * Math.exp(-epoch / 40) + 0.5;
    const kl = 0.2 + 0.8 * (1 - Math.exp(-epoch / 30));
    return { epoch, loss: expectedLoss + kl, expectedLoss, kl };
  });
  return {
    title: 'agentgrad fit — volatility',
    summary: [
      ['model', 'volatility'],
      ['epochs', '200'],
      ['seed', '42'],
    ],
    history,
    parameters: [parameter(0, 500, 1.25), parameter(1, 500, -0.75), parameter(2, 500)],
    predictive: [sineSeries('r', 100, 0), sineSeries('v', 100, 1)],
    posteriorTable: [
      { name: 'theta_0', mean: 1.2346, sd: 0.1987, q05: 0.9012, q50: 1.2299, q95: 1.5677, truth: 1.25 },
      { name: 'theta_1', mean: -0.7611, sd: 0.2034, q05: -1.0971, q50: -0.7602, q95: -0.4237, truth: -0.75 },
      { name: 'theta_2', mean: 0.5021, sd: 0.1999, q05: 0.1733, q50: 0.5012, q95: 0.8311 },
    ],
    ...overrides,
  };
}

function svgs(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

test('renders a complete HTML document with the title and summary table', async (t) => {
  const html = await renderReport(input());
  t.regex(html, /^<!DOCTYPE html>\s*<html[^>]*>[\s\S]*<\/html>\s*$/);
  t.true(html.includes('<title>agentgrad fit — volatility</title>'));
  t.true(html.includes('<h1>agentgrad fit — volatility</h1>'));
  t.regex(html, /<th scope="row">model<\/th><td>volatility<\/td>/);
  t.regex(html, /<th scope="row">seed<\/th><td>42<\/td>/);
});

test('is self-contained: inline SVG and CSS, no scripts or external resources', async (t) => {
  const html = await renderReport(input());
  t.false(/<script/i.test(html));
  t.false(/<link/i.test(html));
  t.false(/\b(?:src|href)="(?:https?:)?\/\//i.test(html));
  t.false(/<image/i.test(html));
  t.true(html.includes('<style>'));
});

test('draws one SVG per panel: loss curve, one per parameter, one per output', async (t) => {
  const html = await renderReport(input());
  t.is(svgs(html).length, 1 + 3 + 2);
  const marginals = html.match(/<section id="marginals">[\s\S]*?<\/section>/)![0];
  t.is(svgs(marginals).length, 3);
  const predictive = html.match(/<section id="predictive">[\s\S]*?<\/section>/)![0];
  t.is(svgs(predictive).length, 2);
});

test('the loss curve is drawn as paths with a log axis when all values are positive', async (t) => {
  const html = await renderReport(input());
  const loss = svgs(html.match(/<section id="loss">[\s\S]*?<\/section>/)![0]);
  t.is(loss.length, 1);
  const svg = loss[0]!;
  t.true(/<path[^>]*\bd="M[^"]+"/.test(svg));
  t.true(svg.includes('loss (log scale)'));
  for (const label of ['total loss', 'expected loss', 'weighted KL (w · KL)']) t.true(svg.includes(`>${label}<`), label);
  // One line path per series.
  t.is((svg.match(/class="mark-line role-mark[^"]*"[^>]*><path[^>]*\bd="M/g) ?? []).length, 3);
});

test('the loss curve falls back to a linear axis when a value is not positive', async (t) => {
  const history = input().history.map((h) => ({ ...h, kl: h.kl - 0.5 }));
  const svg = svgs(await renderReport(input({ history })))[0]!;
  t.false(svg.includes('log scale'));
  t.true(/<path[^>]*\bd="M[^"]+"/.test(svg));
});

test('marginal panels name the parameters, show prior/posterior legend and truth rules', async (t) => {
  const html = await renderReport(input());
  const panels = svgs(html.match(/<section id="marginals">[\s\S]*?<\/section>/)![0]);
  for (const [i, svg] of panels.entries()) {
    t.true(svg.includes(`theta_${i}`), `panel ${i} names its parameter`);
    t.true(svg.includes('>prior<') && svg.includes('>posterior<'), `panel ${i} has a legend`);
    // One filled density area per distribution, each drawn as a path.
    t.is((svg.match(/class="mark-area[^"]*"[^>]*><path[^>]*\bd="M/g) ?? []).length, 2, `panel ${i} draws two densities`);
  }
  // Truth is drawn as a rule (an SVG line) in the first two panels only.
  t.true(panels[0]!.includes('>truth<') && /class="mark-rule role-mark[^"]*"[^>]*><line/.test(panels[0]!));
  t.true(panels[1]!.includes('>truth<') && /class="mark-rule role-mark[^"]*"[^>]*><line/.test(panels[1]!));
  t.false(panels[2]!.includes('>truth<'));
  t.false(/class="mark-rule role-mark/.test(panels[2]!));
});

test('predictive panels name the outputs and draw band, median and observed', async (t) => {
  const html = await renderReport(input());
  const panels = svgs(html.match(/<section id="predictive">[\s\S]*?<\/section>/)![0]);
  for (const [svg, output] of [
    [panels[0]!, 'r'],
    [panels[1]!, 'v'],
  ] as const) {
    t.true(svg.includes(`Posterior predictive — ${output}`));
    t.is((svg.match(/class="mark-area role-mark[^"]*"[^>]*><path[^>]*\bd="M/g) ?? []).length, 1);
    t.is((svg.match(/class="mark-line role-mark[^"]*"[^>]*><path[^>]*\bd="M/g) ?? []).length, 2);
    t.true((svg.match(/class="mark-symbol role-mark/g) ?? []).length === 1, 'observed points');
    for (const label of ['5–95% predictive', 'predictive median', 'observed']) t.true(svg.includes(`>${label}<`), label);
  }
});

test('the posterior table shows names, statistics and truth values', async (t) => {
  const html = await renderReport(input());
  const table = html.match(/<table class="posterior">[\s\S]*?<\/table>/)![0];
  for (const heading of ['mean', 'sd', '5%', '50%', '95%', 'truth']) t.true(table.includes(`>${heading}</th>`), heading);
  for (const name of ['theta_0', 'theta_1', 'theta_2']) t.true(table.includes(`<th scope="row">${name}</th>`), name);
  for (const value of ['1.235', '0.1987', '0.9012', '1.23', '1.568', '1.25', '-0.7611', '-0.75', '0.8311']) {
    t.true(table.includes(`<td class="num">${value}</td>`), value);
  }
  // theta_2 has no truth: a dash in its truth cell.
  t.regex(table, /<th scope="row">theta_2<\/th>(?:<td class="num">[^<]+<\/td>){5}<td class="num">—<\/td>/);
});

test('escapes <, & and quotes in every text it places in the page', async (t) => {
  const nasty = `a<b & "c" 'd'>`;
  const html = await renderReport(
    input({
      title: `fit <script>alert("x")</script> & co`,
      summary: [[nasty, `<img src=x onerror="alert(1)">`]],
      parameters: [{ ...parameter(0, 300, 1), name: nasty }],
      predictive: [sineSeries(nasty, 50, 0)],
      posteriorTable: [{ name: nasty, mean: 1, sd: 0.1, q05: 0.8, q50: 1, q95: 1.2, truth: 1 }],
    }),
  );
  t.false(html.includes('<script'));
  t.false(html.includes('<img'));
  t.false(html.includes(nasty));
  t.true(html.includes('<title>fit &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</title>'));
  t.true(html.includes('<th scope="row">a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;</th>'));
  t.true(html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'));
  // Inside the SVGs, the parameter and output names are escaped by the renderer.
  const [, marginal, predictive] = svgs(html);
  t.true(marginal!.includes('a&lt;b &amp;'));
  t.true(predictive!.includes('a&lt;b &amp;'));
  t.is(svgs(html).length, 3);
});

test('empty history, parameters and series render placeholders instead of panels', async (t) => {
  const html = await renderReport(input({ history: [], parameters: [], predictive: [], posteriorTable: [] }));
  t.is(svgs(html).length, 0);
  t.true(html.includes('No training history.'));
  t.true(html.includes('No parameters.'));
  t.true(html.includes('No posterior predictive series.'));
});

test('degenerate samples (constant, non-finite, empty) still render', async (t) => {
  const html = await renderReport(
    input({
      parameters: [
        { name: 'constant', prior: normals(1, 100), posterior: Array(100).fill(2), truth: 2 },
        { name: 'gaps', prior: [NaN, Infinity, ...normals(2, 100)], posterior: [-Infinity, ...normals(3, 100, 1, 0.1)] },
        { name: 'empty posterior', prior: normals(4, 100), posterior: [] },
      ],
    }),
  );
  t.is(svgs(html).length, 1 + 3 + 2);
  t.false(/NaN|Infinity/.test(svgs(html).slice(1, 4).join('')));
});

test('renders 4000 samples × 6 parameters and 5000 epochs', async (t) => {
  const parameters = Array.from({ length: 6 }, (_, i) => parameter(i, 4000, i / 2));
  const history = Array.from({ length: 5000 }, (_, epoch) => ({ epoch, loss: 2 + 1 / (1 + epoch), expectedLoss: 1 + 1 / (1 + epoch), kl: 1 }));
  const html = await renderReport(input({ parameters, history }));
  t.is(svgs(html).length, 1 + 6 + 2);
  // Compact data: far smaller than the raw samples would be.
  t.true(html.length < 2_000_000, `${html.length} characters`);
});
