// The structure probe: which of the audit's candidate settings apply to a model, found by trying.
// A few replicates of the model are run under each pathwise mode with the same random numbers, and
// their values and tangents compared bit for bit:
// - a mode whose numbers equal the exact mode's has nothing discrete to act on;
// - the straight-through tangents at two threshold slopes k differ only if a hard threshold's input
//   depends on the audited parameters;
// - the score mode's d log p(draws) is non-zero only if a Bernoulli probability does;
// - settings with identical numbers (every τ of a mode, or smoothed and straight-through, on a model
//   whose draws do not depend on the parameters) are the same estimator, run once.
import type { Model } from '../models/model.js';
import type { BackendChoice, DiscreteModeName } from '../native.js';
import { simulate, type Simulation } from '../simulate.js';
import { defaultTau, discreteOf, settingLabel } from './settings.js';
import type { AuditSetting, AuditSkipped, AuditStructure } from './types.js';

const probeReplicates = 4;
const probeSeed = 20261207;
const defaultSharpness = 5;

export interface ProbeContext {
  backend: BackendChoice | undefined;
  threads: number | undefined;
  signal: AbortSignal | undefined;
  sharpness: number | undefined;
}

export interface ProbeOutcome {
  structure: AuditStructure;
  /** The candidates that apply, in order (a mode whose τ has no effect appears once, with τ null). */
  settings: AuditSetting[];
  skipped: AuditSkipped[];
}

function fingerprint(sim: Simulation): Float64Array {
  const out = new Float64Array(sim.values.length + (sim.tangents?.length ?? 0));
  out.set(sim.values, 0);
  if (sim.tangents) out.set(sim.tangents, sim.values.length);
  return out;
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

export async function probeModel(
  model: Model,
  theta: Record<string, number>,
  names: readonly string[],
  candidates: readonly AuditSetting[],
  context: ProbeContext,
): Promise<ProbeOutcome> {
  const sharpness = context.sharpness ?? defaultSharpness;
  const run = (discrete: { mode: DiscreteModeName; tau?: number; sharpness?: number }) =>
    simulate(model, theta, {
      replicates: probeReplicates,
      seed: probeSeed,
      tangents: [...names],
      discrete: { sharpness, ...discrete },
      dtype: 'float64',
      backend: context.backend,
      threads: context.threads,
      signal: context.signal,
      nonFinite: 'keep',
    });
  const cache = new Map<string, Float64Array>();
  const numbersOf = async (setting: AuditSetting) => {
    const label = settingLabel(setting);
    let numbers = cache.get(label);
    if (!numbers) {
      numbers = fingerprint(await run(discreteOf(setting, sharpness)));
      cache.set(label, numbers);
    }
    return numbers;
  };

  const exact = await numbersOf({ estimator: 'pathwise', mode: 'exact', tau: null });
  const score = await run({ mode: 'score' });
  const K = names.length;
  let bernoulli = false;
  for (let r = 0; r < probeReplicates && !bernoulli; r++) {
    for (let k = 0; k < K; k++) if (score.logProb![r * (1 + K) + 1 + k] !== 0) bernoulli = true;
  }
  const straight = await run({ mode: 'straight-through', tau: defaultTau });
  const steeper = await run({ mode: 'straight-through', tau: defaultTau, sharpness: 1.5 * sharpness });
  const thresholds = !same(straight.tangents!, steeper.tangents!);
  let discrete = bernoulli || thresholds || !same(fingerprint(straight), exact);
  for (const mode of ['relaxed', 'smoothed'] as const) {
    if (!discrete) discrete = !same(await numbersOf({ estimator: 'pathwise', mode, tau: mode === 'relaxed' ? defaultTau : null }), exact);
  }
  const structure: AuditStructure = { discrete, bernoulli, thresholds };

  const settings: AuditSetting[] = [];
  const skipped: AuditSkipped[] = [];
  const skip = (setting: AuditSetting, reason: string, sameAs?: string) =>
    skipped.push({ setting, label: settingLabel(setting), reason, ...(sameAs === undefined ? {} : { sameAs }) });
  const pathwise = candidates.filter((s) => s.estimator === 'pathwise');
  if (!discrete) {
    if (pathwise.length > 0) settings.push({ estimator: 'pathwise', mode: 'exact', tau: null });
    for (const s of pathwise) {
      if (s.mode !== 'exact') skip(s, 'no discrete draw or threshold changes the numbers of this model: every mode is pathwise exact', 'pathwise exact');
    }
  } else {
    // A mode whose every τ gives the same numbers runs once, with τ null.
    const kept: Array<{ setting: AuditSetting; numbers: Float64Array }> = [];
    const collapsed = new Set<DiscreteModeName>();
    const handled = new Set<string>();
    for (const mode of ['relaxed', 'straight-through'] as const) {
      const ofMode = pathwise.filter((s) => s.mode === mode);
      if (ofMode.length < 2) continue;
      const first = await numbersOf(ofMode[0]!);
      let all = true;
      for (const s of ofMode.slice(1)) if (!same(await numbersOf(s), first)) all = false;
      if (all) collapsed.add(mode);
    }
    for (const s of pathwise) {
      const numbers = await numbersOf(s);
      if (collapsed.has(s.mode)) {
        const once: AuditSetting = { ...s, tau: null };
        if (handled.has(settingLabel(once))) {
          skip(s, `τ has no effect on pathwise ${s.mode} for this model: run once as '${settingLabel(once)}'`, settingLabel(once));
          continue;
        }
        handled.add(settingLabel(once));
        const twin = kept.find((k) => same(k.numbers, numbers));
        if (twin) {
          skip(once, `the same numbers as '${settingLabel(twin.setting)}' on this model`, settingLabel(twin.setting));
          continue;
        }
        kept.push({ setting: once, numbers });
        settings.push(once);
        continue;
      }
      const twin = kept.find((k) => same(k.numbers, numbers));
      if (twin) {
        skip(s, `the same numbers as '${settingLabel(twin.setting)}' on this model`, settingLabel(twin.setting));
        continue;
      }
      kept.push({ setting: s, numbers });
      settings.push(s);
    }
  }
  for (const s of candidates) {
    if (s.estimator === 'score') {
      if (!bernoulli) skip(s, 'no Bernoulli probability depends on the parameters: score is pathwise exact here');
      else if (thresholds) skip(s, 'score leaves out the hard thresholds, whose inputs depend on the parameters here: it would be biased');
      else settings.push(s);
    }
  }
  for (const s of candidates) if (s.estimator === 'finite-difference') settings.push(s);
  return { structure, settings, skipped };
}
