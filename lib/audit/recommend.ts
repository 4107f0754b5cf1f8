// The recommendation: the setting with the lowest mean-squared error per second. One setting serves
// every parameter, whose gradients have different scales, so each parameter's msePerSecond is
// divided by the lowest any setting reaches for it, and the setting whose largest such ratio is
// smallest wins (ties: the one that ran first).
import type { AuditRecommendation, AuditRow, AuditSetting } from './types.js';

function ratioTo(best: number, value: number): number {
  if (best > 0) return value / best;
  return value === best ? 1 : Infinity;
}

export function recommend(rows: readonly AuditRow[], parameters: readonly string[]): AuditRecommendation | null {
  const bySetting = new Map<string, { setting: AuditSetting; rows: Map<string, AuditRow> }>();
  for (const row of rows) {
    const entry = bySetting.get(row.label) ?? { setting: row.setting, rows: new Map<string, AuditRow>() };
    entry.rows.set(row.parameter, row);
    bySetting.set(row.label, entry);
  }
  // Settings with a missing or non-finite number for some parameter are not candidates.
  const candidates = [...bySetting.entries()].filter(([, e]) =>
    parameters.every((p) => {
      const row = e.rows.get(p);
      return row !== undefined && Number.isFinite(row.msePerSecond) && row.msePerSecond >= 0;
    }),
  );
  if (candidates.length === 0) return null;
  const perParameter: Record<string, string> = {};
  const best: Record<string, number> = {};
  for (const p of parameters) {
    let label = candidates[0]![0];
    let lowest = Infinity;
    for (const [l, e] of candidates) {
      const value = e.rows.get(p)!.msePerSecond;
      if (value < lowest) [lowest, label] = [value, l];
    }
    perParameter[p] = label;
    best[p] = lowest;
  }
  let chosen = candidates[0]!;
  let chosenRatio = Infinity;
  for (const candidate of candidates) {
    const worst = Math.max(...parameters.map((p) => ratioTo(best[p]!, candidate[1].rows.get(p)!.msePerSecond)));
    if (worst < chosenRatio) [chosen, chosenRatio] = [candidate, worst];
  }
  return { setting: chosen[1].setting, label: chosen[0], worstRatio: chosenRatio, perParameter };
}
