// Interventions: time-varying parameter schedules, e.g. a lockdown that multiplies beta by a
// factor from day 30. The factor becomes a parameter of the intervened model, so simulate() carries
// its tangent, gradient() differentiates with respect to it and fit() can even calibrate it.
import { invalidType, isPlainObject, outOfRange } from './errors.js';
import { isModel, type Intervention, type Model, type ParameterInfo } from './models/model.js';

/** At most this many interventions per model (the native schedule's size). */
export const maxInterventions = 4;

export interface InterventionOptions {
  /** The model parameter to scale, e.g. 'beta'. */
  parameter: string;
  /** First step under the intervention: step t produces the outputs of time t (so from = 30 changes day 30 on). */
  from: number;
  /** First step no longer under it (default: the intervention lasts to the end). */
  to?: number;
  /** Name of the factor parameter (default `${parameter}Factor`). */
  name?: string;
}

function checkStep(option: string, value: unknown, min: number): number {
  const allowed = `an integer >= ${min}`;
  if (typeof value !== 'number') throw invalidType(option, allowed, value);
  if (!Number.isInteger(value) || value < min || value > 2147483647) throw outOfRange(option, allowed, value);
  return value;
}

function checkedIntervention(model: Model, options: unknown): Intervention {
  if (!isPlainObject(options)) throw invalidType('intervention', 'an object { parameter, from, to?, name? }', options);
  const own = model.parameters.slice(0, model.parameters.length - model.interventions.length).map((p) => p.name);
  const parameter = options['parameter'];
  if (typeof parameter !== 'string' || !own.includes(parameter)) {
    throw outOfRange('intervention.parameter', `a parameter of ${model.name} (${own.join(', ')})`, parameter);
  }
  const from = checkStep('intervention.from', options['from'], 0);
  const to = options['to'] === undefined ? undefined : checkStep('intervention.to', options['to'], from + 1);
  const name = options['name'] ?? `${parameter}Factor`;
  if (typeof name !== 'string' || name.length === 0) throw invalidType('intervention.name', 'a non-empty string', name);
  if (model.parameters.some((p) => p.name === name)) {
    throw new RangeError(`intervention.name '${name}' is already a parameter of the model; give the factor another name`);
  }
  return Object.freeze({ name, parameter, from, ...(to === undefined ? {} : { to }) });
}

/**
 * The model with `options.parameter` multiplied by a new positive parameter `options.name`
 * (reference 1: no change) on steps from <= t < to. Interventions compose: apply this again for
 * another, up to four.
 */
export function withIntervention(model: Model, options: InterventionOptions): Model {
  if (!isModel(model)) throw invalidType('model', 'a model from agentgrad models.*()', model);
  if (model.interventions.length >= maxInterventions) {
    throw new RangeError(`a model takes at most ${maxInterventions} interventions; this one has ${model.interventions.length}`);
  }
  const intervention = checkedIntervention(model, options);
  const factor: ParameterInfo = Object.freeze({ name: intervention.name, constraint: 'positive', reference: 1 });
  return Object.freeze({
    ...model,
    parameters: Object.freeze([...model.parameters, factor]),
    reference: Object.freeze({ ...model.reference, [factor.name]: 1 }),
    interventions: Object.freeze([...model.interventions, intervention]),
  });
}
