/** HTML tables of the report. */
import { escapeHtml } from './escape.js';
import { formatNumber } from './format.js';
import type { ReportPosteriorRow } from './types.js';

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
