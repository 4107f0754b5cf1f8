export { randomWalk, type RandomWalkOptions } from './randomWalk.js';
export { volatility, type VolatilityOptions } from './volatility.js';
export type { Model, ParameterInfo } from './model.js';
