// The public shapes of a gradient audit: its options, its settings, its rows and its result.
import type { Estimator } from '../gradient.js';
import type { Loss } from '../losses/loss.js';
import type { BackendChoice, DiscreteModeName, Dtype } from '../native.js';

/**
 * One way of estimating d E[loss] / dθ: an estimator of gradient() and the discrete mode of its
 * simulations. `tau` is the Concrete temperature where it matters (relaxed and straight-through
 * draws), else null.
 */
export interface AuditSetting {
  estimator: Estimator;
  /**
   * pathwise: 'relaxed', 'straight-through', 'smoothed' or 'exact'; finite-difference: 'exact'
   * (any mode whose primal is the exact sample) or 'relaxed'; score: 'score'.
   */
  mode: DiscreteModeName;
  tau: number | null;
}

/** A setting as a caller may write it: mode and tau may be left out (see normaliseSetting). */
export interface AuditSettingInput {
  estimator: Estimator;
  mode?: DiscreteModeName;
  tau?: number | null;
}

/** Pathwise modes that the audit enumerates (`exact` only for models without discrete draws). */
export type AuditPathwiseMode = 'relaxed' | 'straight-through' | 'smoothed';

export interface AuditReferenceOptions {
  /**
   * The unbiased estimator the rows are compared with (default 'finite-difference': central
   * differences of the exact simulator with common random numbers). 'score' is unbiased only where
   * no hard threshold depends on the parameters.
   */
  estimator?: 'finite-difference' | 'score';
  /** Replicates of the reference (default 4 × replicates). */
  replicates?: number;
}

export interface AuditProgress {
  /** 'probe': the structure of the model; 'reference': the reference; 'setting': one row's setting. */
  phase: 'probe' | 'reference' | 'setting';
  /** The setting's label (the reference's for phase 'reference'). */
  label: string;
  /** Steps finished, out of `total` (probe, reference and every setting to run). */
  done: number;
  total: number;
  /** Wall seconds of this step. */
  seconds: number;
}

export interface AuditOptions {
  /** The loss whose expectation is differentiated (required). */
  loss: Loss;
  /** Parameters to audit (default all). */
  parameters?: readonly string[];
  /** Replicates per setting (default 256). */
  replicates?: number;
  /** Concrete temperatures of the relaxed and straight-through settings (default [0.05, 0.1, 0.25, 0.5, 1]). */
  taus?: readonly number[];
  /** Estimators to audit (default all that apply). */
  estimators?: readonly Estimator[];
  /** Pathwise modes to audit (default 'relaxed', 'straight-through', 'smoothed'). */
  modes?: readonly AuditPathwiseMode[];
  /** Exactly these settings instead of the enumeration (no structure probe, nothing skipped). */
  settings?: readonly AuditSettingInput[];
  reference?: AuditReferenceOptions;
  /** |z| above which a bias counts as significant (default 3). */
  significance?: number;
  /** Finite-difference step relative to max(|θ|, 1e-3) (default 1e-2), rows and reference alike. */
  step?: number;
  /** Slope of the threshold surrogate (default 5, as simulate). */
  sharpness?: number;
  /** Seed of the rows (default 0); the reference uses a seed derived from it. */
  seed?: number;
  dtype?: Dtype;
  backend?: BackendChoice;
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (progress: AuditProgress) => void;
}

/** What the probe found out about the model at θ (null where `settings` was given). */
export interface AuditStructure {
  /** Some discrete draw or threshold changes the values or tangents. */
  discrete: boolean;
  /** Some Bernoulli draw's probability depends on the audited parameters (d log p ≠ 0). */
  bernoulli: boolean;
  /** Some hard threshold's input depends on the audited parameters (the surrogate's slope matters). */
  thresholds: boolean;
}

export interface AuditRow {
  setting: AuditSetting;
  label: string;
  parameter: string;
  /** Mean of the per-replicate gradient estimates. */
  mean: number;
  /** Standard error of `mean`. */
  stderr: number;
  /** Variance of one replicate's estimate (stderr² × replicates). */
  variance: number;
  /** Replicates kept (finite loss and gradient) and dropped. */
  replicates: number;
  dropped: number;
  reference: number;
  referenceStderr: number;
  /** mean − reference, and its standard error sqrt(stderr² + referenceStderr²). */
  bias: number;
  biasStderr: number;
  /**
   * bias / reference (= mean / reference − 1) where the reference differs significantly from 0, else
   * null: −0.32 means 32% short of the reference in its direction, whatever its sign.
   */
  relativeBias: number | null;
  /** bias / biasStderr. */
  z: number;
  /** |z| > significance. */
  significant: boolean;
  /** Wall seconds of the setting (all parameters together), per replicate run, and per replicate kept. */
  seconds: number;
  secondsPerReplicate: number;
  costPerEffectiveSample: number;
  /**
   * Mean-squared error of an estimate that costs one second: bias² (debiased, bias² − biasStderr²,
   * and counted only when significant) + variance × costPerEffectiveSample.
   */
  msePerSecond: number;
}

export interface AuditReference {
  setting: AuditSetting;
  label: string;
  replicates: number;
  dropped: number;
  seed: number;
  seconds: number;
  mean: Record<string, number>;
  stderr: Record<string, number>;
}

export interface AuditSkipped {
  setting: AuditSetting;
  label: string;
  reason: string;
  /** The label of the setting that was run instead, where this one gives the same numbers. */
  sameAs?: string;
}

export interface AuditRecommendation {
  setting: AuditSetting;
  label: string;
  /**
   * The recommended setting's largest ratio, over the parameters, of its msePerSecond to the
   * lowest msePerSecond of any setting for that parameter (1: best for every parameter).
   */
  worstRatio: number;
  /** The setting with the lowest msePerSecond for each parameter alone. */
  perParameter: Record<string, string>;
}

export interface AuditResult {
  model: string;
  theta: Record<string, number>;
  parameters: string[];
  loss: string;
  seed: number;
  replicates: number;
  dtype: Dtype;
  significance: number;
  structure: AuditStructure | null;
  reference: AuditReference;
  /** One row per setting and parameter, settings in the order they ran. */
  rows: AuditRow[];
  /** Settings that were not run, and why. */
  skipped: AuditSkipped[];
  /** The setting with the lowest mean-squared error per second (null without rows). */
  recommendation: AuditRecommendation | null;
  /** Wall seconds of the whole audit. */
  seconds: number;
}
