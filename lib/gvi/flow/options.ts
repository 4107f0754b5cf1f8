// The configuration of the normalizing-flow family: fit's `flow` option, validated.
import { invalidType, isPlainObject, outOfRange } from '../../errors.js';

export interface FlowOptions {
  /** Spline layers (default 4), each autoregressive, the order reversed between layers. */
  layers?: number;
  /** Bins of each rational-quadratic spline (default 8). */
  bins?: number;
  /** Hidden units of each conditioner network (default 16). */
  hidden?: number;
}

export interface FlowConfig {
  layers: number;
  bins: number;
  hidden: number;
  /** The splines act on [−bound, bound] and are the identity outside. */
  bound: number;
}

/**
 * Half-width of the splines' interval. The splines act on the standardised variable before the
 * affine μ + σ ⊙ ·: 5 leaves room to separate modes several σ apart while the tails (identity)
 * carry under 1e-6 of N(0, 1)'s mass.
 */
export const FLOW_BOUND = 5;

const ranges = { layers: [1, 16, 4], bins: [2, 64, 8], hidden: [1, 256, 16] } as const;

export function flowConfig(options: unknown): FlowConfig {
  if (options !== undefined && !isPlainObject(options)) throw invalidType('flow', 'an object { layers?, bins?, hidden? }', options);
  const given = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in ranges)) throw new TypeError(`flow.${key} is not a flow option; the options are layers, bins and hidden`);
  }
  const pick = (name: keyof typeof ranges): number => {
    const [low, high, fallback] = ranges[name];
    const value = given[name];
    if (value === undefined) return fallback;
    const allowed = `an integer in [${low}, ${high}]`;
    if (typeof value !== 'number') throw invalidType(`flow.${name}`, allowed, value);
    if (!Number.isInteger(value) || value < low || value > high) throw outOfRange(`flow.${name}`, allowed, value);
    return value;
  };
  return { layers: pick('layers'), bins: pick('bins'), hidden: pick('hidden'), bound: FLOW_BOUND };
}
