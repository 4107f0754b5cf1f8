// An audit as text and as flat records: the table `agentgrad audit` prints and the rows of audit.csv.
import type { AuditResult, AuditRow } from './types.js';

/** 4 significant digits; exponent notation for very large or small magnitudes. */
export function formatAuditNumber(x: number | null): string {
  if (x === null) return '—';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e5 || abs < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

function percent(x: number | null): string {
  return x === null ? '—' : `${(100 * x).toFixed(1)}%`;
}

export const auditColumns = ['setting', 'parameter', 'mean', 's.e.', 'bias', 'rel. bias', 'z', 'sd', 'ms/replicate', 'MSE/s'] as const;

/** The cells of one row as the table shows them; a significant bias is marked '!'. */
export function auditCells(row: AuditRow): string[] {
  return [
    row.label,
    row.parameter,
    formatAuditNumber(row.mean),
    formatAuditNumber(row.stderr),
    formatAuditNumber(row.bias) + (row.significant ? ' !' : ''),
    percent(row.relativeBias),
    formatAuditNumber(row.z),
    formatAuditNumber(Math.sqrt(row.variance)),
    formatAuditNumber(row.secondsPerReplicate * 1000),
    formatAuditNumber(row.msePerSecond),
  ];
}

/** A fixed-width table of every row, the reference, what was skipped and the recommendation. */
export function formatAuditTable(result: AuditResult): string {
  const recommended = result.recommendation?.label;
  const body = result.rows.map((row) => {
    const cells = auditCells(row);
    cells[0] = `${row.label === recommended ? '*' : ' '} ${cells[0]}`;
    return cells;
  });
  const header: string[] = [...auditColumns];
  header[0] = `  ${header[0]}`;
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((cells) => cells[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  const reference = result.reference;
  const lines = [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    `reference: ${reference.label}, ${reference.replicates} replicates (seed ${reference.seed}, ${reference.seconds.toFixed(2)} s): ` +
      result.parameters.map((p) => `${p} ${formatAuditNumber(reference.mean[p]!)} ± ${formatAuditNumber(reference.stderr[p]!)}`).join(', '),
    `! significant bias, |z| > ${result.significance}; MSE/s: mean-squared error of an estimate that costs one second`,
  ];
  for (const s of result.skipped) lines.push(`skipped ${s.label}: ${s.reason}`);
  if (result.recommendation) {
    const r = result.recommendation;
    lines.push(`* recommended: ${r.label} (lowest mean-squared error per second${result.parameters.length > 1 ? `; at most ${formatAuditNumber(r.worstRatio)} × the best for any parameter` : ''})`);
  } else {
    lines.push('no recommendation: no setting gave finite numbers for every parameter');
  }
  return lines.join('\n');
}

/** One flat record per row, for CSV. */
export function auditRecords(result: AuditResult): Array<Record<string, string | number | boolean | null>> {
  return result.rows.map((row) => ({
    setting: row.label,
    estimator: row.setting.estimator,
    mode: row.setting.mode,
    tau: row.setting.tau,
    parameter: row.parameter,
    mean: row.mean,
    stderr: row.stderr,
    variance: row.variance,
    replicates: row.replicates,
    dropped: row.dropped,
    reference: row.reference,
    referenceStderr: row.referenceStderr,
    bias: row.bias,
    biasStderr: row.biasStderr,
    relativeBias: row.relativeBias,
    z: row.z,
    significant: row.significant,
    seconds: row.seconds,
    secondsPerReplicate: row.secondsPerReplicate,
    costPerEffectiveSample: row.costPerEffectiveSample,
    msePerSecond: row.msePerSecond,
    recommended: row.label === result.recommendation?.label,
  }));
}

export const auditRecordColumns = [
  'setting', 'estimator', 'mode', 'tau', 'parameter', 'mean', 'stderr', 'variance', 'replicates', 'dropped', 'reference', 'referenceStderr',
  'bias', 'biasStderr', 'relativeBias', 'z', 'significant', 'seconds', 'secondsPerReplicate', 'costPerEffectiveSample', 'msePerSecond', 'recommended',
] as const;
