// What fit, audit and diagnose set up alike from their flags: the model at its size, synthetic
// data at a truth, and the command line's priors.
import { defaultPrior } from '../gvi/parameters.js';
import { logNormal, type Prior } from '../gvi/priors.js';
import type { Model } from '../models/model.js';
import { simulatedRows } from '../observed.js';
import { simulate } from '../simulate.js';
import { integerFlag, UsageError } from './args.js';
import type { ResolvedModel } from './model-flag.js';

/** The model with --agents and --steps applied; `rows` (of data read from a file) sets the steps by default. */
export function sizedModel(chosen: ResolvedModel, flags: { agents?: string; steps?: string }, rows?: number): Model {
  const size: Record<string, number> = {};
  const agents = integerFlag('agents', flags.agents);
  const steps = integerFlag('steps', flags.steps) ?? rows;
  if (agents !== undefined) size['agents'] = agents;
  if (steps !== undefined) size['steps'] = steps;
  return chosen.make(size);
}

/** One replicate simulated at `truth` with exact draws: the rows t = 1..T. */
export async function syntheticData(model: Model, truth: Record<string, number>, seed: number): Promise<number[][]> {
  const sim = await simulate(model, truth, { seed, replicates: 1, discrete: { mode: 'exact' } });
  if (sim.shape.times < 3) throw new UsageError('synthetic data needs steps >= 2');
  return simulatedRows(sim.values, sim.shape.times, sim.shape.outputs);
}

/** The command line's priors: logNormal(0, 1) on positive parameters, fit's defaults on the others. */
export function commandLinePriors(model: Model, free: readonly string[] | undefined): Record<string, Prior> {
  return Object.fromEntries(
    model.parameters
      .filter((p) => free === undefined || free.includes(p.name))
      .map((p) => [p.name, p.constraint === 'positive' ? logNormal(0, 1) : defaultPrior(p.constraint)]),
  );
}
