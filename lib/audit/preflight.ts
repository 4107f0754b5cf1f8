// fit({ preflight }): before the first epoch, a short audit of the gradient estimator the fit is
// about to use, at its initial point, against the unbiased reference; a warning when it is biased.
import { invalidType, isPlainObject, outOfRange } from '../errors.js';
import type { FreeParameter } from '../gvi/parameters.js';
import type { Loss } from '../losses/loss.js';
import type { Model } from '../models/model.js';
import type { SimulateOptions } from '../simulate.js';
import { runAudit } from './audit.js';
import { resolveAuditOptions } from './options.js';
import { recommend } from './recommend.js';
import { normaliseSetting, settingLabel } from './settings.js';
import type { AuditOptions, AuditResult, AuditRow, AuditSetting } from './types.js';

export interface PreflightOptions {
  /** Replicates of the audited setting (default 128). */
  replicates?: number;
  /** Replicates of the reference (default 4 × replicates). */
  referenceReplicates?: number;
  /** |z| above which a bias counts as significant (default 3). */
  significance?: number;
}

export interface PreflightResult {
  /** The fit's gradient estimator and discrete mode, as the audit names it. */
  setting: AuditSetting;
  label: string;
  /** Where it was audited: the fit's initial mean (prior median or initialMean) with the fixed parameters. */
  point: Record<string, number>;
  /** Free parameters whose gradient the setting gets significantly wrong. */
  biased: string[];
  /**
   * The audit: of the fit's setting alone when it is unbiased; when it is biased, of every setting
   * fit can use (pathwise modes and τ, finite differences) against the same reference, for the
   * recommendation.
   */
  audit: AuditResult;
  /** The warning emitted (process.emitWarning, code AGENTGRAD_PREFLIGHT_BIAS), or null. */
  warning: string | null;
}

/** What runPreflight needs of fit's setup (ObjectiveSetup has all of it). */
export interface PreflightInput {
  model: Model;
  params: readonly FreeParameter[];
  loss: Loss;
  estimator: 'pathwise' | 'finite-difference' | 'score';
  seed: number;
  simulation: Pick<SimulateOptions, 'discrete' | 'backend' | 'dtype' | 'threads'>;
}

export const preflightWarningCode = 'AGENTGRAD_PREFLIGHT_BIAS';
const defaultPreflightReplicates = 128;

function checkPreflight(value: unknown): PreflightOptions | null {
  if (value === undefined || value === false) return null;
  if (value === true) return {};
  if (!isPlainObject(value)) throw invalidType('preflight', 'true, false or an object { replicates?, referenceReplicates?, significance? }', value);
  for (const key of Object.keys(value)) {
    if (!['replicates', 'referenceReplicates', 'significance'].includes(key)) {
      throw new TypeError(`preflight.${key} is not an option of preflight; options are replicates, referenceReplicates, significance`);
    }
  }
  for (const key of ['replicates', 'referenceReplicates'] as const) {
    const n = value[key];
    if (n === undefined) continue;
    if (typeof n !== 'number') throw invalidType(`preflight.${key}`, 'an integer in [2, 10000000]', n);
    if (!Number.isInteger(n) || n < 2 || n > 10_000_000) throw outOfRange(`preflight.${key}`, 'an integer in [2, 10000000]', n);
  }
  const significance = value['significance'];
  if (significance !== undefined) {
    if (typeof significance !== 'number') throw invalidType('preflight.significance', 'a finite number > 0', significance);
    if (!(significance > 0) || !Number.isFinite(significance)) throw outOfRange('preflight.significance', 'a finite number > 0', significance);
  }
  return value as PreflightOptions;
}

/**
 * The audit setting of a fit: pathwise with its discrete mode and τ; finite differences of its
 * mode's primal; and for gradientEstimator 'score' (the score of q, which needs no derivative of the
 * simulator and is unbiased for whatever the simulator computes) also finite differences of that
 * primal, which is biased only where the mode relaxes the draws themselves.
 */
export function fitSetting(estimator: PreflightInput['estimator'], discrete: SimulateOptions['discrete']): AuditSetting {
  const mode = discrete?.mode ?? 'straight-through';
  const tau = discrete?.tau;
  if (estimator === 'pathwise') return normaliseSetting({ estimator: 'pathwise', mode, tau });
  return normaliseSetting({ estimator: 'finite-difference', mode, tau });
}

/** The fit options that select `setting`, for the warning. */
function fitOptionsOf(setting: AuditSetting): string {
  const tau = setting.tau === null ? '' : `, tau: ${setting.tau}`;
  if (setting.estimator === 'finite-difference') {
    return `gradientEstimator: 'finite-difference'${setting.mode === 'exact' ? '' : `, discrete: { mode: '${setting.mode}'${tau} }`}`;
  }
  return `gradientEstimator: 'pathwise', discrete: { mode: '${setting.mode}'${tau} }`;
}

