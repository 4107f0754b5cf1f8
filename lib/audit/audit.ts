// audit(): every gradient estimator and setting that applies to a model, measured against an
// unbiased reference at one parameter point: mean, standard error, bias, variance, cost, and the
// setting with the lowest mean-squared error per second.
import { performance } from 'node:perf_hooks';

import { gradient, type GradientOptions, type GradientResult } from '../gradient.js';
import { deriveSeed } from '../gvi/random.js';
import type { Model } from '../models/model.js';
import { resolveAuditOptions, type ResolvedAuditOptions } from './options.js';
import { probeModel } from './probe.js';
import { recommend } from './recommend.js';
import { discreteOf, settingLabel } from './settings.js';
import { auditRow } from './statistics.js';
import type { AuditOptions, AuditReference, AuditResult, AuditRow, AuditSetting, AuditSkipped, AuditStructure } from './types.js';

/** The purpose index of the reference's seed (gvi/random's deriveSeed; fit uses 1 to 4). */
const referencePurpose = 11;

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

function gradientOptions(resolved: ResolvedAuditOptions, setting: AuditSetting, replicates: number, seed: number): GradientOptions {
  return {
    loss: resolved.loss,
    estimator: setting.estimator,
    tangents: resolved.parameters,
    replicates,
    seed,
    discrete: discreteOf(setting, resolved.sharpness),
    dtype: resolved.dtype,
    ...(resolved.step === undefined ? {} : { step: resolved.step }),
    ...(resolved.backend === undefined ? {} : { backend: resolved.backend }),
    ...(resolved.threads === undefined ? {} : { threads: resolved.threads }),
    ...(resolved.signal === undefined ? {} : { signal: resolved.signal }),
  };
}

/** The seed of the reference: derived from the audit's, so that its replicates are not the rows'. */
export function referenceSeed(seed: number): number {
  return deriveSeed(seed, referencePurpose, 0);
}

export async function computeReference(model: Model, theta: Record<string, number>, resolved: ResolvedAuditOptions): Promise<AuditReference> {
  const setting: AuditSetting = resolved.reference.estimator === 'score'
    ? { estimator: 'score', mode: 'score', tau: null }
    : { estimator: 'finite-difference', mode: 'exact', tau: null };
  const seed = referenceSeed(resolved.seed);
  const start = performance.now();
  const result = await gradient(model, theta, gradientOptions(resolved, setting, resolved.reference.replicates, seed));
  return {
    setting,
    label: settingLabel(setting),
    replicates: result.replicates,
    dropped: result.dropped,
    seed,
    seconds: seconds(start),
    mean: result.grad,
    stderr: result.stderr,
  };
}

/**
 * The audit of `resolved` at `theta`; `reference` reuses one computed before with the same
 * options (fit's preflight widens an audit of one setting this way).
 */
export async function runAudit(model: Model, theta: Record<string, number>, resolved: ResolvedAuditOptions, reference?: AuditReference): Promise<AuditResult> {
  const began = performance.now();
  const { parameters: names } = resolved;
  let settings = resolved.settings;
  let skipped: AuditSkipped[] = [];
  let structure: AuditStructure | null = null;
  // Steps: the probe, the reference, and each setting; the total shrinks once the probe has skipped some.
  let total = (resolved.explicit ? 0 : 1) + (reference ? 0 : 1) + settings.length;
  let done = 0;
  const report = (phase: 'probe' | 'reference' | 'setting', label: string, time: number) => {
    done += 1;
    resolved.onProgress?.({ phase, label, done, total, seconds: time });
  };

  if (!resolved.explicit) {
    const start = performance.now();
    const outcome = await probeModel(model, theta, names, settings, resolved);
    ({ structure, settings, skipped } = outcome);
    total = 1 + (reference ? 0 : 1) + settings.length;
    report('probe', 'probe', seconds(start));
    if (resolved.reference.estimator === 'score' && structure.thresholds) {
      throw new RangeError(
        "reference.estimator 'score' would be biased here: hard thresholds of this model depend on the parameters, and score leaves them out; use 'finite-difference'",
      );
    }
  }
  if (!reference) {
    reference = await computeReference(model, theta, resolved);
    report('reference', reference.label, reference.seconds);
  }

  const rows: AuditRow[] = [];
  for (const setting of settings) {
    const label = settingLabel(setting);
    const start = performance.now();
    let result: GradientResult;
    try {
      result = await gradient(model, theta, gradientOptions(resolved, setting, resolved.replicates, resolved.seed));
    } catch (error) {
      // A setting whose every replicate overflows is reported, not fatal; anything else is.
      if (!(error instanceof RangeError) || !/every one of the/.test(error.message)) throw error;
      skipped.push({ setting, label, reason: error.message });
      report('setting', label, seconds(start));
      continue;
    }
    const time = seconds(start);
    for (const parameter of names) {
      rows.push(auditRow({ setting, label, parameter, result, reference, seconds: time, replicates: resolved.replicates, significance: resolved.significance }));
    }
    report('setting', label, time);
  }

  return {
    model: model.name,
    theta: { ...theta },
    parameters: [...names],
    loss: resolved.loss.name,
    seed: resolved.seed,
    replicates: resolved.replicates,
    dtype: resolved.dtype,
    significance: resolved.significance,
    structure,
    reference,
    rows,
    skipped,
    recommendation: recommend(rows, names),
    seconds: seconds(began),
  };
}

/**
 * Audits the gradient estimators of `model` at `theta` (natural units) for `options.loss`: for each
 * setting that applies (pathwise relaxed and straight-through at each τ, smoothed; score; finite
 * differences with common random numbers), per parameter, the mean and standard error of the
 * gradient, its bias against an unbiased reference (finite differences of the exact simulator at
 * 4 × the replicates, on a seed of its own), whether that bias is significant, the variance, the
 * cost per replicate, and the mean-squared error of an estimate that costs one second; and the
 * setting that makes that error lowest. docs/api.md#audit defines every number.
 */
export async function audit(model: Model, theta: Record<string, number>, options: AuditOptions): Promise<AuditResult> {
  const resolved = resolveAuditOptions(model, theta, options);
  return runAudit(model, theta, resolved);
}
