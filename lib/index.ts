export * as models from './models/index.js';
export type { Model, ParameterInfo } from './models/index.js';
export { simulate, type Simulation, type SimulateOptions, type SimulationShape, type DiscreteOptions } from './simulate.js';
export { backendInfo, type BackendInfo } from './backend.js';
export { gradient, type Estimator, type GradientOptions, type GradientResult } from './gradient.js';
export * as losses from './losses/index.js';
export type { Loss, LossEvaluation, SeriesShape } from './losses/index.js';
export type { ObservedInput } from './observed.js';
export type { BackendChoice, BackendName, Constraint, DiscreteModeName, Dtype, RealArray } from './native.js';