function precise(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(3))) : String(x);
}

function describeBias(row: AuditRow): string {
  const relative = row.relativeBias === null ? '' : `${precise(100 * row.relativeBias)}% relative, `;
  return `${row.parameter}: bias ${precise(row.bias)} ± ${precise(row.biasStderr)} (${relative}z = ${precise(row.z)}) against the reference ${precise(row.reference)} ± ${precise(row.referenceStderr)}`;
}

// `runAs`: the label under which the wider audit ran the fit's setting (its own, or the one it
// gives the same numbers as).
function warningText(label: string, runAs: string, rows: AuditRow[], result: AuditResult): string {
  const reference = `${result.reference.label}, ${result.reference.replicates} replicates`;
  const recommendation = result.recommendation;
  const advice = recommendation === null
    ? ''
    : recommendation.label === runAs
      ? ` It still has the lowest mean-squared error per second of the settings fit can use.`
      : ` Lowest mean-squared error per second: ${recommendation.label} (${fitOptionsOf(recommendation.setting)}).`;
  return `fit preflight: the gradient estimator of this fit, ${label}, is biased at the initial point; ` +
    `${rows.map(describeBias).join('; ')} (unbiased reference: ${reference}).${advice} See result.preflight and audit().`;
}

/**
 * Runs the preflight audit at `point` (where the fit starts: every parameter, natural units) when
 * `option` asks for one; emits the warning; undefined otherwise.
 */
export async function runPreflight(
  input: PreflightInput,
  option: unknown,
  point: Record<string, number>,
  signal: AbortSignal | undefined,
): Promise<PreflightResult | undefined> {
  const preflight = checkPreflight(option);
  if (preflight === null) return undefined;
  const setting = fitSetting(input.estimator, input.simulation.discrete);
  const label = settingLabel(setting);
  const common: Omit<AuditOptions, 'replicates'> = {
    loss: input.loss,
    parameters: input.params.map((p) => p.name),
    seed: input.seed,
    ...(preflight.significance === undefined ? {} : { significance: preflight.significance }),
    ...(input.simulation.discrete?.sharpness === undefined ? {} : { sharpness: input.simulation.discrete.sharpness }),
    ...(input.simulation.dtype === undefined ? {} : { dtype: input.simulation.dtype }),
    ...(input.simulation.backend === undefined ? {} : { backend: input.simulation.backend }),
    ...(input.simulation.threads === undefined ? {} : { threads: input.simulation.threads }),
    ...(signal === undefined ? {} : { signal }),
  };
  const replicates = preflight.replicates ?? defaultPreflightReplicates;
  const reference = { replicates: preflight.referenceReplicates ?? 4 * replicates };
  // An abort stops the preflight quietly: fit then sees the signal and returns { aborted: true }.
  const unlessAborted = async (work: () => Promise<AuditResult>): Promise<AuditResult | undefined> => {
    try {
      return await work();
    } catch (error) {
      if ((error as Error).name === 'AbortError') return undefined;
      throw error;
    }
  };
  const first = await unlessAborted(() =>
    runAudit(input.model, point, resolveAuditOptions(input.model, point, { ...common, replicates, reference, settings: [setting] })));
  if (!first) return undefined;
  const biasedRows = first.rows.filter((r) => r.significant);
  if (biasedRows.length === 0) return { setting, label, point, biased: [], audit: first, warning: null };
  // Biased: every setting fit can use, against the same reference, for the recommendation.
  const wide = await unlessAborted(() =>
    runAudit(
      input.model,
      point,
      resolveAuditOptions(input.model, point, { ...common, replicates, reference, estimators: ['pathwise', 'finite-difference'] }),
      first.reference,
    ));
  if (!wide) return undefined;
  // The fit's own setting, where the wider audit has neither run it nor found it the same as one it ran
  // (pathwise exact on a model with discrete draws, say), joins its rows: same reference, same seed.
  if (!wide.rows.some((r) => r.label === label) && !wide.skipped.some((s) => s.label === label)) {
    wide.rows.unshift(...first.rows);
    wide.recommendation = recommend(wide.rows, wide.parameters);
  }
  const runAs = wide.skipped.find((s) => s.label === label)?.sameAs ?? label;
  const warning = warningText(label, runAs, biasedRows, wide);
  process.emitWarning(warning, { code: preflightWarningCode, type: 'AgentgradWarning' });
  return { setting, label, point, biased: biasedRows.map((r) => r.parameter), audit: wide, warning };
}
