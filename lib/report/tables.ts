/** HTML tables of the report. */
import { escapeHtml } from './escape.js';
import { formatNumber } from './format.js';
import type { ReportCheckRow, ReportChecks, ReportPosteriorRow } from './types.js';

/** Key/value table shown at the top of the report. */
export function summaryTable(rows: ReadonlyArray<readonly [string, string]>): string {
  if (rows.length === 0) return '';
  const body = rows.map(([key, value]) => `<tr><th scope="row">${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n');
  return `<table class="summary">\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Posterior summary per parameter: mean, sd, 5/50/95% quantiles and truth when any parameter has one. */
export function posteriorTable(rows: readonly ReportPosteriorRow[]): string {
  if (rows.length === 0) return '<p class="empty">No posterior summary.</p>';
  const withTruth = rows.some((r) => r.truth !== undefined);
  const headings = ['parameter', 'mean', 'sd', '5%', '50%', '95%', ...(withTruth ? ['truth'] : [])];
  const head = `<tr>${headings.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const cell = (x: number | undefined) => `<td class="num">${x === undefined ? '—' : escapeHtml(formatNumber(x))}</td>`;
  const body = rows
    .map((r) => {
      const cells = [r.mean, r.sd, r.q05, r.q50, r.q95].map(cell).join('');
      return `<tr><th scope="row">${escapeHtml(r.name)}</th>${cells}${withTruth ? cell(r.truth) : ''}</tr>`;
    })
    .join('\n');
  return `<table class="posterior">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

// ---------------------------------------------------------------------------------------------
// Posterior predictive checks: one row per output and statistic, each with a strip that shows the
// predictive distribution (bars over 99% and 90% of the draws, a tick at the median) and the
// observed value (a diamond). Every strip has its own scale: the statistics differ in units.

const strip = { width: 240, height: 22, pad: 7 };

/** Two significant digits for small tail probabilities, two decimals otherwise. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return '—';
  return p >= 0.1 ? p.toFixed(2) : String(Number(p.toPrecision(2)));
}

function px(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** The inline SVG strip of one check row. */
export function checkStrip(row: ReportCheckRow): string {
  const { width, height, pad } = strip;
  const mid = height / 2;
  const bars = [row.q005, row.q05, row.q50, row.q95, row.q995].every(Number.isFinite);
  const observed = Number.isFinite(row.observed) ? row.observed : undefined;
  let lo = bars ? row.q005 : (observed ?? 0);
  let hi = bars ? row.q995 : (observed ?? 0);
  // The observed value widens the scale, but by at most 1.5 widths of the predictive 99% range: past
  // that it is drawn as an arrow at the edge, so the bars keep a readable size.
  const span = hi - lo;
  let beyond: 'low' | 'high' | undefined;
  if (observed !== undefined && bars && span > 0) {
    if (observed < lo - 1.5 * span) [lo, beyond] = [lo - 1.5 * span, 'low'];
    else if (observed > hi + 1.5 * span) [hi, beyond] = [hi + 1.5 * span, 'high'];
    else [lo, hi] = [Math.min(lo, observed), Math.max(hi, observed)];
  } else if (observed !== undefined) {
    [lo, hi] = [Math.min(lo, observed), Math.max(hi, observed)];
  }
  if (!(hi > lo)) [lo, hi] = [lo - (Math.abs(lo) * 0.1 || 1), hi + (Math.abs(hi) * 0.1 || 1)];
  const x = (v: number) => pad + ((v - lo) / (hi - lo)) * (width - 2 * pad);
  const parts: string[] = [`<line x1="${pad}" x2="${width - pad}" y1="${mid}" y2="${mid}" stroke="#e3e3e3" stroke-width="1"/>`];
  if (bars) {
    const bar = (a: number, b: number, fill: string, h: number) =>
      `<rect x="${px(x(a))}" y="${px(mid - h / 2)}" width="${px(Math.max(1, x(b) - x(a)))}" height="${h}" fill="${fill}"/>`;
    parts.push(bar(row.q005, row.q995, '#c6dbef', 8), bar(row.q05, row.q95, '#6baed6', 8));
    parts.push(`<line x1="${px(x(row.q50))}" x2="${px(x(row.q50))}" y1="${mid - 7}" y2="${mid + 7}" stroke="#08519c" stroke-width="2"/>`);
  }
  const fill = row.flagged ? '#c0392b' : '#e4572e';
  if (observed !== undefined && beyond === undefined) {
    const cx = x(observed);
    parts.push(`<path d="M${px(cx)},${mid - 6}L${px(cx + 5)},${mid}L${px(cx)},${mid + 6}L${px(cx - 5)},${mid}Z" fill="${fill}" stroke="#222" stroke-width="0.75"/>`);
  } else if (beyond !== undefined) {
    const tip = beyond === 'low' ? pad - 5 : width - pad + 5;
    const back = beyond === 'low' ? tip + 9 : tip - 9;
    parts.push(`<path d="M${px(tip)},${mid}L${px(back)},${mid - 6}L${px(back)},${mid + 6}Z" fill="${fill}" stroke="#222" stroke-width="0.75"/>`);
  }
  const where = observed === undefined ? 'observed value not defined' : `observed ${formatNumber(observed)}${beyond ? ` (off the scale, ${beyond === 'low' ? 'below' : 'above'})` : ''}`;
  const label = bars ? `${where}; predictive median ${formatNumber(row.q50)}, 90% ${formatNumber(row.q05)} to ${formatNumber(row.q95)}` : `${where}; no finite predictive values`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="strip" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}">${parts.join('')}</svg>`;
}

/** The checks section's content: a summary line, a legend and the table with a strip per row. */
export function checksTable(checks: ReportChecks | undefined): string {
  if (checks === undefined || checks.rows.length === 0) return '<p class="empty">No posterior predictive checks.</p>';
  const { rows, draws, level } = checks;
  const multipleOutputs = new Set(rows.map((r) => r.output)).size > 1;
  const named = (r: ReportCheckRow) => (multipleOutputs ? `${r.statistic} of ${r.output}` : r.statistic);
  const flagged = rows.filter((r) => r.flagged);
  // A few flags with their numbers; many by name only, grouped by output (the table has the numbers).
  const detailed = (r: ReportCheckRow) =>
    `${escapeHtml(named(r))} (observed ${escapeHtml(formatNumber(r.observed))}, predictive 90% ${escapeHtml(formatNumber(r.q05))} to ${escapeHtml(formatNumber(r.q95))})`;
  const byOutput = () =>
    [...new Set(flagged.map((r) => r.output))]
      .map((output) => {
        const names = flagged.filter((r) => r.output === output).map((r) => escapeHtml(r.statistic)).join(', ');
        return multipleOutputs ? `${names} of ${escapeHtml(output)}` : names;
      })
      .join('; ');
  const summary = flagged.length === 0
    ? `<p class="checks-summary ok">No statistic flagged: every observed value lies within its predictive distribution (p ≥ ${level}).</p>`
    : `<p class="checks-summary flagged">${flagged.length} of ${rows.length} statistics flagged (p &lt; ${level}): ` +
      `${flagged.length <= 3 ? flagged.map(detailed).join('; ') : byOutput()}. ` +
      'The model does not reproduce these features of the data.</p>';
  const legend =
    `<p class="checks-legend">Each statistic of the observed series <span class="key-observed">◆</span> against its distribution over ${draws} series ` +
    'simulated at posterior draws: <span class="key-bar99"></span> 0.5–99.5% of the draws, <span class="key-bar90"></span> 5–95%, ' +
    '<span class="key-median"></span> median. Each strip has its own scale; an observed value far outside is an arrow at the edge. ' +
    'p is the two-sided tail probability 2·min(P(T ≥ observed), P(T ≤ observed)), counting the observed series as one draw ' +
    `(so never below 2/(n + 1)); rows with p &lt; ${level} are flagged.</p>`;
  const leftOut = rows.some((r) => (r.nonFinite ?? 0) > 0);
  const headings = [...(multipleOutputs ? ['output'] : []), 'statistic', 'observed', 'predictive distribution', 'median', '90% interval', '99% interval', 'p', ...(leftOut ? ['left out'] : [])];
  const head = `<tr>${headings.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const num = (x: number) => `<td class="num">${escapeHtml(Number.isFinite(x) ? formatNumber(x) : 'undefined')}</td>`;
  const interval = (a: number, b: number) => `<td class="num">${Number.isFinite(a) && Number.isFinite(b) ? `${escapeHtml(formatNumber(a))} to ${escapeHtml(formatNumber(b))}` : '—'}</td>`;
  const body = rows
    .map((r) => {
      const cells = [
        ...(multipleOutputs ? [`<td>${escapeHtml(r.output)}</td>`] : []),
        `<th scope="row">${escapeHtml(r.statistic)}</th>`,
        num(r.observed),
        `<td class="strip">${checkStrip(r)}</td>`,
        num(r.q50),
        interval(r.q05, r.q95),
        interval(r.q005, r.q995),
        `<td class="num p">${escapeHtml(formatPValue(r.pValue))}${r.flagged ? ' <span class="flag">flagged</span>' : ''}</td>`,
        ...(leftOut ? [`<td class="num">${r.nonFinite ?? 0}</td>`] : []),
      ];
      return `<tr${r.flagged ? ' class="flagged"' : ''}>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `${summary}\n${legend}\n<table class="checks">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Styles of the checks section (kept beside its markup). */
export const checksCss = `
p.checks-summary { padding: 8px 12px; border-radius: 4px; margin: 0 0 8px; max-width: 1000px; font-size: 15px; line-height: 1.4; }
p.checks-summary.ok { background: #eaf5ea; border-left: 4px solid #54a24b; }
p.checks-summary.flagged { background: #fdecea; border-left: 4px solid #c0392b; }
p.checks-legend { color: #555; font-size: 13px; max-width: 1000px; line-height: 1.5; }
.checks-legend span { display: inline-block; vertical-align: middle; }
.key-observed { color: #e4572e; font-size: 14px; }
.key-bar99 { width: 22px; height: 8px; background: #c6dbef; }
.key-bar90 { width: 22px; height: 8px; background: #6baed6; }
.key-median { width: 2px; height: 14px; background: #08519c; }
table.checks td.num { white-space: nowrap; }
table.checks td.strip { padding: 2px 8px; }
table.checks svg.strip { display: block; }
table.checks tr.flagged { background: #fdecea; }
table.checks tr.flagged td.p { color: #a93226; font-weight: 600; }
span.flag { display: inline-block; margin-left: 4px; padding: 0 5px; border-radius: 3px; background: #c0392b; color: white; font-size: 11px; font-weight: 600; }
`;
