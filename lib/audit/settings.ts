// Audit settings: their normal form, their labels, and the candidates the audit enumerates.
import { invalidType, isPlainObject, outOfRange } from '../errors.js';
import type { Estimator } from '../gradient.js';
import type { DiscreteModeName } from '../native.js';
import type { AuditPathwiseMode, AuditSetting, AuditSettingInput } from './types.js';

export const auditEstimators: readonly Estimator[] = ['pathwise', 'score', 'finite-difference'];
export const auditPathwiseModes: readonly AuditPathwiseMode[] = ['relaxed', 'straight-through', 'smoothed'];
const pathwiseModes: readonly DiscreteModeName[] = ['relaxed', 'straight-through', 'smoothed', 'exact', 'score'];
const differenceModes: readonly DiscreteModeName[] = ['exact', 'straight-through', 'smoothed', 'relaxed', 'score'];

/** simulate's default Concrete temperature. */
export const defaultTau = 0.1;

function usesTau(mode: DiscreteModeName): boolean {
  return mode === 'relaxed' || mode === 'straight-through';
}

/**
 * The normal form of a setting, so that settings that run the same computation compare equal:
 * score ignores mode and τ; pathwise 'score' mode is 'exact' (its tangents of draws are zero);
 * finite differences of any mode with exact samples are 'exact'; τ is null where it does not
 * matter, and simulate's 0.1 where it does and was left out.
 */
export function normaliseSetting(input: AuditSettingInput, name = 'setting'): AuditSetting {
  if (!isPlainObject(input as unknown)) throw invalidType(name, "an object { estimator, mode?, tau? }", input);
  const { estimator, mode, tau } = input;
  if (!auditEstimators.includes(estimator)) throw outOfRange(`${name}.estimator`, `one of ${auditEstimators.map((e) => `'${e}'`).join(', ')}`, estimator);
  if (tau !== undefined && tau !== null && (typeof tau !== 'number' || !(tau > 0) || !Number.isFinite(tau))) {
    throw (typeof tau === 'number' ? outOfRange : invalidType)(`${name}.tau`, 'a finite number > 0 or null', tau);
  }
  if (estimator === 'score') return { estimator, mode: 'score', tau: null };
  const allowed = estimator === 'pathwise' ? pathwiseModes : differenceModes;
  if (mode !== undefined && !allowed.includes(mode)) throw outOfRange(`${name}.mode`, `one of ${allowed.map((m) => `'${m}'`).join(', ')}`, mode);
  let resolved: DiscreteModeName = mode ?? (estimator === 'pathwise' ? 'straight-through' : 'exact');
  if (estimator === 'pathwise' && resolved === 'score') resolved = 'exact';
  if (estimator === 'finite-difference' && resolved !== 'relaxed') resolved = 'exact';
  return { estimator, mode: resolved, tau: usesTau(resolved) ? (tau ?? defaultTau) : null };
}

/** A short, unique, ASCII name of a normalised setting, e.g. 'pathwise straight-through tau=0.1'. */
export function settingLabel(setting: AuditSetting): string {
  if (setting.estimator === 'score') return 'score';
  const tau = setting.tau === null ? '' : ` tau=${setting.tau}`;
  if (setting.estimator === 'finite-difference') return setting.mode === 'exact' ? 'finite-difference' : `finite-difference ${setting.mode}${tau}`;
  return `pathwise ${setting.mode}${tau}`;
}

/** The candidates in the order the audit runs them: relaxed and straight-through at each τ, smoothed, score, finite differences. */
export function candidateSettings(estimators: readonly Estimator[], modes: readonly AuditPathwiseMode[], taus: readonly number[]): AuditSetting[] {
  const settings: AuditSetting[] = [];
  if (estimators.includes('pathwise')) {
    for (const mode of ['relaxed', 'straight-through'] as const) {
      if (modes.includes(mode)) for (const tau of taus) settings.push({ estimator: 'pathwise', mode, tau });
    }
    if (modes.includes('smoothed')) settings.push({ estimator: 'pathwise', mode: 'smoothed', tau: null });
  }
  if (estimators.includes('score')) settings.push({ estimator: 'score', mode: 'score', tau: null });
  if (estimators.includes('finite-difference')) settings.push({ estimator: 'finite-difference', mode: 'exact', tau: null });
  return settings;
}

/** The discrete options of a simulation under `setting` (τ left to simulate's default where null). */
export function discreteOf(setting: AuditSetting, sharpness: number | undefined): { mode: DiscreteModeName; tau?: number; sharpness?: number } {
  return {
    mode: setting.mode,
    ...(setting.tau === null ? {} : { tau: setting.tau }),
    ...(sharpness === undefined ? {} : { sharpness }),
  };
}
