export { randomWalk, type RandomWalkOptions } from './randomWalk.js';
export { volatility, type VolatilityOptions } from './volatility.js';
export { bernoulliSum, type BernoulliSumOptions } from './bernoulliSum.js';
export { gaussianShift, type GaussianShiftOptions } from './gaussianShift.js';
export { gaussianLocation, type GaussianLocationOptions } from './gaussianLocation.js';
export type { Model, ParameterInfo } from './model.js';
