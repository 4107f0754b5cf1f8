// What a run is, as workers receive it: a fit's model, loss, priors and simulation settings, or a
// diagnose recipe. Workers rebuild every part through the public factories, so a description is
// checked like user input, and the addon validates the model program like any request.
import { isPlainObject } from '../errors.js';
import type { Recipe } from '../diagnose/recipe.js';
import { priorFrom, priorSpec, type PriorSpec } from '../diagnose/recipe.js';
import type { LossGradientEstimator, ObjectiveSetup, SampleSetup } from '../gvi/objective.js';
import { freeParameters } from '../gvi/parameters.js';
import { withIntervention } from '../interventions.js';
import { lossFromRecipe, type LossRecipe } from '../losses/recipe.js';
import { buildModel, modelInfo, type Intervention, type Model } from '../models/model.js';
import { programIdentity } from '../models/programIdentity.js';
import type { NativeModelInfo, NativeProgram } from '../native.js';
import type { SimulateOptions } from '../simulate.js';
import { agentgradVersion } from '../version.js';
import { PROTOCOL } from './protocol.js';

/** A model as it crosses the wire: enough to build it again with the model factories. */
export interface WireModel {
  name: string;
  settings: Record<string, number>;
  graph: { nodes: number; offsets: Int32Array; neighbours: Int32Array } | null;
  program: NativeProgram | null;
  interventions: Intervention[];
}

export interface FitRun {
  kind: 'fit';
  protocol: number;
  version: string;
  model: WireModel;
  parameters: Array<{ name: string; prior: PriorSpec }>;
  fixed: Record<string, number>;
  loss: LossRecipe;
  estimator: LossGradientEstimator;
  samples: number;
  replicatesPerSample: number;
  seed: number;
  simulation: { discrete: SimulateOptions['discrete'] | null; dtype: SimulateOptions['dtype'] | null };
}

export interface DiagnoseRun {
  kind: 'diagnose';
  protocol: number;
  version: string;
  model: WireModel;
  recipe: Omit<Recipe, 'model'>;
}

export type RunDescription = FitRun | DiagnoseRun;

export function wireModel(model: Model): WireModel {
  return {
    name: model.name,
    settings: { ...model.settings },
    graph: model.graph ? { nodes: model.graph.nodes, offsets: model.graph.offsets, neighbours: model.graph.neighbours } : null,
    program: model.program ?? null,
    interventions: model.interventions.map((i) => ({ ...i })),
  };
}

export function programDigest(model: Model | WireModel): string | null {
  return model.program ? programIdentity(model.program) : null;
}

function catalogEntry(wire: WireModel): NativeModelInfo {
  if (wire.program === null) return modelInfo(wire.name);
  const program = wire.program;
  if (!isPlainObject(program) || !Array.isArray(program.parameters) || !Array.isArray(program.settings) || !Array.isArray(program.outputs)) {
    throw new TypeError('the run\'s model program is malformed');
  }
  return { name: program.name, parameters: program.parameters, settings: program.settings, outputs: program.outputs, usesGraph: wire.graph !== null };
}

/** The model a wire model describes, built and checked by the same code as models.*() and defineModel. */
export function modelFromWire(value: unknown): Model {
  if (!isPlainObject(value) || typeof value['name'] !== 'string' || !isPlainObject(value['settings']) || !Array.isArray(value['interventions'])) {
    throw new TypeError('the run\'s model is malformed');
  }
  const wire = value as unknown as WireModel;
  const options: Record<string, unknown> = { ...wire.settings };
  if (wire.graph !== null) options['graph'] = wire.graph;
  let model = buildModel(catalogEntry(wire), options, wire.name, wire.program ?? undefined);
  for (const intervention of wire.interventions) model = withIntervention(model, intervention);
  return model;
}

export function fitRun(setup: ObjectiveSetup): FitRun {
  const recipe = setup.loss.recipe;
  if (recipe === undefined) {
    throw new TypeError(
      `cluster fits need a loss the workers can build again: a loss name, or mse, logMse, mmd or energyDistance from agentgrad; the custom loss '${setup.loss.name}' runs only in this process`,
    );
  }
  return {
    kind: 'fit',
    protocol: PROTOCOL,
    version: agentgradVersion,
    model: wireModel(setup.model),
    parameters: setup.params.map((p) => ({ name: p.name, prior: priorSpec(p.prior) })),
    fixed: { ...setup.fixed },
    loss: recipe,
    estimator: setup.estimator,
    samples: setup.samples,
    replicatesPerSample: setup.replicatesPerSample,
    seed: setup.seed,
    simulation: { discrete: setup.simulation.discrete ?? null, dtype: setup.simulation.dtype ?? null },
  };
}

export function diagnoseRun(recipe: Recipe): DiagnoseRun {
  const { model, ...rest } = recipe;
  return { kind: 'diagnose', protocol: PROTOCOL, version: agentgradVersion, model: wireModel(model), recipe: rest };
}

/** What a worker needs to compute a fit's samples, on its own backend and threads. */
export function sampleSetupOf(run: FitRun, local: Pick<SimulateOptions, 'backend' | 'threads'>): SampleSetup {
  const model = modelFromWire(run.model);
  const estimators: LossGradientEstimator[] = ['pathwise', 'finite-difference', 'score'];
  if (!estimators.includes(run.estimator)) throw new TypeError(`the run's gradient estimator '${String(run.estimator)}' is not one of ${estimators.join(', ')}`);
  if (!Number.isSafeInteger(run.replicatesPerSample) || run.replicatesPerSample < 1) throw new TypeError('the run\'s replicatesPerSample must be an integer >= 1');
  if (!Number.isSafeInteger(run.samples) || run.samples < 1) throw new TypeError('the run\'s samples must be an integer >= 1');
  if (!Number.isSafeInteger(run.seed) || run.seed < 0) throw new TypeError('the run\'s seed must be an integer >= 0');
  if (!Array.isArray(run.parameters) || !isPlainObject(run.fixed) || !isPlainObject(run.simulation)) throw new TypeError('the run\'s parameters are malformed');
  const priors = Object.fromEntries(run.parameters.map((p) => [p.name, priorFrom(p.prior)]));
  return {
    model,
    params: freeParameters(model, run.parameters.map((p) => p.name), priors),
    fixed: run.fixed,
    loss: lossFromRecipe(run.loss),
    samples: run.samples,
    replicatesPerSample: run.replicatesPerSample,
    estimator: run.estimator,
    seed: run.seed,
    simulation: {
      ...(run.simulation.discrete ? { discrete: run.simulation.discrete } : {}),
      ...(run.simulation.dtype ? { dtype: run.simulation.dtype } : {}),
      ...local,
    },
  };
}

export function diagnoseRecipeOf(run: DiagnoseRun, local: Pick<SimulateOptions, 'backend' | 'threads'>): Recipe {
  const fit = { ...run.recipe.fit };
  if (local.backend !== undefined) fit.backend = local.backend;
  if (fit.threads === undefined && local.threads !== undefined) fit.threads = local.threads;
  return { ...run.recipe, model: modelFromWire(run.model), fit };
}
