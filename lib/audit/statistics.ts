// The numbers of one audit row: bias against the reference, its significance, variance, cost and
// the mean-squared error of an estimate that costs one second.
import type { GradientResult } from '../gradient.js';
import type { AuditReference, AuditRow, AuditSetting } from './types.js';

export interface RowInput {
  setting: AuditSetting;
  label: string;
  parameter: string;
  result: GradientResult;
  reference: AuditReference;
  /** Wall seconds of the setting's gradient() call. */
  seconds: number;
  /** Replicates requested. */
  replicates: number;
  significance: number;
}

function ratio(numerator: number, denominator: number): number {
  if (denominator !== 0) return numerator / denominator;
  return numerator === 0 ? 0 : Math.sign(numerator) * Infinity;
}

/**
 * bias = mean − reference with standard error sqrt(se² + se_ref²) (the two are independent: the
 * reference runs on a seed of its own); z = bias / that; significant when |z| > significance.
 * relativeBias = bias / reference = mean / reference − 1 where |reference| > significance × se_ref,
 * else null: −0.32 means 32% short of the reference in its direction, whatever its sign.
 * msePerSecond = b² + variance × costPerEffectiveSample, with b² = bias² − biasStderr² (an unbiased
 * estimate of the squared bias) when the bias is significant and 0 when it is not.
 */
export function auditRow(input: RowInput): AuditRow {
  const { result, reference, parameter, significance } = input;
  const mean = result.grad[parameter]!;
  const stderr = result.stderr[parameter]!;
  const kept = result.replicates;
  const variance = stderr * stderr * kept;
  const ref = reference.mean[parameter]!;
  const refStderr = reference.stderr[parameter]!;
  const bias = mean - ref;
  const biasStderr = Math.sqrt(stderr * stderr + refStderr * refStderr);
  const z = ratio(bias, biasStderr);
  const significant = Math.abs(z) > significance;
  const relativeBias = Math.abs(ref) > significance * refStderr && ref !== 0 ? bias / ref : null;
  const secondsPerReplicate = input.seconds / input.replicates;
  const costPerEffectiveSample = input.seconds / kept;
  const squaredBias = significant ? Math.max(bias * bias - biasStderr * biasStderr, 0) : 0;
  return {
    setting: input.setting,
    label: input.label,
    parameter,
    mean,
    stderr,
    variance,
    replicates: kept,
    dropped: result.dropped,
    reference: ref,
    referenceStderr: refStderr,
    bias,
    biasStderr,
    relativeBias,
    z,
    significant,
    seconds: input.seconds,
    secondsPerReplicate,
    costPerEffectiveSample,
    msePerSecond: squaredBias + variance * costPerEffectiveSample,
  };
}
